#include "index/compact.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>
#include <vector>

#include "base/files.h"
#include "fundstelle/error.h"
#include "fundstelle/indexer.h"
#include "index/layout.h"
#include "index/origin.h"
#include "index/schema.h"
#include "index/writer_lock.h"

namespace fundstelle::index {

namespace {

// Metadata the indexes share (schema, analyzer) has one value; article records, keyed by article, are in
// exactly one index each; of the commit times the latest is kept, of shard numbers none (the result is one index).
class MergeMetadata : public Xapian::Compactor {
 public:
  std::string resolve_duplicate_metadata(const std::string& key, std::size_t num_tags,
                                         const std::string tags[]) override {
    if (key == schema::kMetaCommitted) return *std::max_element(tags, tags + num_tags);
    return tags[0];
  }
};

}  // namespace

void merge_indexes(Xapian::Database indexes, const std::string& destination) {
  MergeMetadata metadata;
  indexes.compact(destination, Xapian::Compactor::FULL, 0, metadata);
  if (!indexes.get_metadata(std::string(schema::kMetaShard)).empty()) {
    Xapian::WritableDatabase merged(destination, Xapian::DB_OPEN);
    merged.set_metadata(std::string(schema::kMetaShard), "");  // removes it
    merged.commit();
  }
}

void install_index(const std::string& built, const std::string& target) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto fail = [&](const std::string& what) {
    throw IndexError("cannot install the new index in " + target + ": " + what + ": " + ec.message());
  };
  // First the version file goes (readers then find no index rather than a mixture), then every table of the
  // old index, then the new tables, and the new version file last.
  fs::remove(fs::path(target) / "iamglass", ec);
  if (ec) fail("removing iamglass");
  for (const auto& e : fs::directory_iterator(target, ec))
    if (e.path().extension() == ".glass" && !fs::remove(e.path(), ec) && ec) fail("removing " + e.path().string());
  if (ec) fail("listing the folder");
  for (const auto& e : fs::directory_iterator(built, ec)) {
    if (e.path().extension() != ".glass") continue;
    fs::rename(e.path(), fs::path(target) / e.path().filename(), ec);
    if (ec) fail("moving " + e.path().filename().string());
  }
  if (ec) fail("listing " + built);
  fs::rename(fs::path(built) / "iamglass", fs::path(target) / "iamglass", ec);
  if (ec) fail("moving iamglass");
  // The renames last through a crash only once the folder itself is on disk.
  base::sync_folder(target);
}

}  // namespace fundstelle::index

namespace fundstelle {

using index::merge_indexes;
using index::WriterLock;

CompactReport compact_index(const std::string& path, const std::string& destination) {
  namespace fs = std::filesystem;
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  if (fs::exists(fs::symlink_status(destination, ec)))
    throw IndexError(destination + " exists; compact into a new folder (nothing there is replaced)",
                     ErrorKind::BadInput);
  CompactReport report;
  const unsigned shards = index::shard_count(
      path, "compact merges the local shards of one index: compact remote shards on their own machines");
  if (shards == 0 && !fs::exists(path + "/iamglass"))
    throw IndexError("there is no index at " + path, ErrorKind::NotFound);
  const WriterLock lock(path);  // no writer changes what is read, and none starts before the copy is done
  const std::string temp = destination + ".compacting";
  fs::remove_all(temp, ec);  // left by a compaction that was killed
  try {
    Xapian::Database all;
    std::vector<std::string> folders;
    for (unsigned k = 0; k < std::max(1u, shards); ++k) folders.push_back(shards ? index::shard_folder(path, k) : path);
    for (const auto& folder : folders) {
      const Xapian::Database db(folder);
      const auto origin = schema::index_origin(db);
      if (!origin.ours())
        throw IndexError(folder + " was built by another version of Fundstelle", ErrorKind::ForeignIndex);
      if (origin.rebuilding) throw IndexError("a rebuild of " + path + " was interrupted", ErrorKind::ForeignIndex);
      all.add_database(db);
      report.bytes_before += schema::index_bytes(folder);
      report.articles +=
          schema::article_count(db);  // shard by shard: a Database of several has the first one's metadata
    }
    report.shards = std::max(1u, shards);
    report.passages = all.get_doccount();
    fs::create_directories(fs::absolute(destination).parent_path(), ec);
    merge_indexes(all, temp);
  } catch (const Xapian::Error& e) {
    fs::remove_all(temp, ec);
    throw IndexError("compacting " + path + " into " + destination + " failed: " + e.get_description());
  } catch (...) {
    fs::remove_all(temp, ec);
    throw;
  }
  fs::rename(temp, destination, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove_all(temp, ec);
    throw IndexError("cannot move the compacted index into place at " + destination + ": " + why);
  }
  report.bytes_after = schema::index_bytes(destination);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace fundstelle
