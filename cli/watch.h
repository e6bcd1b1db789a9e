// `fundstelle index --watch`: keep indexing new and changed files as they appear, until Ctrl-C.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "fundstelle/indexer.h"

namespace fundstelle::cli {

struct WatchOptions {
  bool prune = false;           // remove the articles of deleted files
  double quiet_seconds = 0.5;   // index a batch once no file changed for this long...
  double max_wait_seconds = 5;  // ...or once the oldest change waits this long
};

// Watches `paths` (files and folders, recursively; new folders are watched as they appear) with inotify.
// Each batch of changed files is indexed and committed together; `report` is called after each batch.
// Returns when `stop` says so, after finishing the batch under way. Throws fundstelle::Error (e.g. when
// inotify cannot watch a folder).
void watch(Indexer& indexer, const std::vector<std::string>& paths, const WatchOptions& options,
           const std::function<bool()>& stop, const std::function<void(const IndexReport&)>& report,
           int wake_fd);

}  // namespace fundstelle::cli
