#include "searcher/explain.h"

#include <algorithm>
#include <unordered_set>

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
  // Whether `q` matches the passage (searched within its article).
  const auto matches = [&](const Xapian::Query& q) {
    Xapian::Enquire one(db);
    one.set_weighting_scheme(Xapian::BoolWeight());
    one.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q, article));
    const Xapian::MSet m = one.get_mset(0, passages);
    return std::any_of(m.begin(), m.end(), [&](Xapian::docid d) { return d == docid; });
  };
  // The terms of the positional groups the passage matches (a compound's parts near each other, a phrase).
  std::unordered_set<std::string> placed;
  for (const auto& g : parsed.positional)
    if (matches(g.query)) placed.insert(g.terms.begin(), g.terms.end());
  for (auto t = whole.get_matching_terms_begin(docid); t != whole.get_matching_terms_end(docid); ++t) {
    const std::string term = *t;
    // Held but not where its group needs it (Entwicklung with no Zentrum near): it adds nothing.
    if (parsed.positional_only.count(term) && !placed.count(term)) continue;
    Xapian::Enquire one(db);
    one.set_weighting_scheme(Xapian::BM25Weight());
    one.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(term), article));
    const Xapian::MSet m = one.get_mset(0, passages);
    double weight = 0;
    for (auto it = m.begin(); it != m.end(); ++it)
      if (*it == docid) weight = it.get_weight();
    TermWeight tw;
    const auto factor = parsed.term_factors.find(term);
    tw.factor = factor == parsed.term_factors.end() ? 1.0 : factor->second;
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
