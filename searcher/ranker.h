// Reranking features of one passage for a parsed query: which concepts it covers, how close together, and
// where to highlight. The rerank reads coverage and proximity from the positions the index holds
// (PositionReader); only the passages shown are analysed again, for their highlights (see Searcher). Over
// remote shards it analyses the candidates' texts instead (rerank_texts: the same features).
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "analyzers/german_analyzer.h"
#include "fundstelle/passage.h"
#include "searcher/query_parser.h"

namespace fundstelle::searcher {

struct PassageFeatures {
  std::size_t covered = 0;       // concepts present in the passage text
  std::size_t concepts = 0;      // concepts in the query
  std::size_t typed = 0;         // concepts present in the very form typed (Concept::typed)
  double typed_weight = 0;       // the Concept::typed_weight of those concepts, summed
  std::size_t window = 0;        // smallest span of word positions holding one of each covered concept
  double proximity = 0;          // 1 when the covered concepts stand next to each other, towards 0 when far apart
  std::vector<Span> highlights;  // code points, sorted, merged
};

// The word positions (0-based) of each highlight term of the query in one passage.
using TermPositions = std::unordered_map<std::string, std::vector<std::uint32_t>>;

// From the analysed passage text: coverage, window and proximity, and the highlights.
PassageFeatures passage_features(const ParsedQuery& query, const std::vector<analyzers::Token>& tokens);
// The highlights of a passage's `text` (as passage_features from its analysis gives them) from `positions`, the
// positions of the query's highlight_terms in it as the index holds them (positions_of; sorted): only the
// words there are analysed.
std::vector<Span> highlights(const ParsedQuery& query, analyzers::GermanAnalyzer& analyzer, std::string_view text,
                             const std::vector<std::uint32_t>& positions);
// Every position in `positions`, sorted, once.
std::vector<std::uint32_t> positions_of(const TermPositions& positions);
// From positions alone (as the index holds them: no text to analyse): coverage, window and proximity, the
// same as from the text; no highlights.
PassageFeatures passage_features(const ParsedQuery& query, const TermPositions& positions);

// The index terms that hold the positions of the query's highlight terms, each with the highlight term it
// stands for: a word's own term and the same word as a compound part (P); and the exact-form terms of the
// words as typed (Concept::typed), which have no positions and stand for themselves. Made once per query.
using PositionTerms = std::vector<std::pair<std::string, std::string>>;
PositionTerms position_terms(const ParsedQuery& query);
// Only the first kind: the index terms whose positions are the words a hit's highlights can mark.
PositionTerms highlight_terms(const ParsedQuery& query);

// The positions of the highlight terms in indexed passages, as the analyzer gave them when they were indexed,
// for passages asked for in ascending document order: each term's posting list is walked forward once
// (skip_to), so that positions are looked up only in the passages that hold the term. Looking them up for
// every term in every candidate was more than half of a query's time.
class PositionReader {
 public:
  PositionReader(const Xapian::Database& db, const PositionTerms& terms);
  // Fills `out` (cleared first). `docid` must be above the one read before, or the same one again (to read
  // the positions of a passage first read without them). Without `positions`, only which terms the passage
  // holds (each with no positions): enough for coverage, and the position table is not read.
  void read(Xapian::docid docid, TermPositions& out, bool positions = true);

 private:
  struct Cursor {
    std::string term;  // the highlight term the index term stands for
    Xapian::PostingIterator at, end;
    bool positions;  // false for a term indexed without positions (an exact form)
  };
  std::vector<Cursor> cursors_;
};

// The factor for words written as typed: 1 + weights::kTypedBonus times the typed concepts' typed_weight over
// the number of concepts.
double typed_factor(const PassageFeatures& f);

// The final score: BM25 raised by proximity and by typed_factor. Ordering puts coverage first (rerank).
double rerank_score(double bm25, const PassageFeatures& f);

// A passage the match found, with what the rerank knows of it.
struct Candidate {
  PassageFeatures features;
  Xapian::docid docid = 0;
  double bm25 = 0;
  double score = 0;
  // The positions of the highlight terms (positions_of), where the rerank read them (covered >= 2: never
  // empty then); empty where it did not.
  std::vector<std::uint32_t> positions;
};

// The passages of `mset` not in `seen` (which they join), as candidates with their BM25 weight.
std::vector<Candidate> candidates_of(const Xapian::MSet& mset, std::unordered_set<Xapian::docid>& seen);

// The candidates, reranked: coverage first (a passage with every concept beats one that repeats a single
// word), then the score, then the document id. Reads word positions from the index, no text.
std::vector<Candidate> rerank(const Xapian::Database& db, std::vector<Candidate> candidates, const ParsedQuery& query);
// That order: whether `a` ranks before `b`. A total order, and each candidate's place in it depends on the
// candidate alone: two reranked lists merged in it are the rerank of both together.
bool ranks_before(const Candidate& a, const Candidate& b);
// The same rerank from the candidates' `texts` (in their order), analysed: the same features, with their
// highlights. For remote shards, whose posting lists Xapian 1.4 sends whole.
std::vector<Candidate> rerank_texts(std::vector<Candidate> candidates, const std::vector<std::string>& texts,
                                    const ParsedQuery& query, analyzers::GermanAnalyzer& analyzer);

// The passages that cover every concept of the query, as the rerank counts coverage: for each concept, all
// terms of one of its alternatives, each standing alone or as a compound part. A filter, for the candidates
// that can lead a page.
Xapian::Query every_concept(const ParsedQuery& query);

}  // namespace fundstelle::searcher
