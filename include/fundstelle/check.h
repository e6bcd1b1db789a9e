// Checking an index: Xapian's own consistency check of its tables, plus Fundstelle's invariants.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "fundstelle/export.h"

namespace fundstelle {

struct CheckReport {
  std::size_t articles = 0;           // article records
  std::size_t passages = 0;           // passage documents
  std::size_t xapian_errors = 0;      // errors Xapian's check found in the tables
  std::vector<std::string> problems;  // each in plain words; empty when the index is sound
  // Some problems go only with a rebuild of the index from all its sources (Indexer with `rebuild`): it was
  // built by another version of Fundstelle, a rebuild was interrupted, or articles lie in the wrong shard.
  bool rebuild_needed = false;
  // What is worth knowing and is no damage: an index without articles beside which a first import's shards
  // lie, one under way or one stopped (IndexReport::first_import_kept), not searchable until it is installed.
  std::vector<std::string> notes;
  bool ok() const { return problems.empty(); }
};

// Checks the last commit of the index at `path` (it may be written meanwhile; the check reads one revision):
//  - Xapian's check of every table (B-tree structure, and cross-checks between the tables);
//  - the schema and analyzer fingerprint are those of this Fundstelle;
//  - every passage belongs to an article record, and says so consistently (article term, value and data);
//  - every article's passages are complete and contiguous: ordinals 0..n-1, each once, n as recorded, all
//    of the same revision of the article (none left over from an older version).
// A sharded index (`fundstelle index --shards`) is checked shard by shard (problems start with "shard-K: "),
// and each shard must be the one its list says and hold only articles whose id picks it.
// Throws IndexError when there is no index at `path` or it cannot be opened at all; damage it can still read
// past is reported in `problems`.
FUNDSTELLE_API CheckReport check_index(const std::string& path);

}  // namespace fundstelle
