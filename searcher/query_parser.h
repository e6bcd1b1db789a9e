// The query language: words, "phrases", -word (exclude), +word (require), AND / OR / NOT (upper case),
// parentheses, title:word and title:"phrase", and word* (a trailing wildcard). Words side by side use the
// default operator: a passage that contains more of them ranks higher, and a word missing from the index does
// not empty the result.
//
// Parsing is two steps: the grammar (query_syntax.h: text -> syntax tree) and query building
// (query_builder.h: syntax tree -> Xapian query, through the analyzer, synonyms and the weights of weights.h).
//
// Thread safety: uses the analyzer it is given; one per thread.
#pragma once

#include <cstddef>
#include <string_view>

#include "analyzers/german_analyzer.h"
#include "searcher/query_builder.h"
#include "searcher/query_syntax.h"

namespace fundstelle::searcher {

class QueryParser {
 public:
  static constexpr std::size_t kMaxLength = syntax::kMaxLength;  // code points

  explicit QueryParser(analyzers::GermanAnalyzer& analyzer) : analyzer_(analyzer) {}
  // Throws fundstelle::QueryError (with the code point position) for a malformed query.
  ParsedQuery parse(std::string_view query, const ParseOptions& options = {}) {
    return build_query(syntax::parse(query), analyzer_, options);
  }

 private:
  analyzers::GermanAnalyzer& analyzer_;
};

}  // namespace fundstelle::searcher
