#include "indexer/writer.h"

#include <filesystem>

#include "fundstelle/error.h"
#include "index/layout.h"
#include "index/schema.h"
#include "indexer/index_writer.h"
#include "indexer/shard_writer.h"

namespace fundstelle::indexer {

void Writer::fail(const Xapian::Error& e) {
  discard();
  throw IndexError("indexing into " + path() + " failed (" + e.get_description() +
                   "); changes since the last commit were discarded");
}

std::unique_ptr<Writer> open_writer(const std::string& path, bool rebuild, unsigned shards) {
  const unsigned recorded = index::shard_count(path);  // 0: not sharded (yet)
  const bool single = index::is_single_index(path);
  const std::string n = std::to_string(shards);
  if (recorded > 0 && shards > 0 && shards != recorded)
    throw IndexError(path + " is an index in " + std::to_string(recorded) + " shards, not " + n +
                         "; an index keeps its number of shards: to have " + n +
                         ", index the sources into a new folder in " + n + " shards (or compact it into one index)",
                     ErrorKind::BadInput);
  if (recorded == 0 && single && shards > 1)
    throw IndexError(path + " is one index, not shards; to spread the articles over " + n +
                         " shards, index the sources into a new folder in " + n + " shards (" + path +
                         " itself is updated as it is)",
                     ErrorKind::BadInput);
  if (recorded == 0 && !single && shards <= 1 && index::is_single_index(index::shard_folder(path, 0)))
    throw IndexError(path + " holds the shards of an index whose first import did not finish; run it again "
                            "with the same number of shards",
                     ErrorKind::BadInput);
  const unsigned count = recorded > 0 ? recorded : shards > 1 ? shards : 0;
  if (count > 0) return std::make_unique<ShardWriter>(path, count, rebuild);
  auto writer = std::make_unique<IndexWriter>(path, rebuild);
  if (const std::string place = writer->metadata(schema::kMetaShard); !place.empty())
    throw IndexError(path + " is " + place + " of the sharded index " +
                         std::filesystem::path(path).parent_path().string() +
                         "; index into that folder, which puts each article into its shard",
                     ErrorKind::BadInput);
  return writer;
}

}  // namespace fundstelle::indexer
