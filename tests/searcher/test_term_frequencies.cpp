#include <catch2/catch.hpp>

#include <xapian.h>

#include <filesystem>
#include <string>
#include <vector>

#include "searcher/term_frequencies.h"
#include "test_support.h"

namespace fundstelle::searcher {
namespace {

void write_shard(const std::string& path, const std::vector<std::vector<std::string>>& docs) {
  Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE);
  for (const auto& terms : docs) {
    Xapian::Document doc;
    for (const auto& t : terms) doc.add_term(t);
    db.add_document(doc);
  }
  db.commit();
}

// Each term asked for while collecting is answered 0 and noted; once fetched, the answers are those of
// Database::get_termfreq over all shards, and nothing more is noted.
void check_batch(const Xapian::Database& db) {
  const std::vector<std::string> terms = {"zentrum", "münchen", "Zentrum", "absent", std::string(300, 'x'), ""};
  TermFrequencies f(db);
  f.collect(true);
  for (const auto& t : terms)
    if (!t.empty()) CHECK(f(t) == 0);
  CHECK(f.fetch_noted());
  f.collect(false);
  for (const auto& t : terms) CHECK(f(t) == db.get_termfreq(t));
  f.collect(true);
  CHECK(f("zentrum") == db.get_termfreq("zentrum"));  // known: answered, not noted
  CHECK_FALSE(f.fetch_noted());
  CHECK(f.holds("münchen"));
  CHECK_FALSE(f.holds("absent"));
}

}  // namespace

TEST_CASE("term frequencies looked up together are those the index gives one by one", "[searcher]") {
  test::TempDir dir;
  const std::string a = (dir / "a").string(), b = (dir / "b").string();
  write_shard(a, {{"zentrum", "münchen"}, {"zentrum"}, {"Zentrum", "berlin"}});
  write_shard(b, {{"zentrum"}, {"münchen", "berlin"}});
  Xapian::Database local(a);
  local.add_database(Xapian::Database(b));
  REQUIRE(local.get_termfreq("zentrum") == 3);
  check_batch(local);
  // Over remote shards (what the batch is for), where the frequencies come from the match's statistics.
  if (std::filesystem::exists("/usr/bin/xapian-progsrv")) {
    Xapian::Database remote = Xapian::Remote::open("/usr/bin/xapian-progsrv", a);
    remote.add_database(Xapian::Remote::open("/usr/bin/xapian-progsrv", b));
    REQUIRE(remote.get_termfreq("zentrum") == 3);
    check_batch(remote);
  } else {
    WARN("xapian-progsrv (Debian: xapian-tools) is missing: the remote half is not checked");
  }
}

}  // namespace fundstelle::searcher
