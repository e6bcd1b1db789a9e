// Durable writes and path containment: what must survive a crash is on disk before anyone relies on it.
#pragma once

#include <string>
#include <string_view>

namespace fundstelle::base {

// Flushes a folder's entries (new files, renames) to disk; false if the folder cannot be opened or synced.
// A rename lasts through a crash only once the folder holding it is synced.
bool sync_folder(const std::string& folder);

// Writes `content` to `path` durably and atomically: into `path`.tmp, synced, renamed over `path`, and the
// folder synced. Readers find the old file or the new one, never a part. False (the temporary file removed)
// when any step fails.
bool write_file_atomically(const std::string& path, std::string_view content);

// Whether `path` is `root` or lies below it (both absolute and normalized; compares whole path components,
// so /a/bc is not under /a/b).
bool is_under(const std::string& path, const std::string& root);

// `path`, which is_under `from`, at the same place under `to` (/a/b/c.txt from /a to /x: /x/b/c.txt).
std::string moved_path(const std::string& path, const std::string& from, const std::string& to);

}  // namespace fundstelle::base
