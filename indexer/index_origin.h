// Who wrote an index, as its metadata says: the one check behind the writer's, the searcher's and
// `fundstelle check`'s refusal of an index from another version of Fundstelle.
#pragma once

#include <sys/stat.h>
#include <xapian.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "analyzers/german_analyzer.h"
#include "indexer/schema.h"

namespace fundstelle::schema {

struct IndexOrigin {
  std::string schema;    // as recorded (empty: none)
  std::string analyzer;  // the analyzer fingerprint recorded
  bool fresh = false;    // nothing committed yet: any Fundstelle may write it
  bool rebuilding = false;  // a --rebuild was begun and not finished
  bool our_schema() const { return schema == std::to_string(kVersion); }
  bool our_analyzer() const { return analyzer == analyzers::GermanAnalyzer::fingerprint(); }
  bool ours() const { return fresh || (our_schema() && our_analyzer()); }
};

// Whether `path` is a Xapian stub listing the shards of an index (a regular file, or a folder with a file
// XAPIANDB and no index of its own): searched as one index (searcher/shards.h), never written as one.
inline bool is_shard_list(const std::string& path) {
  struct stat st {};
  const auto file = [&](const std::string& p) { return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode); };
  return file(path) || (!file(path + "/iamglass") && file(path + "/XAPIANDB"));
}

// The stub file of a shard list `path` (is_shard_list): the file itself, or the folder's XAPIANDB.
inline std::string shard_list_file(const std::string& path) {
  return std::filesystem::is_regular_file(path) ? path : path + "/XAPIANDB";
}

// The articles an index (one shard) records. Xapian deletes a metadata item set to "", so every key counts.
inline std::size_t article_count(const Xapian::Database& db) {
  const std::string prefix(kMetaArticle);
  std::size_t n = 0;
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) ++n;
  return n;
}

// Bytes on disk of the index in `folder` (its own files, not those of folders inside it).
inline std::uint64_t index_bytes(const std::string& folder) {
  std::uint64_t bytes = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(folder, ec))
    if (e.is_regular_file(ec)) bytes += e.file_size(ec);
  return bytes;
}

inline IndexOrigin index_origin(const Xapian::Database& db) {
  IndexOrigin o;
  o.schema = db.get_metadata(std::string(kMetaSchema));
  o.analyzer = db.get_metadata(std::string(kMetaAnalyzer));
  o.fresh = o.schema.empty() && db.get_doccount() == 0;
  o.rebuilding = !db.get_metadata(std::string(kMetaRebuilding)).empty();
  return o;
}

}  // namespace fundstelle::schema
