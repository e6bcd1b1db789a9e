// Reranking features of one passage for a parsed query: which concepts it covers, how close together, and
// where to highlight. Computed from the passage text with the same analyzer that indexed it.
#pragma once

#include <string>
#include <vector>

#include "analyzers/german_analyzer.h"
#include "fundstelle/passage.h"
#include "searcher/query_parser.h"

namespace fundstelle::searcher {

struct PassageFeatures {
  std::size_t covered = 0;      // concepts present in the passage text
  std::size_t concepts = 0;     // concepts in the query
  std::size_t window = 0;       // smallest span of word positions holding one of each covered concept
  double proximity = 0;         // 1 when the covered concepts stand next to each other, towards 0 when far apart
  std::vector<Span> highlights; // code points, sorted, merged
};

PassageFeatures passage_features(const ParsedQuery& query, const std::vector<analyzers::Token>& tokens);

// The final score: BM25 raised by proximity. Ordering puts coverage first (see Searcher).
double rerank_score(double bm25, const PassageFeatures& f);

}  // namespace fundstelle::searcher
