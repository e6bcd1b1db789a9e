// `fundstelle index --watch`: keep indexing new and changed files as they appear, and fetching feed URLs at
// an interval, until Ctrl-C.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "fundstelle/indexer.h"

namespace fundstelle::cli {

struct WatchOptions {
  bool prune = false;         // remove the articles of deleted files (and ids gone from changed feeds)
  bool follow_links = false;  // IndexOptions::follow_links
  std::size_t batch_articles = IndexOptions{}.batch_articles;  // commit within a batch after this many changed articles
  std::size_t memory_mb =
      IndexOptions{}.memory_mb;  // ... or before the writer's buffers outgrow this (IndexOptions::memory_mb)
  double quiet_seconds = 0.5;    // index a batch once no file changed for this long...
  double max_wait_seconds = 5;   // ...or once the oldest change waits this long
  FetchOptions fetch;            // for feed URLs (IndexOptions::fetch)
  // A feed URL is fetched again this long after its last answer; after a failure later: twice as long for
  // each failure in a row, up to a day (or the interval, when longer), and never before its Retry-After.
  double poll_seconds = 900;
};

// Watches `paths` (files and folders, recursively; new folders are watched as they appear) with inotify from
// its construction on, so that nothing changed during a first indexing run is missed. Folders that cannot be
// watched are reported through `warn` and skipped. The http(s):// URLs among `paths` are fetched again every
// `poll_seconds`, counted from the construction (the first run fetches them first).
class Watcher {
 public:
  Watcher(const std::vector<std::string>& paths, const WatchOptions& options,
          std::function<void(const std::string&)> warn);
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Indexes each batch of changed files (relative to the watched paths, so ids are those of a full run) in
  // one index_paths call, and calls `report` after it. Returns when `stop` says so, after finishing the batch
  // under way; `wake_fd` (may be -1) becoming readable makes it look at `stop` at once.
  void run(Indexer& indexer, const std::function<bool()>& stop, const std::function<void(const IndexReport&)>& report,
           int wake_fd);
  // Schedules the next fetch of each URL a run fetched (run() calls it; the caller for the first run).
  void fetched(const IndexReport& report);

 private:
  void add(const std::string& folder);
  void add_tree(const std::string& root);
  bool wanted(const std::string& path) const;

  std::vector<std::string> paths_;  // absolute
  WatchOptions options_;
  std::function<void(const std::string&)> warn_;
  int fd_ = -1;
  std::map<int, std::string> folders_;  // watch descriptor -> folder
  std::set<std::string> single_files_, trees_;
  struct Feed {
    std::string url;
    std::chrono::steady_clock::time_point due;
    unsigned failures = 0;  // in a row
  };
  std::vector<Feed> feeds_;
};

}  // namespace fundstelle::cli
