#include "indexer/shard_writer.h"

#include <algorithm>
#include <filesystem>

#include "fundstelle/error.h"
#include "index/layout.h"
#include "index/origin.h"
#include "index/schema.h"
#include "indexer/batching.h"
#include "indexer/parallel_build.h"

namespace fundstelle::indexer {

ShardWriter::ShardWriter(const std::string& path, unsigned shards, bool rebuild) : path_(path), lock_(path) {
  for (unsigned k = 0; k < shards; ++k) shards_.push_back(open_shard(k, shards, rebuild));
  if (!std::filesystem::exists(path_ + "/XAPIANDB")) index::write_shard_list(path_, shards);
}

// Opens shard `k` of `n`, checking that it is where the shard list puts it; a new shard records its place.
std::unique_ptr<IndexWriter> ShardWriter::open_shard(unsigned k, unsigned n, bool rebuild) {
  auto shard = std::make_unique<IndexWriter>(index::shard_folder(path_, k), rebuild);
  const std::string place = shard->metadata(schema::kMetaShard);
  const std::string expected = index::shard_label(k, n);
  if (place.empty()) {
    if (shard->has_articles())
      throw IndexError(shard->path() + " has articles but no shard number, so it was not written as " + expected +
                           " of " + path_ +
                           " (an index of its own put there?); move it away, or index into a new folder",
                       ErrorKind::BadInput);
    shard->set_metadata(schema::kMetaShard, expected);
    shard->commit();
  } else if (place != expected) {
    throw IndexError(shard->path() + " was written as " + place + " of a sharded index, but " + path_ +
                         " lists it as " + expected + "; the shards of two indexes are mixed up",
                     ErrorKind::BadInput);
  }
  return shard;
}

IndexWriter& ShardWriter::shard_of(const std::string& key) {
  return *shards_[schema::shard_of_key(key, static_cast<unsigned>(shards_.size()))];
}

ChangeKind ShardWriter::put(const Article& article, std::size_t* passages_written) {
  return shard_of(schema::article_key(article.id)).put(article, passages_written);
}

bool ShardWriter::remove(const std::string& key) { return shard_of(key).remove(key); }

void ShardWriter::erase(const std::string& key) { shard_of(key).erase(key); }

void ShardWriter::commit() {
  // Each shard commits atomically, one after the other: an article, wholly in one shard, is never committed
  // in part, though a run cut short may have committed some shards' last batch and not others'.
  for (auto& s : shards_) s->commit();
}

RebuildEnd ShardWriter::finish_rebuild(const StaleRule& rule) {
  RebuildEnd end;
  for (auto& s : shards_) {
    end += s->finish_rebuild(rule);
    if (end.stopped) break;
  }
  return end;
}

std::vector<std::pair<std::string, std::string>> ShardWriter::sources_under(const std::vector<std::string>& roots) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& s : shards_) {
    auto part = s->sources_under(roots);
    out.insert(out.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  }
  return out;
}

// Remembered alike in every shard; read from the first (or from all shards' records).
std::vector<std::string> ShardWriter::source_folders() {
  std::vector<Xapian::Database> dbs;
  for (auto& s : shards_) dbs.push_back(s->database());
  return schema::source_folders(dbs);
}

void ShardWriter::remember_source_folders(const std::vector<std::string>& folders) {
  for (auto& s : shards_) s->remember_source_folders(folders);
}

std::optional<std::string> ShardWriter::recorded_source(const std::string& key) {
  return shard_of(key).recorded_source(key);
}

// A feed's state lives in the shard its URL would go to as an article id.
std::string ShardWriter::feed_state(const std::string& url) {
  return shard_of(schema::article_key(url)).feed_state(url);
}

void ShardWriter::set_feed_state(const std::string& url, const std::string& state) {
  shard_of(schema::article_key(url)).set_feed_state(url, state);
}

std::size_t ShardWriter::move_sources(const std::string& from, const std::string& to) {
  std::size_t moved = 0;
  for (auto& s : shards_) moved += s->move_sources(from, to);
  return moved;
}

bool ShardWriter::empty() {
  return std::all_of(shards_.begin(), shards_.end(), [](auto& s) { return s->empty(); });
}

std::unique_ptr<ParallelBuild> ShardWriter::parallel_build(const IndexOptions& options, WrittenCounts* counts) {
  const auto n = static_cast<unsigned>(shards_.size());
  if (empty())
    // A first import: built and compacted beside the index, as into a single index, each article in the
    // build's shard of the same number, which the index's shards then become (install).
    return IndexWriter::build_beside(path_, n, true, options, counts);
  // What a first import left beside an index that has articles now cannot be taken up (see IndexWriter's).
  ParallelBuild::clear(index::first_import_folder(path_));
  // An update: one writer per shard, each on its own thread, batch by batch (a rebuild goes on).
  std::vector<Writer*> writers;
  for (auto& s : shards_) writers.push_back(s.get());
  return std::make_unique<ParallelBuild>(std::move(writers), path_, options.batch_articles,
                                         batch_text_bytes(options, n), counts);
}

bool ShardWriter::install(ParallelBuild& build, const base::Apart& apart) {
  // Each temporary shard compacted alone into its shard (its articles are those the shard's number picks), all
  // at once; then each installed.
  std::vector<std::string> merged;
  for (unsigned k = 0; k < shards_.size(); ++k)
    merged.push_back(index::first_import_folder(path_) + "/merged-" + std::to_string(k));
  if (!build.merge_each(merged, apart)) return false;
  for (unsigned k = 0; k < shards_.size(); ++k) {
    IndexWriter& shard = *shards_[k];
    shard.install_built(merged[k]);
    shard.set_metadata(schema::kMetaShard, index::shard_label(k, static_cast<unsigned>(shards_.size())));
    shard.commit();
  }
  return true;
}

void ShardWriter::discard() noexcept {
  for (auto& s : shards_) s->discard();
}

}  // namespace fundstelle::indexer
