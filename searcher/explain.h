// --explain: why a passage ranks where it does. Each matching term's own BM25 weight in the passage (a
// one-term search restricted to the passage's article, as match deciders do not reach remote shards),
// scaled by the factor the query gave it, beside the rerank features.
#pragma once

#include <xapian.h>

#include <string>

#include "fundstelle/searcher.h"
#include "searcher/query_builder.h"
#include "searcher/ranker.h"

namespace fundstelle::searcher {

// The explanation of the passage `docid` of the article `article_id`, found by `query` with weight `bm25`
// and reranked with `features`. Costs a few small searches: only for hits shown.
Explanation explain(const Xapian::Database& db, Xapian::docid docid, double bm25, const PassageFeatures& features,
                    const ParsedQuery& parsed, const Xapian::Query& query, const std::string& article_id);

}  // namespace fundstelle::searcher
