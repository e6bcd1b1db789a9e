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
//    writer that grew it batch by batch. A first import stopped (Ctrl-C) or killed leaves its shards there,
//    with what each had committed, and the next run into the still empty index takes them up: stopping
//    costs no merge (which grows with what was written), and no committed work is lost.
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

#include "base/apart.h"
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
  // Beside the index: `shards` temporary shards under `folder`, each written by a writer from `make`. The
  // build an earlier run left there (left_over) is taken up with its own number of shards, unless
  // `exact_shards` and it has another; anything else there is removed first. Each shard commits after
  // options.batch_articles changed articles, its share of options.memory_mb (batch_text_bytes by the number
  // of shards it has), or a second, whichever comes first, which bounds the memory of its writer and what a
  // stop loses. Each article written (added or replaced) and its passages are counted into `counts`, when
  // given (it must outlive the build), from the shards' threads.
  ParallelBuild(std::string folder, unsigned shards, bool exact_shards, WriterFactory make, const IndexOptions& options,
                WrittenCounts* counts = nullptr);
  // Into `writers` (the shards of the sharded index at `index`, in shard order), which must outlive the
  // build; each commits as above. A shard that fails discards what it had not committed (its writer does); the
  // others still commit what they wrote before they stop.
  ParallelBuild(std::vector<Writer*> writers, const std::string& index, std::size_t batch_articles,
                std::size_t batch_bytes, WrittenCounts* counts = nullptr);
  // Stops the threads; articles still queued are dropped, and the temporary folder with them (but the build
  // a stopped finish() kept).
  ~ParallelBuild();

  // The number of shards of the build an earlier first import left under `folder` to be taken up: its shards
  // all open and were written by this version of Fundstelle. Nothing when there is none.
  static std::optional<unsigned> left_over(const std::string& folder);
  // Removes what an earlier build left under `folder` (an index that has articles cannot take it up).
  static void clear(const std::string& folder);
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
  // `stopped` (a run stopped by Ctrl-C), the articles still waiting in the queues are not written; a build
  // beside the index also drops what its shards wrote since their last commit (the next run writes it) and
  // keeps its folder for the next run (kept()): the counts are of what the shards committed. The shards of a
  // sharded index commit what they wrote.
  IndexReport finish(bool stopped = false);
  // This build took up one an earlier run left (see left_over).
  bool resumed() const { return resumed_; }
  // A stopped finish() (or keep()) kept the build beside the index for the next run: it must not be installed.
  bool kept() const { return kept_; }
  // After finish(), a build beside the index is kept for the next run instead of installed (Ctrl-C came
  // while the shards wrote their last articles); nothing for one into a sharded index's own shards.
  void keep();
  // A build beside the index (a first import), not into a sharded index's own shards.
  bool beside() const { return !folder_.empty(); }
  // The articles a kept build holds, of this run and of the earlier runs it took up (0 when none is kept).
  std::size_t kept_articles() const;
  // Merges the committed shards into one compacted index at `destination` (which must not exist). The merge
  // runs in a child process (base::run_apart): Xapian's compaction cannot be interrupted inside a table, which
  // takes minutes in a large import, a process can. False when `apart.stopping` said so before it ended: what
  // it had written is removed, the shards are as they were. Throws IndexError when it failed.
  bool merge(const std::string& destination, const base::Apart& apart) const;
  // The same for each shard alone, compacted into `destinations[k]` (one for each shard), all at once.
  bool merge_each(const std::vector<std::string>& destinations, const base::Apart& apart) const;

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
    IndexReport report;  // what the shard committed
    std::exception_ptr error;
  };
  // Each job the shards (by number) merged into its destination, as merge() says.
  bool merge_apart(const std::vector<std::pair<std::vector<unsigned>, std::string>>& jobs,
                   const base::Apart& apart) const;
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
  bool resumed_ = false, kept_ = false;
  std::atomic<bool> dropping_{false};  // a stopped build beside the index: the shards' open batches are dropped
  WrittenCounts* const counts_;        // set before the shards' threads start
};

}  // namespace fundstelle::indexer
