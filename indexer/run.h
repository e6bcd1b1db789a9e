// An indexing run: sources (files and folders, or a JSON Lines stream) read into articles and written through
// a Writer, batch by batch or on the writer's parallel build; then --prune and the end of a rebuild. What
// Indexer::index_paths and Indexer::index_jsonl promise (fundstelle/indexer.h) is done here.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/hash.h"
#include "fundstelle/indexer.h"
#include "indexer/parallel_build.h"
#include "indexer/sources.h"
#include "indexer/writer.h"

namespace fundstelle::indexer {

class IndexRun {
 public:
  IndexRun(Writer& writer, const IndexOptions& options);
  // Indexes `paths` and commits. Xapian errors reach the caller (for Writer::fail).
  IndexReport run(const std::vector<std::string>& paths);

 private:
  void choose_sources(const std::vector<std::string>& paths);
  void name_by_folders(const std::vector<std::string>& given);
  void read_feed(const SourceFile& src);
  void read_txt(const SourceFile& src);
  void skip(const std::string& source);
  void put(Article&& article);
  void note_source(const Article& article);
  bool stopping();
  void finish_parallel();
  void prune();
  bool unreadable(const std::string& source) const;

  Writer& writer_;
  const IndexOptions& options_;
  IndexReport report_;
  std::vector<SourceFile> sources_;
  std::vector<std::string> scope_;               // what this run looks at: the paths, or options.only
  std::vector<std::string> folders_;             // the source folders, as remembered after this run
  std::vector<std::string> unreadable_folders_;  // --prune keeps what lies under them
  std::set<std::string> unreadable_sources_;     // files not read in full: their articles are not "gone"
  // Articles recorded before this run in its scope, by key, with their sources: the candidates for --prune.
  std::vector<std::pair<std::string, std::string>> before_;
  // Where each article of this run came from (an index into `source_names_`: many articles share a feed),
  // which also tells the articles met in this run, by the hash of the article key. About 40 bytes an article,
  // with a feed's last lines (24) the part of the memory of a run that grows with the number of articles.
  std::unordered_map<base::IdHash, std::uint32_t, base::IdHashHasher> source_of_key_;
  std::vector<std::string> source_names_;
  std::unique_ptr<ParallelBuild> parallel_;
  std::size_t batch_bytes_ = 0, changed_since_commit_ = 0, text_since_commit_ = 0, articles_seen_ = 0;
};

// Indexes a JSON Lines feed read from `in` (`source` names it in problems) through `writer`, and commits:
// Indexer::index_jsonl. Xapian errors reach the caller.
IndexReport index_stream(Writer& writer, std::istream& in, const std::string& source);

}  // namespace fundstelle::indexer
