#include <catch2/catch.hpp>

#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "analyzers/german_analyzer.h"
#include "index/schema.h"
#include "searcher/shards.h"
#include "test_support.h"

namespace fundstelle::searcher {
namespace {

constexpr const char* kProgsrv = "/usr/bin/xapian-progsrv";

// A shard of `count` documents whose data say which they are ("NAME:K" for the K-th), recorded as written by
// this Fundstelle (the searcher refuses others).
void write_shard(const std::string& path, const std::string& name, int count) {
  Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE);
  db.set_metadata(std::string(schema::kMetaSchema), std::to_string(schema::kVersion));
  db.set_metadata(std::string(schema::kMetaAnalyzer), analyzers::GermanAnalyzer::fingerprint());
  for (int k = 1; k <= count; ++k) {
    Xapian::Document doc;
    doc.set_data(name + ":" + std::to_string(k));
    doc.add_term("x");
    db.add_document(doc);
  }
  db.commit();
}

std::vector<std::string> data_of(const std::vector<Xapian::Document>& docs) {
  std::vector<std::string> out;
  for (const auto& d : docs) out.push_back(d.get_data());
  return out;
}

}  // namespace

TEST_CASE("a remote shard's documents are read over several connections, as the search matched them",
          "[searcher][shards]") {
  if (!std::filesystem::exists(kProgsrv)) {
    WARN("xapian-progsrv (Debian: xapian-tools) is missing: not checked");
    return;
  }
  test::TempDir dir;
  const std::string a = (dir / "a").string(), b = (dir / "b").string(), stub = (dir / "stub").string();
  write_shard(a, "a", 20);
  write_shard(b, "b", 20);
  std::ofstream(stub) << "remote :" << kProgsrv << " " << a << "\nremote :" << kProgsrv << " " << b << "\n";
  ShardSet set = open_shards(stub, OpenOptions{});
  REQUIRE(set.each.size() == 2);

  // Every document of both shards (Xapian interleaves them: 1 is a's first, 2 b's first, ...), asked in an
  // order of their own: each one where it was asked, whichever connection read it.
  std::vector<Xapian::docid> asked;
  std::vector<std::string> expected;
  for (int k = 40; k >= 1; --k) {
    asked.push_back(static_cast<Xapian::docid>(k));
    expected.push_back(std::string(k % 2 ? "a" : "b") + ":" + std::to_string((k + 1) / 2));
  }
  CHECK(data_of(set.documents(asked)) == expected);
  // Twenty documents a shard take four connections to it: three more than its own.
  CHECK(set.extra[0].size() == ShardSet::kConnectionsPerShard - 1);
  CHECK(set.extra[1].size() == ShardSet::kConnectionsPerShard - 1);
  // A few are read by the shard's own connection alone.
  CHECK(data_of(set.documents({3, 4})) == std::vector<std::string>{"a:2", "b:2"});

  // A writer deletes a's first ten documents and adds one. The search still reads the revision it matched
  // (its connections are not reopened): the further connections, reopened as after a new revision, no longer
  // hold those ten, so their shares are read by the shard's own connection, and the answer is as before.
  {
    Xapian::WritableDatabase w(a);
    for (Xapian::docid d = 1; d <= 10; ++d) w.delete_document(d);
    w.add_document(Xapian::Document());
    w.commit();
  }
  set.index_changed();
  CHECK(data_of(set.documents(asked)) == expected);
}

}  // namespace fundstelle::searcher
