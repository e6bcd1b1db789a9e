// A sharded index written (index/layout.h): one IndexWriter per shard, in shard order. Each article goes to
// the shard schema::shard_of_key picks for its key, so indexing it again replaces it there; operations on
// all articles (prune, the end of a rebuild) reach every shard.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "index/writer_lock.h"
#include "indexer/index_writer.h"
#include "indexer/writer.h"

namespace fundstelle::indexer {

class ShardWriter final : public Writer {
 public:
  // Locks the index folder `path` and opens its `shards` shards (creating them, and the shard list last, for
  // a new index), checking that each is the shard the list says. Throws IndexError.
  ShardWriter(const std::string& path, unsigned shards, bool rebuild);

  const std::string& path() const override { return path_; }
  ChangeKind put(const Article& article, std::size_t* passages_written) override;
  bool remove(const std::string& key) override;
  void erase(const std::string& key) override;
  void commit() override;
  RebuildEnd finish_rebuild(const StaleRule& rule = {}) override;
  std::vector<std::pair<std::string, std::string>> sources_under(const std::vector<std::string>& roots) override;
  bool empty() override;
  std::vector<std::string> source_folders() override;
  void remember_source_folders(const std::vector<std::string>& folders) override;
  std::optional<std::string> recorded_source(const std::string& key) override;
  bool rebuilding() override { return shards_.front()->rebuilding(); }
  std::string feed_state(const std::string& url) override;
  void set_feed_state(const std::string& url, const std::string& state) override;
  std::size_t move_sources(const std::string& from, const std::string& to) override;
  std::unique_ptr<ParallelBuild> parallel_build(const IndexOptions& options, WrittenCounts* counts) override;
  bool install(ParallelBuild& build, const base::Apart& apart) override;
  void discard() noexcept override;

 private:
  IndexWriter& shard_of(const std::string& key);
  std::unique_ptr<IndexWriter> open_shard(unsigned k, unsigned n, bool rebuild);

  std::string path_;
  index::WriterLock lock_;
  std::vector<std::unique_ptr<IndexWriter>> shards_;
};

}  // namespace fundstelle::indexer
