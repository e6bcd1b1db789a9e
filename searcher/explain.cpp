#include "searcher/explain.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "index/schema.h"

namespace fundstelle::searcher {

namespace {

// What kind of index term `term` is, by its prefix (index/schema.h), as --explain names it.
const char* kind_of(const std::string& term) {
  const char p = term.empty() ? 0 : term[0];
  return p == schema::kExact[0]          ? "exact form"
         : p == schema::kCompoundPart[0] ? "compound part"
         : p == schema::kTitle[0]        ? "title"
         : p == schema::kSection[0]      ? "section heading"
                                         : "word";
}

}  // namespace

Explanation explain(const Xapian::Database& db, Xapian::docid docid, double bm25, const PassageFeatures& f,
                    const ParsedQuery& parsed, const Xapian::Query& query, const std::string& article_id) {
  Explanation e;
  e.bm25 = bm25;
  e.covered = f.covered;
  e.concepts = f.concepts;
  e.typed = f.typed;
  e.typed_factor = typed_factor(f);
  e.window = f.window;
  e.proximity = f.proximity;
  // Each matching term's own BM25 weight in this passage: a one-term search restricted to the passage.
  Xapian::Enquire whole(db);
  whole.set_query(query);
  // Only this passage: the term's search within its article (a filter, as match deciders do not reach
  // remote shards), and this passage's place in it.
  const std::string article_term = std::string(schema::kArticle) + schema::article_key(article_id);
  const Xapian::Query article(article_term);
  const Xapian::doccount passages = db.get_termfreq(article_term);
  // The weight of `q` in the passage by `weighting`, searched within its article; none if it does not match.
  const auto weight_in_passage = [&](const Xapian::Query& q, const Xapian::Weight& weighting) {
    Xapian::Enquire one(db);
    one.set_weighting_scheme(weighting);
    one.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q, article));
    const Xapian::MSet m = one.get_mset(0, passages);
    for (auto it = m.begin(); it != m.end(); ++it)
      if (*it == docid) return std::optional<double>(it.get_weight());
    return std::optional<double>();
  };
  // The factors of the terms of the positional groups the passage matches (a compound's parts near each
  // other, a phrase); a group it does not match adds nothing (Entwicklung with no Zentrum near).
  std::unordered_map<std::string, double> placed;
  for (const auto& g : parsed.positional)
    if (weight_in_passage(g.query, Xapian::BoolWeight()))
      for (const auto& [term, factor] : g.factors) placed[term] += factor;
  for (auto t = whole.get_matching_terms_begin(docid); t != whole.get_matching_terms_end(docid); ++t) {
    const std::string term = *t;
    const auto standalone = parsed.term_factors.find(term);
    const auto in_groups = placed.find(term);
    TermWeight tw;
    tw.factor = (standalone == parsed.term_factors.end() ? 0.0 : standalone->second) +
                (in_groups == placed.end() ? 0.0 : in_groups->second);
    if (tw.factor <= 0) continue;
    const double weight = weight_in_passage(Xapian::Query(term), Xapian::BM25Weight()).value_or(0.0);
    tw.weight = weight * tw.factor;
    tw.kind = kind_of(term);
    const char p = term.empty() ? 0 : term[0];
    tw.term = (p >= 'A' && p <= 'Z') ? term.substr(1) : term;
    e.terms.push_back(std::move(tw));
  }
  std::sort(e.terms.begin(), e.terms.end(), [](const auto& a, const auto& b) { return a.weight > b.weight; });
  return e;
}

}  // namespace fundstelle::searcher
