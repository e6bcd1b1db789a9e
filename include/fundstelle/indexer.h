// Writing an index: add, replace and remove articles; index files and JSON Lines feeds.
//
// Thread safety: an Indexer is not thread-safe; use it from one thread. Only one Indexer (in any process) can
// hold an index open at a time; a second one gets an IndexError saying which process holds the lock (the
// writer records its PID in the file `fundstelle.lock` inside the index folder, locked with flock(2) for as
// long as the Indexer lives; a killed writer's lock goes with its process). Searchers may read the index
// while it is written: they see the state of the last commit.
//
// Atomicity: changes become visible only at commit(); an Indexer destroyed (or a process killed) before that
// leaves the index exactly as it was at the last commit. An article is never committed in part: if writing
// one fails (disk full, say), everything since the last commit is discarded and an IndexError says so.
//
// Errors: every failure is a fundstelle::Error (InputError, IndexError); no Xapian exception escapes.
#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "fundstelle/article.h"
#include "fundstelle/export.h"

namespace fundstelle {

struct IndexOptions {
  bool prune = false;    // remove articles whose source lies under the given paths but was not seen this run
  std::size_t batch_articles = 2000;  // commit after this many changed articles (each commit is atomic)
  // Memory for the writers' buffers, in MiB: a writer commits before the article text it wrote since its last
  // commit outgrows a tenth of its share of this (Xapian holds several bytes per byte of text until a commit).
  // Peak resident memory is roughly 150 MiB plus this, whatever the corpus size (measured on 60 MB and 200 MB
  // corpora: bench/README.md), plus about 50 bytes per article of the run.
  std::size_t memory_mb = 128;
  // Threads for a first import (an index without articles): 0 uses every core. Each thread writes a shard of
  // its own, and the shards are merged into one compacted index at the end. Updates use one thread.
  unsigned threads = 0;
  // Called after each source file or feed line batch; may be empty.
  std::function<void(std::size_t articles_seen, const std::string& current_source)> progress;
  // Asked before each article; when it returns true the run commits what it has done so far and returns
  // (report.interrupted). May be empty. Used for Ctrl-C: finish the current batch cleanly, then stop.
  std::function<bool()> stop;
  // When not empty: read only these files and folders, which lie at or under the paths given to index_paths
  // (ids stay what they are when the paths are indexed whole); --prune then looks only at articles from them,
  // so a file listed here that no longer exists has its articles removed. Used by --watch.
  std::vector<std::string> only;
};

struct IndexReport {
  std::size_t added = 0, replaced = 0, unchanged = 0, removed = 0, skipped = 0;
  std::size_t passages = 0;  // passages written (of added or replaced articles)
  std::size_t comments = 0;  // comments of added or replaced articles
  std::vector<Problem> problems;
  double seconds = 0;
  bool interrupted = false;  // options.stop ended the run early (what was done is committed)
};

enum class ChangeKind { Added, Replaced, Unchanged };

class FUNDSTELLE_API Indexer {
 public:
  // Opens the index at `path` for writing, creating it if needed. With `rebuild`, every article put is written
  // anew (even if unchanged), and the articles that were there before and were not written again are dropped
  // at the end of the next index_paths / index_jsonl run (one that was not stopped), or at the first commit()
  // called directly: until then the old ones stay, so a rebuild cut short loses nothing. An index whose
  // rebuild was cut short must be opened with `rebuild` again. Throws IndexError if it is locked by another
  // writer (naming its PID), read-only, unreadable, or was built with another analyzer or schema (or has an
  // unfinished rebuild) and `rebuild` is false.
  explicit Indexer(const std::string& path, bool rebuild = false);
  ~Indexer();  // discards uncommitted changes
  Indexer(const Indexer&) = delete;
  Indexer& operator=(const Indexer&) = delete;

  // Indexes .txt files and .jsonl feeds, given as files or folders (searched recursively), and commits.
  // Into an index without articles (a first import) it writes on IndexOptions::threads threads, one shard
  // each, and merges the shards into one compacted index that takes the empty one's place at the end: readers
  // see nothing of such a run until it ends (or is stopped), and a run killed before that leaves no index,
  // which the next run builds anew. Otherwise it writes on the calling thread, batch by batch.
  IndexReport index_paths(const std::vector<std::string>& paths, const IndexOptions& options = {});

  // Indexes a JSON Lines feed read from `in` (the format of index_paths' .jsonl files; `source` names it in
  // problems) and commits. Within the feed a later line with the same id wins.
  IndexReport index_jsonl(std::istream& in, const std::string& source);

  // Adds or replaces one article (all its passages at once). Not visible before commit().
  ChangeKind put(const Article& article, std::size_t* passages_written = nullptr);
  // Removes an article and all its passages; false if it was not there.
  bool remove(const std::string& article_id);
  void commit();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fundstelle
