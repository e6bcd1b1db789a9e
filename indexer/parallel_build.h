// A first import on every core. Writing an index is mostly Xapian's own work (its inverter, B-trees and zlib),
// which one WritableDatabase does on one thread; so instead of one writer fed by parallel analysis, each
// thread writes a shard of its own: an article goes, by a stable hash of its id, to one of N shard indexes,
// each a whole fundstelle::Indexer (analyzer, segmenter, writer) on its own thread. At the end the shards are
// merged into one compacted index by Xapian's compaction (Database::compact), which is fast, and leaves the
// index smaller than a writer that grew it batch by batch.
//
// Indexer::index_paths uses it so for an index that has no articles yet: there is nothing old to replace or
// keep, so the merged index can simply take the empty one's place (install_index). Updates of an index with
// articles go through the one writer, batch by batch, as before.
//
// A sharded index (indexer/shard_layout.h) is written the same way, on one thread per shard, but into its own
// shards (open Indexers handed in), for a first import and for updates alike, and nothing is merged.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <xapian.h>

#include "fundstelle/article.h"
#include "fundstelle/indexer.h"

namespace fundstelle::indexer {

// How much of an article a writer has to analyse (title, paragraphs, comments, in bytes): the bounds on
// queues and batches count this.
inline std::size_t text_bytes(const Article& a) {
  std::size_t n = a.title.size();
  for (const auto& p : a.paragraphs) n += p.size();
  for (const auto& c : a.comments) n += c.text.size();
  return n;
}

class ParallelBuild {
 public:
  // Shard indexes are written under `folder` (created; anything there before is removed). Each shard commits
  // after `batch_articles` changed articles or `batch_bytes` of article text, whichever comes first, which
  // bounds the memory of its writer.
  ParallelBuild(std::string folder, unsigned shards, std::size_t batch_articles, std::size_t batch_bytes);
  // One shard's writer of a sharded index: put() as Indexer::put, commit() a batch (not the end of a rebuild).
  struct Writer {
    std::function<ChangeKind(const Article&, std::size_t* passages_written)> put;
    std::function<void()> commit;
  };
  // Writes through `writers` (the shards of the sharded index at `index`, in shard order), which must outlive
  // the build; each commits as above. What a failed or abandoned build did not commit is discarded by its
  // writer, as always.
  ParallelBuild(std::vector<Writer> writers, const std::string& index, std::size_t batch_articles,
                std::size_t batch_bytes);
  ~ParallelBuild();  // stops the threads; what was not finished is dropped with the folder
  ParallelBuild(const ParallelBuild&) = delete;
  ParallelBuild& operator=(const ParallelBuild&) = delete;

  // Hands an article to its shard, waiting while that shard's queue is full (so that reading cannot run
  // ahead of writing without bound). Throws the first error a shard met.
  void put(Article article);
  // Waits until every shard has written and committed what it was given; the counts of all shards.
  IndexReport finish();
  // Merges the committed shards into one compacted index at `destination` (which must not exist); with
  // `only`, just that shard (compacted).
  void merge(const std::string& destination, std::optional<unsigned> only = std::nullopt) const;

  // The shard an article id goes to, of `shards`: stable across runs, machines and versions.
  static unsigned shard_of(const std::string& article_id, unsigned shards);

 private:
  struct Shard {
    std::string path;
    Writer writer;  // a shard of a sharded index; empty: an Indexer of `path`, made by the thread
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
  void stop() noexcept;
  void rethrow_first_error();

  std::string folder_;  // the temporary shards' folder; empty when writing into a sharded index's own
  std::string index_;   // the index written, for messages
  std::size_t batch_articles_, batch_bytes_;
  std::vector<std::unique_ptr<Shard>> shards_;
  bool finished_ = false;
};

// Compacts `indexes` (one index, or several added to one Database) into one index at `destination` (which
// must not exist), with Xapian's compaction: postings, positions, spelling data and metadata merged (document
// ids renumbered, shard after shard). Throws Xapian::Error.
void merge_indexes(Xapian::Database indexes, const std::string& destination);

// Puts the index at `built` (a finished index folder) in the place of the index at `target`, which must be the
// open-for-nothing folder of an index without articles (its writer closed, our writer lock still held).
// Readers see the old empty index, then briefly no index, then the new one; a crash in between leaves no
// index (iamglass missing), which the next run creates anew. Nothing is lost, as there was nothing.
void install_index(const std::string& built, const std::string& target);

}  // namespace fundstelle::indexer
