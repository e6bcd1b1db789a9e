// A sharded index, as `fundstelle index --shards N` writes it: a folder holding the shards shard-0 ...
// shard-(N-1), each a whole Fundstelle index, and a Xapian stub `XAPIANDB` listing them (`auto shard-K`), so
// that a searcher opens the folder as one index (searcher/shards.h) and xapian-tcpsrv can serve each shard.
// An article lives in shard schema::shard_of_key(key, N); each shard records its place in its metadata
// (schema::kMetaShard = "shard-K of N"), which the writer checks against the stub before it writes.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "fundstelle/error.h"
#include "indexer/index_origin.h"

namespace fundstelle::indexer {

// The folder of shard `k` of the sharded index at `index`.
inline std::string shard_folder(const std::string& index, unsigned k) { return index + "/shard-" + std::to_string(k); }

// "shard-K of N", the value of schema::kMetaShard for shard k of n.
inline std::string shard_label(unsigned k, unsigned n) { return "shard-" + std::to_string(k) + " of " + std::to_string(n); }

// The number of shards of the sharded index at `path`; 0 when `path` holds no shard list (a single index, a
// folder to be created, or nothing yet). Throws IndexError for a shard list that `fundstelle index --shards`
// did not write (remote shards, shards elsewhere), ending its message with `instead`, what the caller's
// command does about such a list.
inline unsigned shard_count(const std::string& path,
                            const std::string& instead = "it is searched, not written: index into each shard's own folder") {
  if (!schema::is_shard_list(path)) return 0;
  const auto not_ours = [&](const std::string& why) {
    return IndexError(path + " lists the shards of an index (a Xapian stub) that `fundstelle index --shards` did not "
                      "write (" + why + "); " + instead);
  };
  if (std::filesystem::is_regular_file(path)) throw not_ours("a stub file, not a folder");
  const std::string list = schema::shard_list_file(path);
  std::ifstream in(list);
  if (!in) throw IndexError("cannot read the shard list " + list);
  unsigned n = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line != "auto shard-" + std::to_string(n)) throw not_ours("its line \"" + line + "\"");
    ++n;
  }
  if (n == 0) throw not_ours("no shards");
  return n;
}

// Writes the shard list of an index of `shards` shards into the folder `path` (to a temporary file, synced,
// then renamed into place: a searcher finds the old list or the new one, never a part).
inline void write_shard_list(const std::string& path, unsigned shards) {
  std::ostringstream text;
  text << "# Fundstelle: an index in " << shards << " shards, written by `fundstelle index --shards " << shards
       << "`.\n# Searched as one index; each article lives in one shard, chosen by a stable hash of its id.\n";
  for (unsigned k = 0; k < shards; ++k) text << "auto shard-" << k << "\n";
  const std::string body = text.str(), final_name = path + "/XAPIANDB", temp = final_name + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bool ok = fd >= 0 && ::write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size()) && ::fsync(fd) == 0;
  if (fd >= 0) ok = ::close(fd) == 0 && ok;
  if (!ok || std::rename(temp.c_str(), final_name.c_str()) != 0) {
    std::remove(temp.c_str());
    throw IndexError("cannot write the shard list " + final_name);
  }
  if (const int dir = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace fundstelle::indexer
