#include "searcher/ranker.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "index/schema.h"
#include "searcher/weights.h"

namespace fundstelle::searcher {

PassageFeatures passage_features(const ParsedQuery& query, const std::vector<analyzers::Token>& tokens) {
  TermPositions positions;
  std::vector<Span> spans;
  for (const auto& t : tokens) {
    if (query.highlight.count(t.term)) {
      // Its form, where the query may ask for it as typed (a typed word's term is always a highlight term).
      if (t.role == analyzers::TokenRole::Word || t.role == analyzers::TokenRole::Part)
        positions.try_emplace(std::string(schema::kExact) + t.form);
      positions[t.term].push_back(t.position);
      // A passage compound is marked for a query word it holds (Zentrum in Entwicklungszentrum), not for a
      // part it shares with a query compound (werk: Stadtwerke for Wasserstoffkraftwerk).
      const bool inside = t.role == analyzers::TokenRole::Split || t.role == analyzers::TokenRole::Inner;
      if (!inside || !query.split_only.count(t.term)) spans.push_back(Span{t.begin, t.end});
    }
  }
  PassageFeatures f = passage_features(query, positions);
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  for (const auto& s : spans) {
    if (!f.highlights.empty() && s.begin <= f.highlights.back().end)
      f.highlights.back().end = std::max(f.highlights.back().end, s.end);
    else f.highlights.push_back(s);
  }
  return f;
}

std::vector<std::uint32_t> positions_of(const TermPositions& positions) {
  std::vector<std::uint32_t> at;
  for (const auto& [term, ps] : positions) at.insert(at.end(), ps.begin(), ps.end());
  std::sort(at.begin(), at.end());
  at.erase(std::unique(at.begin(), at.end()), at.end());
  return at;
}

std::vector<Span> highlights(const ParsedQuery& query, analyzers::GermanAnalyzer& analyzer, std::string_view text,
                             const std::vector<std::uint32_t>& positions) {
  if (positions.empty()) return {};
  std::vector<analyzers::Token> tokens;
  analyzer.analyze_at(text, positions, tokens);
  return passage_features(query, tokens).highlights;
}

PassageFeatures passage_features(const ParsedQuery& query, const TermPositions& positions) {
  PassageFeatures f;
  f.concepts = query.concepts.size();
  // Occurrences (position, concept) of every covered concept; an alternative counts where its first term is.
  std::vector<std::pair<std::uint32_t, std::size_t>> occ;
  for (std::size_t c = 0; c < query.concepts.size(); ++c) {
    bool present = false;
    for (const auto& alt : query.concepts[c].alternatives) {
      if (alt.empty() || !std::all_of(alt.begin(), alt.end(), [&](const auto& t) { return positions.count(t) > 0; }))
        continue;
      present = true;
      for (const auto p : positions.at(alt.front())) occ.emplace_back(p, c);
    }
    if (present) ++f.covered;
    const auto& typed = query.concepts[c].typed;
    if (std::any_of(typed.begin(), typed.end(), [&](const auto& t) { return positions.count(t) > 0; })) {
      ++f.typed;
      f.typed_weight += query.concepts[c].typed_weight;
    }
  }
  if (f.covered < 2) return f;

  // Smallest window holding one occurrence of each covered concept (two pointers over sorted occurrences).
  std::sort(occ.begin(), occ.end());
  std::map<std::size_t, std::size_t> in_window;
  std::size_t best = SIZE_MAX, lo = 0;
  for (std::size_t hi = 0; hi < occ.size(); ++hi) {
    ++in_window[occ[hi].second];
    while (in_window.size() == f.covered) {
      best = std::min<std::size_t>(best, occ[hi].first - occ[lo].first);
      if (--in_window[occ[lo].second] == 0) in_window.erase(occ[lo].second);
      ++lo;
    }
  }
  f.window = best;
  f.proximity = best == 0 ? 1.0 : std::min(1.0, static_cast<double>(f.covered - 1) / static_cast<double>(best));
  return f;
}

PositionTerms highlight_terms(const ParsedQuery& query) {
  PositionTerms terms;
  for (const auto& term : query.highlight) {
    terms.emplace_back(term, term);
    terms.emplace_back(std::string(schema::kCompoundPart) + term, term);
  }
  return terms;
}

PositionTerms position_terms(const ParsedQuery& query) {
  PositionTerms terms = highlight_terms(query);
  for (const auto& c : query.concepts)
    for (const auto& t : c.typed) terms.emplace_back(t, t);
  return terms;
}

PositionReader::PositionReader(const Xapian::Database& db, const PositionTerms& terms) {
  for (const auto& [index_term, term] : terms) {
    auto at = db.postlist_begin(index_term);
    if (at != db.postlist_end(index_term))
      cursors_.push_back(Cursor{term, at, db.postlist_end(index_term), index_term[0] != schema::kExact[0]});
  }
}

void PositionReader::read(Xapian::docid docid, TermPositions& out, bool positions) {
  out.clear();
  for (auto& c : cursors_) {
    if (c.at == c.end) continue;
    if (*c.at < docid) c.at.skip_to(docid);
    if (c.at == c.end || *c.at != docid) continue;
    auto& at = out[c.term];
    if (!positions || !c.positions) continue;
    for (auto p = c.at.positionlist_begin(); p != c.at.positionlist_end(); ++p) at.push_back(*p - 1);
  }
}

std::vector<Candidate> candidates_of(const Xapian::MSet& mset, std::unordered_set<Xapian::docid>& seen) {
  std::vector<Candidate> out;
  out.reserve(mset.size());
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    if (!seen.insert(*it).second) continue;
    Candidate c;
    c.docid = *it;
    c.bm25 = it.get_weight();
    out.push_back(std::move(c));
  }
  return out;
}

