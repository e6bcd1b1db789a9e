// Who wrote an index, as its metadata says, and what it holds: the one check behind the writer's, the
// searcher's and `check_index`'s refusal of an index from another version of Fundstelle.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

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

// The source folders an index remembers (kMetaSources), in the order first indexed. One that does not (written
// before they were remembered) tells them through its records: the folder of each .txt article whose source
// file's path ends in its id; those of all `shards` together, the folder with the most articles first.
std::vector<std::string> source_folders(const std::vector<Xapian::Database>& shards);
// The value of kMetaSources for `folders`: each after a '\0', which no path holds ("\0" for none, as an empty
// value is no value and would send the reader to the records).
std::string encode_source_folders(const std::vector<std::string>& folders);

// Bytes on disk of the index in `folder` (its own files, not those of folders inside it).
std::uint64_t index_bytes(const std::string& folder);

}  // namespace fundstelle::schema
