// Writing on every core. Writing an index is mostly Xapian's own work (its inverter, B-trees and zlib), which
// one WritableDatabase does on one thread; so instead of one writer fed by parallel analysis, each thread
// writes a shard of its own: an article goes, by a stable hash of its id (schema::shard_of_key), to one of N
// writers, each a whole Writer (analyzer, segmenter, database) on its own thread.
//
// Two uses, chosen by the Writer the run writes through (Writer::parallel_build):
//  - beside the index: a first import (an index without articles) is written into temporary shards under a
//    folder of the index, merged at the end by Xapian's compaction (merge()) and installed in place of the
//    empty index (Writer::install; an empty sharded index compacts each temporary shard alone into its shard
//    of the same number). There is nothing old to replace or keep, and the compacted result is smaller than a
//    writer that grew it batch by batch.
//  - into the shards of a sharded index, for updates: the writers are the index's own shards, nothing merged.
#pragma once

#include <xapian.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fundstelle/article.h"
#include "fundstelle/indexer.h"
#include "indexer/writer.h"

namespace fundstelle::indexer {

// Articles and passages written so far, counted by the threads that write them (for progress reports).
struct WrittenCounts {
  std::atomic<std::size_t> articles{0}, passages{0};
  std::atomic<std::uint64_t> queued{0};  // bytes of article text read but still waiting in the queues
};

// Makes the writer of a temporary shard at `path` (called on that shard's thread).
using WriterFactory = std::function<std::unique_ptr<Writer>(const std::string& path)>;

class ParallelBuild {
 public:
  // Beside the index: `shards` temporary shards under `folder` (created; anything there before is removed),
  // each written by a writer from `make`. Each shard commits after `batch_articles` changed articles or
  // `batch_bytes` of article text, whichever comes first, which bounds the memory of its writer.
  // Each article written (added or replaced) and its passages are counted into `counts`, when given (it must
  // outlive the build), from the shards' threads.
  ParallelBuild(std::string folder, unsigned shards, WriterFactory make, std::size_t batch_articles,
                std::size_t batch_bytes, WrittenCounts* counts = nullptr);
  // Into `writers` (the shards of the sharded index at `index`, in shard order), which must outlive the
  // build; each commits as above. A shard that fails discards what it had not committed (its writer does); the
  // others still commit what they wrote before they stop.
  ParallelBuild(std::vector<Writer*> writers, const std::string& index, std::size_t batch_articles,
                std::size_t batch_bytes, WrittenCounts* counts = nullptr);
  ~ParallelBuild();  // stops the threads; articles still queued are dropped, and the temporary folder with them
  ParallelBuild(const ParallelBuild&) = delete;
  ParallelBuild& operator=(const ParallelBuild&) = delete;

  // Hands an article to its shard, waiting while that shard's queue is full (so that reading cannot run
  // ahead of writing without bound). Throws the first error a shard met.
  void put(Article article);
  // Waits until every shard has taken what was queued for it, asking `stopping` every tenth of a second
  // meanwhile; true as soon as it says so (a run stopped by Ctrl-C while the queues drain: finish(true)
  // then leaves the rest unwritten), false once the queues are empty.
  bool wait_taken(const std::function<bool()>& stopping);
  // Waits until every shard has written and committed what it was given; the counts of all shards. With
  // `drop_queued` (a run stopped by Ctrl-C), the articles still waiting in the queues are not written: each
  // shard commits what it wrote and ends at once.
  IndexReport finish(bool drop_queued_articles = false);
  // Merges the committed shards into one compacted index at `destination` (which must not exist); with
  // `only`, just that shard (compacted).
  void merge(const std::string& destination, std::optional<unsigned> only = std::nullopt) const;

 private:
  struct Shard {
    std::string path;
    Writer* writer = nullptr;  // a shard of a sharded index; null: made by `make_` on the shard's thread
    std::thread thread;
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Article> queue;
    std::size_t queued_bytes = 0;
    bool closed = false;
    IndexReport report;
    std::exception_ptr error;
  };
  void start();
  void work(Shard& shard);
  void write_queue(Shard& shard, Writer& writer);
  void stop() noexcept;
  // Empties every shard's queue: what waits there is not written.
  void drop_queued() noexcept;
  // Empties `shard`'s queue (its mutex held).
  void clear_queue(Shard& shard) noexcept;
  void rethrow_first_error();

  std::string folder_;  // the temporary shards' folder; empty when writing into a sharded index's own
  std::string index_;   // the index written, for messages
  WriterFactory make_;
  std::size_t batch_articles_, batch_bytes_;
  std::vector<std::unique_ptr<Shard>> shards_;
  bool finished_ = false;
  WrittenCounts* const counts_;  // set before the shards' threads start
};

}  // namespace fundstelle::indexer
