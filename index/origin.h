// Who wrote an index, as its metadata says, and what it holds: the one check behind the writer's, the
// searcher's and `check_index`'s refusal of an index from another version of Fundstelle.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "analyzers/german_analyzer.h"
#include "index/schema.h"

namespace fundstelle::schema {

struct IndexOrigin {
  std::string schema;       // as recorded (empty: none)
  std::string analyzer;     // the analyzer fingerprint recorded
  bool fresh = false;       // nothing committed yet: any Fundstelle may write it
  bool rebuilding = false;  // a --rebuild was begun and not finished
  bool our_schema() const { return schema == std::to_string(kVersion); }
  bool our_analyzer() const { return analyzer == analyzers::GermanAnalyzer::fingerprint(); }
  bool ours() const { return fresh || (our_schema() && our_analyzer()); }
};

IndexOrigin index_origin(const Xapian::Database& db);

// The articles an index (one shard) records. Xapian deletes a metadata item set to "", so every key counts.
std::size_t article_count(const Xapian::Database& db);

// Whether an index holds a passage or an article record.
bool has_articles(const Xapian::Database& db);

// Bytes on disk of the index in `folder` (its own files, not those of folders inside it).
std::uint64_t index_bytes(const std::string& folder);

}  // namespace fundstelle::schema