Xapian::Query every_concept(const ParsedQuery& query) {
  std::vector<Xapian::Query> concepts;
  for (const auto& c : query.concepts) {
    std::vector<Xapian::Query> alternatives;
    for (const auto& alt : c.alternatives) {
      std::vector<Xapian::Query> terms;
      for (const auto& t : alt)
        terms.emplace_back(Xapian::Query::OP_OR, Xapian::Query(t),
                           Xapian::Query(std::string(schema::kCompoundPart) + t));
      alternatives.emplace_back(Xapian::Query::OP_AND, terms.begin(), terms.end());
    }
    concepts.emplace_back(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
  }
  return Xapian::Query(Xapian::Query::OP_AND, concepts.begin(), concepts.end());
}

std::vector<Candidate> rerank(const Xapian::Database& db, std::vector<Candidate> ranked, const ParsedQuery& query) {
  // Read in document order: posting lists are, so neighbouring candidates (passages of one article, say)
  // share the B-tree blocks Xapian has just read instead of each one reading its own path from the root.
  std::sort(ranked.begin(), ranked.end(), [](const Candidate& a, const Candidate& b) { return a.docid < b.docid; });
  TermPositions positions;
  PositionReader position_reader(db, position_terms(query));
  for (auto& c : ranked) {
    // Which terms the passage holds gives its coverage; positions matter only for the window between two
    // or more covered concepts, so they are read only then (never for a query of one concept).
    position_reader.read(c.docid, positions, false);
    c.features = passage_features(query, positions);
    if (c.features.covered >= 2) {
      position_reader.read(c.docid, positions, true);
      c.features = passage_features(query, positions);
      c.positions = positions_of(positions);  // (the highlights of a hit shown need them again)
    }
    c.score = rerank_score(c.bm25, c.features);
  }
  std::sort(ranked.begin(), ranked.end(), ranks_before);
  return ranked;
}

std::vector<Candidate> rerank_texts(std::vector<Candidate> ranked, const std::vector<std::string>& texts,
                                    const ParsedQuery& query, analyzers::GermanAnalyzer& analyzer) {
  std::vector<analyzers::Token> tokens;
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    auto& c = ranked[i];
    tokens.clear();
    analyzer.analyze(texts[i], tokens);
    c.features = passage_features(query, tokens);
    c.score = rerank_score(c.bm25, c.features);
  }
  std::sort(ranked.begin(), ranked.end(), ranks_before);
  return ranked;
}

bool ranks_before(const Candidate& a, const Candidate& b) {
  if (a.features.covered != b.features.covered) return a.features.covered > b.features.covered;
  if (a.score != b.score) return a.score > b.score;
  return a.docid < b.docid;
}

double typed_factor(const PassageFeatures& f) {
  return f.concepts > 0 ? 1.0 + weights::kTypedBonus * f.typed_weight / static_cast<double>(f.concepts) : 1.0;
}

double rerank_score(double bm25, const PassageFeatures& f) {
  return bm25 * (1.0 + weights::kProximityFactor * f.proximity) * typed_factor(f);
}

}  // namespace fundstelle::searcher
