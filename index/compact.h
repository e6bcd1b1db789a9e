// Whole-index operations on disk: merging indexes into one compacted index, and putting a finished index in
// the place of an empty one. (The public compact_index, in fundstelle/indexer.h, is built on these.)
#pragma once

#include <xapian.h>

#include <string>

namespace fundstelle::index {

// Compacts `indexes` (one index, or several added to one Database) into one index at `destination` (which
// must not exist), with Xapian's compaction: postings, positions, spelling data and metadata merged (document
// ids renumbered, shard after shard); the result records no shard number. Throws Xapian::Error.
void merge_indexes(Xapian::Database indexes, const std::string& destination);

// Puts the index at `built` (a finished index folder) in the place of the index at `target`, which must be the
// folder of an index without articles (its writer closed, our writer lock still held). Readers see the old
// empty index, then briefly no index, then the new one; a crash in between leaves no index (iamglass
// missing), which the next run creates anew. Nothing is lost, as there was nothing. Throws IndexError.
void install_index(const std::string& built, const std::string& target);

}  // namespace fundstelle::index
