// Where an index lies on disk, and the shard layout. A single index is a folder with Xapian's tables (its
// version file `iamglass`). A sharded index, as `Indexer(path, rebuild, N)` writes it, is a folder holding the
// shards shard-0 ... shard-(N-1), each a whole Fundstelle index, and a Xapian stub `XAPIANDB` listing them
// (`auto shard-K`), so that a searcher opens the folder as one index and xapian-tcpsrv can serve each shard.
// An article lives in shard schema::shard_of_key(key, N); each shard records its place in its metadata
// (schema::kMetaShard = "shard-K of N"), which the writer checks against the stub before it writes.
//
// Stubs in general (what a searcher reads) list one shard a line, in Xapian's own stub format:
//   auto PATH         a local index (PATH relative to the stub's folder unless absolute); `glass PATH` too
//   remote HOST:PORT  an index served by xapian-tcpsrv (or `remote :PROGRAM ARGS`)
//   # ...             a comment
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace fundstelle::index {

// Whether `path` holds a single index of its own (Xapian's version file is there).
bool is_single_index(const std::string& path);

// Whether `path` is a Xapian stub listing the shards of an index (a regular file, or a folder with a file
// XAPIANDB and no index of its own): searched as one index, never written as one.
bool is_shard_list(const std::string& path);

// The stub file of a shard list `path` (is_shard_list): the file itself, or the folder's XAPIANDB.
std::string shard_list_file(const std::string& path);

// The folder of shard `k` of the sharded index at `index`.
std::string shard_folder(const std::string& index, unsigned k);

// "shard-K of N", the value of schema::kMetaShard for shard k of n.
std::string shard_label(unsigned k, unsigned n);

// The number of shards of the sharded index at `path`; 0 when `path` holds no shard list (a single index, a
// folder to be created, or nothing yet). Throws IndexError (BadInput) for a shard list that the writer
// did not write (remote shards, shards elsewhere), ending its message with `instead`, what the caller does
// about such a list.
unsigned shard_count(const std::string& path,
                     const std::string& instead = "it is searched, not written: index into each shard's own folder");

// Writes the shard list of an index of `shards` shards into the folder `path` (atomically: a searcher finds
// the old list or the new one, never a part). Throws IndexError.
void write_shard_list(const std::string& path, unsigned shards);

// The folder where a first import on several threads writes its shards before they are merged and installed
// in place of the empty index at `index` (indexer/parallel_build.h); a stopped one stays there.
std::string first_import_folder(const std::string& index);
// The file a first import writes in that folder before any shard ("fundstelle first import", then "shards
// N"). A folder without it is never taken up.
inline constexpr const char* kFirstImportMarker = "build";
// Writes it into `folder` for a build of `shards` shards (atomically); false when it cannot be written.
bool write_first_import_marker(const std::string& folder, unsigned shards);
// The number of shards the marker in `folder` names; nothing when there is none or it is not ours.
std::optional<unsigned> first_import_marker(const std::string& folder);
// Whether a first import has written shards beside the index at `index` (its folder holds the marker file):
// one under way, or one stopped or killed and kept for the next run to take up. The index itself stays
// without articles until it is installed.
bool first_import_kept(const std::string& index);
// What a search and the check say of an index without articles beside which a first import's shards lie.
inline constexpr const char* kFirstImportKeptNote =
    "the index has no articles yet: a first import has written articles beside it (in .parallel-build), "
    "searchable once it is installed: when it ends, or, if it was stopped, when the same sources are indexed "
    "again";

// One line of a stub: how to open the shard, and where it stands.
struct ShardLine {
  std::string type;  // "auto", "glass" or "remote"
  std::string what;  // the path (made absolute against the stub's folder) or HOST:PORT (or :PROGRAM ARGS)
  std::size_t line = 0;
};

// The shards the stub file `stub` lists. Throws IndexError when it cannot be read, has a line of another
// kind, or lists none.
std::vector<ShardLine> read_stub(const std::string& stub);

}  // namespace fundstelle::index
