// Searching an index for passages.
//
// Thread safety: a Searcher is not thread-safe; give each thread its own (they are cheap to open). Searchers
// see the index as of the last commit when they were opened.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fundstelle/passage.h"

namespace fundstelle {

struct SearchOptions {
  std::size_t limit = 10;
  std::size_t offset = 0;
  std::optional<PassageKind> kind;  // only passages of this kind
  std::size_t per_article = 2;      // at most this many passages of one article per result list (0: no limit)
};

struct Hit {
  std::size_t rank = 0;  // 1-based, counting from the first result (offset included)
  double score = 0;
  std::string article;  // article id
  std::string title;
  std::string url;
  std::string published;
  PassageKind kind = PassageKind::Article;
  std::size_t ordinal = 0;     // passage number within its article, from 0
  Span span;                   // where the passage lies in the article body or in its comment (code points)
  std::size_t comment = 0;     // for comments: which comment of the article, from 0
  std::string text;            // the passage text
  std::vector<Span> highlights;  // matched words in `text`, code point offsets, sorted, not overlapping
};

struct SearchResults {
  std::vector<Hit> hits;
  std::size_t total_estimate = 0;  // passages matching the query, estimated
};

class Searcher {
 public:
  // Opens the index at `path` for reading. Throws IndexError if there is none, or it was built with another
  // analyzer or schema.
  explicit Searcher(const std::string& path);
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Throws QueryError for a malformed query.
  SearchResults search(std::string_view query, const SearchOptions& options = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fundstelle
