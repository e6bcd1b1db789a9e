// Opening one index (not a shard list) for reading or writing, with the errors every caller gives.
#pragma once

#include <xapian.h>

#include <string>

namespace fundstelle::index {

// Throws IndexError: NotFound when there is no index at `path`, Io when it cannot be opened. A commit landing
// while it opens (DatabaseModifiedError) makes it open the newest revision again, up to kOpenRetries times.
Xapian::Database open_for_read(const std::string& path);
inline constexpr int kOpenRetries = 8;

// The pause before reading an index again after a commit landed under a read (DatabaseModifiedError), at
// the `attempt`-th time: 1, 2, 4 … ms, at most 100, so that a burst of commits can pass.
void pause_after_commit(int attempt);

// Opens (or creates) the index at `path` for writing; the caller holds its WriterLock. Throws IndexError:
// Locked when another writer has it open, Io when it cannot be opened.
Xapian::WritableDatabase open_for_write(const std::string& path);

}  // namespace fundstelle::index
