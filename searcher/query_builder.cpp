#include "searcher/query_builder.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>
#include <utility>

#include "analyzers/normalize.h"
#include "base/utf8.h"
#include "fundstelle/error.h"
#include "index/schema.h"
#include "searcher/weights.h"

namespace fundstelle::searcher {
namespace {

using analyzers::Token;
using analyzers::TokenRole;
using syntax::Kind;
using syntax::Node;
using syntax::Role;

// The query of a node and what it reports.
struct Part {
  Xapian::Query query;
  std::vector<Concept> concepts;
  std::vector<std::string> highlight;
  std::vector<std::string> split_terms;  // of `highlight`, those pushed as parts of a query compound
  std::vector<QueryExpansion> expansions;
  std::vector<QueryWord> words;
  std::vector<std::string> ignored;  // free stopwords left out
  bool stopword_only = false;        // a bare word made only of stopwords
  bool empty = false;                // nothing searchable (punctuation only)
};

// Takes over what `from` reports (highlights, expansions, words), not its query or concepts.
void absorb_reports(Part& into, const Part& from) {
  into.highlight.insert(into.highlight.end(), from.highlight.begin(), from.highlight.end());
  into.split_terms.insert(into.split_terms.end(), from.split_terms.begin(), from.split_terms.end());
  into.expansions.insert(into.expansions.end(), from.expansions.begin(), from.expansions.end());
  into.words.insert(into.words.end(), from.words.begin(), from.words.end());
  into.ignored.insert(into.ignored.end(), from.ignored.begin(), from.ignored.end());
}

void absorb(Part& into, const Part& from) {
  into.concepts.insert(into.concepts.end(), from.concepts.begin(), from.concepts.end());
  absorb_reports(into, from);
}

Part combine(Xapian::Query::op op, Part a, Part b, bool merge_concepts) {
  if (a.empty) return b;
  if (b.empty) return a;
  Part out;
  out.query = Xapian::Query(op, a.query, b.query);
  absorb_reports(out, a);
  absorb_reports(out, b);
  if (merge_concepts) {
    // "a OR b" is one thing asked for, present when either is.
    Concept c;
    for (auto* side : {&a.concepts, &b.concepts})
      for (auto& k : *side) c.alternatives.insert(c.alternatives.end(), k.alternatives.begin(), k.alternatives.end());
    // None when neither side asks for a term (a wildcard the index has no word for): a concept without
    // alternatives could never be covered and would count against every passage.
    if (!c.alternatives.empty()) out.concepts.push_back(std::move(c));
  } else {
    out.concepts = std::move(a.concepts);
    out.concepts.insert(out.concepts.end(), b.concepts.begin(), b.concepts.end());
  }
  return out;
}

// The units of analysed text: an ordinary word (with its compound parts), or a chain (its parts and its
// whole).
struct Unit {
  std::vector<const Token*> parts;  // Word or Part tokens, in order
  const Token* whole = nullptr;
  std::vector<const Token*> splits;  // compound parts of a single word
};

std::vector<Unit> units(const std::vector<Token>& tokens) {
  std::vector<Unit> out;
  Unit open;
  for (const auto& t : tokens) {
    if (t.role == TokenRole::Inner) continue;  // found through the compound's own term (P-terms)
    if (t.role == TokenRole::Split) {
      if (open.parts.empty() && !out.empty() && !out.back().whole) out.back().splits.push_back(&t);
      continue;  // parts of a chain's parts: the chain is matched by its parts in a row already
    }
    if (t.role == TokenRole::Word) {
      out.push_back(Unit{{&t}, nullptr, {}});
    } else if (t.role == TokenRole::Part) {
      open.parts.push_back(&t);
    } else {
      open.whole = &t;
      out.push_back(std::move(open));
      open = Unit{};
    }
  }
  for (const Token* p : open.parts) out.push_back(Unit{{p}, nullptr, {}});  // parts whose whole was too long
  return out;
}

// Builds the query of one tree; the factors of --explain gather in it as the words are built.
class Builder {
 public:
  Builder(analyzers::GermanAnalyzer& analyzer, const ParseOptions& options) : analyzer_(analyzer), options_(options) {}

  ParsedQuery run(const syntax::Tree& tree) {
    if (tree.error) {
      for (const Node* n : first_parts(tree)) build(*n);
      throw *tree.error;
    }
    Part p = build(*tree.root);
    if (p.empty) {
      for (const auto& w : p.words)
        if (w.use == WordUse::TooLong)
          throw QueryError("this word is longer than the index keeps a word (" +
                               std::to_string(analyzers::GermanAnalyzer::kMaxTermBytes) + " bytes)",
                           w.position);
      throw QueryError("the query has no words to search for", 0);
    }
    ParsedQuery out;
    out.query = p.query;
    out.concepts = std::move(p.concepts);
    out.highlight.insert(p.highlight.begin(), p.highlight.end());
    // A term the query asks for only as a part of one of its compounds (werk of Wasserstoffkraftwerk).
    std::unordered_map<std::string, int> uses;
    for (const auto& t : p.highlight) ++uses[t];
    for (const auto& t : p.split_terms) --uses[t];
    for (const auto& t : p.split_terms)
      if (uses[t] == 0) out.split_only.insert(t);
    out.expansions = std::move(p.expansions);
    out.words = std::move(p.words);
    std::stable_sort(out.words.begin(), out.words.end(),
                     [](const QueryWord& a, const QueryWord& b) { return a.position < b.position; });
    out.ignored = std::move(p.ignored);
    out.term_factors = std::move(factors_);
    out.positional = std::move(positional_);
    return out;
  }

 private:
  // Of a malformed query: the finished nodes that are no part of another finished node, in order. Built in
  // this order, they throw the errors of query building that come before the grammar error.
  static std::vector<const Node*> first_parts(const syntax::Tree& tree) {
    std::unordered_set<const Node*> inner;
    for (const Node* n : tree.finished) {
      inner.insert(n->left);
      inner.insert(n->right);
      for (const auto& item : n->items) inner.insert(item.node);
    }
    std::vector<const Node*> out;
    for (const Node* n : tree.finished)
      if (!inner.count(n)) out.push_back(n);
    return out;
  }

  // The query of a node. Children are built before their parent and left to right, the order in which the
  // grammar finished them: where building finds several errors, the first in the query is thrown.
  Part build(const Node& n) {
    switch (n.kind) {
      case Kind::Sequence: return sequence(n);
      case Kind::Or: {
        Part left = build(*n.left);
        return combine(Xapian::Query::OP_OR, std::move(left), build(*n.right), true);
      }
      case Kind::And: {
        // A stopword under AND is asked for explicitly: never dropped as a free stopword.
        Part left = build(*n.left);
        Part out = combine(Xapian::Query::OP_AND, std::move(left), build(*n.right), false);
        out.stopword_only = false;
        return out;
      }
      case Kind::Not: return negation(n);
      case Kind::Group: {
        // Words in parentheses are asked for explicitly, like words under an operator.
        Part inner = build(*n.left);
        inner.stopword_only = false;
        return inner;
      }
      case Kind::Phrase: return phrase(n.text, false, &n);
      case Kind::Title: return phrase(n.text, true, &n);
      case Kind::Wildcard: return wildcard(n);
      case Kind::Word: return bare_word(n);
    }
    return {};
  }

  // A word of the query, reported for spelling correction with the terms it asks for.
  Part bare_word(const Node& n) {
    Part p = word(n.text, true);
    if (!p.empty) {
      std::vector<std::vector<std::vector<std::string>>> concepts;
      for (const auto& c : p.concepts) concepts.push_back(c.alternatives);
      p.words.push_back(QueryWord{n.text, n.pos, std::move(concepts), excluding_ ? WordUse::Excluded : WordUse::Free});
    } else if (analyzer_.normalize(n.text).size() > analyzers::GermanAnalyzer::kMaxTermBytes) {
      // The analyzer keeps no word this long, in the text or here: reported, not silently dropped.
      p.words.push_back(QueryWord{n.text, n.pos, {{}}, WordUse::TooLong});
    }
    return p;
  }

  // left NOT right: passages of left without right.
  Part negation(const Node& n) {
    Part left = build(*n.left);
    ++excluding_;
    const Part right = build(*n.right);
    --excluding_;
    if (left.empty) throw QueryError("'NOT' needs a term before it", n.pos);
    if (!right.empty) left.query = Xapian::Query(Xapian::Query::OP_AND_NOT, left.query, right.query);
    left.words.insert(left.words.end(), right.words.begin(), right.words.end());  // (reported, not searched)
    left.stopword_only = false;
    return left;
  }

  // Items side by side: the optional ones joined by OR (more of them rank higher), the required ones by AND,
  // the excluded ones taken away. Free stopwords are dropped when anything else is asked for.
  Part sequence(const Node& n) {
    std::vector<Part> parts;
    for (const auto& item : n.items) {
      excluding_ += item.role == Role::Excluded;
      parts.push_back(build(*item.node));
      excluding_ -= item.role == Role::Excluded;
    }
    const std::vector<Xapian::Query> joined = join_compounds(n, parts);
    bool any_real = false;
    for (std::size_t i = 0; i < parts.size(); ++i)
      any_real |= n.items[i].role != Role::Excluded && !parts[i].stopword_only && !parts[i].empty;

    Part out;
    std::vector<Xapian::Query> optional, required, excluded;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const Part& part = parts[i];
      const Role role = n.items[i].role;
      if (part.empty) {
        out.words.insert(out.words.end(), part.words.begin(), part.words.end());  // (a word too long: reported)
        continue;
      }
      if (role == Role::Excluded) {
        excluded.push_back(part.query);
        out.words.insert(out.words.end(), part.words.begin(), part.words.end());  // (reported, not searched)
        continue;
      }
      if (options_.drop_stopwords && any_real && part.stopword_only && role == Role::Optional) {
        out.ignored.push_back(n.items[i].node->text);
        continue;
      }
      (role == Role::Required ? required : optional).push_back(part.query);
      absorb(out, part);
    }
    optional.insert(optional.end(), joined.begin(), joined.end());
    if (optional.empty() && required.empty()) {
      if (!excluded.empty()) throw QueryError("the query only excludes words; add a word to search for", n.pos);
      out.empty = true;
      out.query = Xapian::Query();
      return out;
    }
    Xapian::Query q = optional.empty() ? Xapian::Query()
                                       : Xapian::Query(Xapian::Query::OP_OR, optional.begin(), optional.end());
    if (!required.empty()) {
      const Xapian::Query req(Xapian::Query::OP_AND, required.begin(), required.end());
      q = optional.empty() ? req : Xapian::Query(Xapian::Query::OP_AND_MAYBE, req, q);
    }
    if (!excluded.empty())
      q = Xapian::Query(Xapian::Query::OP_AND_NOT, q,
                        Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
    out.query = q;
    if (parts.size() == 1) out.stopword_only = parts[0].stopword_only;
    return out;
  }

  // Two free words side by side that the index holds as one compound (Entwicklung Zentrum) also match it:
  // the compound becomes an alternative of both words' concepts, at full weight, so that a passage writing
  // it covers both; reported as an expansion. Returns the compounds' queries, to be ORed with the words.
  std::vector<Xapian::Query> join_compounds(const Node& n, std::vector<Part>& parts) {
    std::vector<Xapian::Query> out;
    if (!options_.term_frequency || !options_.compound_parts) return out;
    const auto joinable = [&](std::size_t i) {
      return n.items[i].node->kind == Kind::Word && n.items[i].role == Role::Optional && !parts[i].empty &&
             !parts[i].stopword_only && parts[i].concepts.size() == 1;
    };
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      if (!joinable(i) || !joinable(i + 1)) continue;
      const std::string& first = n.items[i].node->text;
      const std::string& second = n.items[i + 1].node->text;
      const auto [best_form, best_term] = most_held(
          analyzers::GermanAnalyzer::compound_joins(analyzer_.normalize(first), analyzer_.normalize(second)), {});
      if (best_term.empty()) continue;
      out.push_back(text_term(best_term, best_form));
      for (const std::size_t k : {i, i + 1}) {
        parts[k].concepts.back().alternatives.push_back({best_term});
        parts[k].concepts.back().typed.push_back(std::string(schema::kExact) + best_form);
        parts[k].highlight.push_back(best_term);
      }
      parts[i].expansions.push_back(
          QueryExpansion{first + " " + second, {analyzers::capitalize_like(first, best_form)}, ExpansionKind::Joined});
    }
    return out;
  }

  // word*: the indexed words that begin with the word, as one term for ranking (OP_SYNONYM), so that a
  // short prefix with many words does not outweigh the rest of the query.
  Part wildcard(const Node& n) {
    std::string_view typed(n.text);
    while (!typed.empty() && typed.back() == '*') typed.remove_suffix(1);
    // (As a chain's whole: EV-Partner* finds EV-Partnerschaft, ui.Get* finds ui.GetDocument.)
    const std::string prefix = analyzers::GermanAnalyzer::chain_joined(analyzer_.normalize(typed));
    if (prefix.empty() || typed.find('*') != std::string_view::npos)
      throw QueryError("'*' stands only at the end of a word (Elektro*)", n.pos);
    Part p;
    const auto terms = options_.expand_prefix ? options_.expand_prefix(prefix) : std::vector<std::string>{};
    std::vector<Xapian::Query> qs;
    Concept c;
    for (const auto& t : terms) {
      qs.emplace_back(t);
      c.alternatives.push_back({t});
      factors_.emplace(t, scale_);
      p.highlight.push_back(t);
    }
    p.query = qs.empty() ? Xapian::Query::MatchNothing : Xapian::Query(Xapian::Query::OP_SYNONYM, qs.begin(), qs.end());
    // Reported when no word of the index begins with it (one concept without alternatives: held nowhere).
    p.words.push_back(QueryWord{n.text, n.pos, {c.alternatives}, WordUse::Prefix});
    if (!c.alternatives.empty()) p.concepts.push_back(std::move(c));
    return p;
  }

  // Notes the factor by which one occurrence of a term, asked for on its own, scales its weight. Xapian weighs
  // each occurrence on its own, so a term asked for twice (Absatzes Absatz: the stem twice) counts twice, and
  // its factors add up.
  void note(const std::string& term, double factor) { factors_[term] += scale_ * factor; }

  // A positional query over `terms`, noted for --explain with `factor`, the weight of the group's terms in the
  // query (they count only in passages the group matches).
  //
  // It is wrapped as `q AND_MAYBE (its first word, weighing nothing)`, which matches and weighs exactly as
  // `q`, because Xapian 1.4's OR miscounts a positional subquery once it has been asked whether a document
  // matches (`check`, as an AND or a filter over the OR asks): where the words are there but not placed as
  // asked, the OR later adds the subquery's weight in that passage to the next passage it matches (fixed in
  // Xapian 1.5 by commit 6b7a22dbe, "Fix OrPostList bugs related to check()"). A filter (--kind, dates,
  // authors) made such passages rank too high. AND_MAYBE answers `check` by moving to the next real match,
  // which the OR handles; its optional side is held by every match, so it never runs out before `q` does.
  Xapian::Query positional(Xapian::Query::op op, const std::vector<Xapian::Query>& queries,
                           const std::vector<std::string>& terms, unsigned window, double factor) {
    Xapian::Query q(op, queries.begin(), queries.end(), window);
    PositionalGroup group{q, {}};
    for (const auto& t : terms) {
      factors_.try_emplace(t, 0.0);  // every term the query asks for has its entry
      group.factors[t] += scale_ * factor;
    }
    positional_.push_back(std::move(group));
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, queries.front(), 0.0));
  }

  Xapian::Query text_term(const std::string& term, const std::string& form = {}) {
    const std::string part = std::string(schema::kCompoundPart) + term, title = std::string(schema::kTitle) + term,
                      section = std::string(schema::kSection) + term;
    note(term, 1.0);
    note(part, weights::kPartWeight);
    note(title, weights::kTitleWeight);
    note(section, weights::kSectionWeight);
    // The passage's own words; at a lower weight the same word inside a compound (Zentrum in
    // Entwicklungszentrum), and the words of the article's title and of the passage's section heading, so a
    // passage about the SU7 still answers "Xiaomi SU7".
    // Each of those only where the index holds it (most words are in no title, no heading, no compound): a
    // term that no passage holds weighs nothing, but each term asked for costs every match a look-up.
    std::vector<Xapian::Query> parts{Xapian::Query(term)};
    if (held(part)) parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(part), weights::kPartWeight);
    if (held(title)) parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(title), weights::kTitleWeight);
    if (held(section))
      parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(section), weights::kSectionWeight);
    Xapian::Query q = parts.size() == 1 ? parts.front()
                                        : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
    if (form.empty()) return q;
    // The word in the very form typed counts besides its stem, whether or not the two are the same: of two
    // passages with the word, the one that writes it as the user did ranks first.
    const std::string exact = std::string(schema::kExact) + form;
    note(exact, weights::kExactFormWeight);
    if (!held(exact)) return q;
    return Xapian::Query(
        Xapian::Query::OP_OR, q,
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(exact), weights::kExactFormWeight));
  }

  // Whether the index holds `term` (true without term frequencies).
  bool held(const std::string& term) const { return !options_.term_frequency || options_.term_frequency(term) > 0; }

  // A bare word. A chain (EV-Partnerschaft) matches as its joined whole or as its parts in a row; with
  // `expand`, each unit also matches its synonyms at a lower weight.
  Part word(const std::string& text, bool expand) {
    const auto tokens = analyzer_.analyze(text);
    const auto us = units(tokens);
    Part out;
    if (us.empty()) {
      out.empty = true;
      return out;
    }
    std::vector<Xapian::Query> qs;
    bool all_stop = true;
    for (const auto& u : us) {
      const std::size_t before = qs.size();
      // (A word the user typed, outside excluded parts, may be searched in its other number.)
      unit_query(u, us.size() == 1 ? text : std::string(), qs, out, all_stop, expand && excluding_ == 0);
      if (expand && qs.size() > before && !all_stop)
        expand_synonyms(u, us.size() == 1 ? text : std::string(), qs.back(), out);
    }
    out.query = qs.size() == 1 ? qs.front() : Xapian::Query(Xapian::Query::OP_AND, qs.begin(), qs.end());
    out.stopword_only = all_stop;
    return out;
  }

  // Adds the synonyms of unit `u` to its query (the last of `qs`) and to its concept (the last of `out`).
  void expand_synonyms(const Unit& u, const std::string& typed, Xapian::Query& q, Part& out) {
    if (options_.synonyms == analyzers::SynonymSource::None) return;
    const std::string& form = u.whole ? u.whole->form : u.parts.front()->form;
    auto synonyms = analyzers::Synonyms::german().lookup(form, options_.synonyms);
    if (synonyms.empty()) return;
    if (synonyms.size() > weights::kMaxSynonyms) synonyms.resize(weights::kMaxSynonyms);
    std::vector<Xapian::Query> alternatives;
    Concept& concept_of_unit = out.concepts.back();
    const double outer = scale_;
    scale_ *= weights::kSynonymWeight;
    for (const auto& s : synonyms) {
      Part p = s.find(' ') == std::string::npos ? word(s, false) : phrase(s, false);
      if (p.empty) continue;
      alternatives.push_back(p.query);
      for (const auto& c : p.concepts)
        concept_of_unit.alternatives.insert(concept_of_unit.alternatives.end(), c.alternatives.begin(),
                                            c.alternatives.end());
      out.highlight.insert(out.highlight.end(), p.highlight.begin(), p.highlight.end());
      out.split_terms.insert(out.split_terms.end(), p.split_terms.begin(), p.split_terms.end());
    }
    scale_ = outer;
    if (alternatives.empty()) return;
    q = Xapian::Query(Xapian::Query::OP_OR, q,
                      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                    Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end()),
                                    weights::kSynonymWeight));
    out.expansions.push_back(
        QueryExpansion{typed.empty() ? form : typed, std::move(synonyms), ExpansionKind::Synonyms});
  }

  // Of normalized `forms`, the one whose term the most passages hold (at least weights::kMinJoinPostings), with
  // that term; empty when the index holds none, or only `skip`.
  // With `parts`, a term also counts the passages that hold it inside a compound (P).
  std::pair<std::string, std::string> most_held(const std::vector<std::string>& forms, const std::string& skip,
                                                bool parts = false) {
    std::pair<std::string, std::string> best;
    Xapian::doccount most = weights::kMinJoinPostings - 1;
    for (const auto& form : forms) {
      std::string term = analyzer_.term_for_form(form);
      if (term == skip) continue;
      Xapian::doccount f = options_.term_frequency(term);
      if (parts) f += options_.term_frequency(std::string(schema::kCompoundPart) + term);
      if (f > most) {
        most = f;
        best = {form, std::move(term)};
      }
    }
    return best;
  }

  // The compound `t` as the index writes it, when that differs from what was typed by the linking element or
  // the number of an irregular head (Entwicklungzentrum, Entwicklungszentren: Entwicklungszentrum): the
  // variant the most passages hold is matched too, at full weight, as an alternative of the word's concept,
  // and reported as an expansion.
  void compound_variant(const Token& t, const std::vector<std::string>& parts, const std::string& typed,
                        Xapian::Query& q, Part& out) {
    if (options_.term_frequency)
      respelled(t, analyzers::GermanAnalyzer::compound_variants(t.form, parts), typed, q, out);
  }

  // Of `variants` of the word `t`, the one the most passages hold (if any) is matched too: as compound_variant.
  void respelled(const Token& t, const std::vector<std::string>& variants, const std::string& typed, Xapian::Query& q,
                 Part& out, bool parts = false) {
    const auto [best_form, best_term] = most_held(variants, t.term, parts);
    if (best_term.empty()) return;
    q = Xapian::Query(Xapian::Query::OP_OR, q, text_term(best_term, best_form));
    out.concepts.back().alternatives.push_back({best_term});
    out.highlight.push_back(best_term);
    const std::string& word = typed.empty() ? t.form : typed;
    out.expansions.push_back(
        QueryExpansion{word, {analyzers::capitalize_like(word, best_form)}, ExpansionKind::Respelled});
  }

  // The term queries of a unit's parts (a compound's parts, or a hyphen chain's), their terms for the concept,
  // and their highlights.
  std::pair<std::vector<Xapian::Query>, std::vector<std::string>> part_queries(const std::vector<const Token*>& tokens,
                                                                               Part& out) {
    std::vector<Xapian::Query> queries;
    std::vector<std::string> terms;
    for (const Token* t : tokens) {
      queries.emplace_back(t->term);
      terms.push_back(t->term);
      out.highlight.push_back(t->term);
      if (t->role == TokenRole::Split) out.split_terms.push_back(t->term);
    }
    return {std::move(queries), std::move(terms)};
  }

  // Concept::typed_weight of a word (1 without term frequencies).
  double typed_weight(const Token& t) const {
    if (!options_.term_frequency) return 1.0;
    const auto stem = static_cast<double>(options_.term_frequency(t.term));
    const auto form = static_cast<double>(options_.term_frequency(std::string(schema::kExact) + t.form));
    if (form <= 0 || stem <= form) return 0.0;
    return std::min(1.0, std::log(stem / form));
  }

  // The query for one unit, appended to `qs`, with its concept and highlights added to `out`.
  void unit_query(const Unit& u, const std::string& typed, std::vector<Xapian::Query>& qs, Part& out, bool& all_stop,
                  bool own) {
    {
      if (!u.whole) {
        const Token& t = *u.parts.front();
        all_stop &= analyzer_.is_stopword(t.form);
        out.highlight.push_back(t.term);
        if (u.splits.empty() || !options_.compound_parts) {
          qs.push_back(text_term(t.term, t.form));
          out.concepts.push_back(Concept{{{t.term}}, {std::string(schema::kExact) + t.form}, typed_weight(t)});
          // A noun the user typed that the index holds nowhere, but in its other number, where that is no
          // ending the stemmer takes off (Firmen: Firma, Zentren: Zentrum): that number too, said as a
          // respelling. Not where the index holds the word as typed: Daten (data) is no Datum (date) to most
          // readers; nor for a synonym or a word excluded (neither says what it was searched as).
          if (own && options_.compound_parts && options_.term_frequency &&
              !held_anywhere(t.term, [&](const std::string& x) { return held(x); }))
            respelled(t, analyzers::GermanAnalyzer::number_variants(t.form), typed, qs.back(), out, true);
          return;
        }
        // A compound also matches its parts near each other (Zentrum für Entwicklung), weighed below the
        // compound itself; passages with the compound have its parts too and so rank above.
        const auto [parts, part_terms] = part_queries(u.splits, out);
        qs.push_back(Xapian::Query(Xapian::Query::OP_OR, text_term(t.term, t.form),
                                   Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                                 positional(Xapian::Query::OP_NEAR, parts, part_terms,
                                                            weights::kCompoundWindow, weights::kCompoundPartsWeight),
                                                 weights::kCompoundPartsWeight)));
        out.concepts.push_back(
            Concept{{{t.term}, part_terms}, {std::string(schema::kExact) + t.form}, typed_weight(t)});
        std::vector<std::string> split_forms, shown_parts;
        for (const Token* p : u.splits) {
          split_forms.push_back(p->form);
          shown_parts.push_back(analyzers::capitalize_like(typed.empty() ? t.form : typed, p->form));
        }
        out.expansions.push_back(QueryExpansion{typed.empty() ? t.form : typed, shown_parts, ExpansionKind::Parts});
        compound_variant(t, split_forms, typed, qs.back(), out);
        return;
      }
      all_stop = false;
      if (u.whole->role == TokenRole::Quantity) {
        // "20 %": only the number with its sign; a bare 20 elsewhere is another thing.
        out.highlight.push_back(u.whole->term);
        qs.push_back(text_term(u.whole->term));
        out.concepts.push_back(Concept{{{u.whole->term}}, {}});
        return;
      }
      const auto [parts, part_terms] = part_queries(u.parts, out);
      out.highlight.push_back(u.whole->term);
      qs.push_back(Xapian::Query(Xapian::Query::OP_OR, text_term(u.whole->term),
                                 positional(Xapian::Query::OP_PHRASE, parts, part_terms, parts.size(), 1.0)));
      out.concepts.push_back(Concept{{{u.whole->term}, part_terms}, {}});
    }
  }

  // A "phrase": its words in this order, next to each other. Under title: the title words, in any order
  // (titles are indexed without positions).
  // `typed`: the node of a phrase the user typed (not a synonym's), whose words are reported.
  Part phrase(const std::string& text, bool title, const Node* typed = nullptr) {
    const auto tokens = analyzer_.analyze(text);
    Part out;
    std::vector<Xapian::Query> qs;
    std::vector<std::string> terms;
    for (const auto& t : tokens) {
      if (t.role == TokenRole::Whole || t.role == TokenRole::Quantity || t.role == TokenRole::Split ||
          t.role == TokenRole::Inner)
        continue;  // the words carry the positions
      // Each word, as typed, for the report of words the index holds nowhere (a phrase with one of them
      // matches nothing, and the query's other words would hide that).
      if (typed) {
        const std::size_t begin = base::byte_offset(text, t.begin), end = base::byte_offset(text, t.end);
        out.words.push_back(QueryWord{text.substr(begin, end - begin),
                                      typed->text_pos + t.begin,
                                      {{{t.term}}},
                                      excluding_ ? WordUse::Excluded : WordUse::Literal});
      }
      terms.push_back(t.term);
      qs.emplace_back(title ? std::string(schema::kTitle) + t.term : t.term);
      if (title) note(std::string(schema::kTitle) + t.term, 1.0);
    }
    if (qs.empty()) {
      out.empty = true;
      return out;
    }
    if (title) {
      out.query = qs.size() == 1 ? qs.front() : Xapian::Query(Xapian::Query::OP_AND, qs.begin(), qs.end());
      return out;  // title words are not in the passage text: nothing to highlight or cover there
    }
    if (qs.size() == 1) note(terms.front(), 1.0);  // one word: asked for on its own
    out.query = qs.size() == 1 ? qs.front() : positional(Xapian::Query::OP_PHRASE, qs, terms, qs.size(), 1.0);
    out.concepts.push_back(Concept{{terms}, {}});
    out.highlight = terms;
    return out;
  }

  analyzers::GermanAnalyzer& analyzer_;
  const ParseOptions& options_;
  double scale_ = 1.0;  // the factor of the query being built (lower inside synonym expansions)
  int excluding_ = 0;   // inside this many excluded parts
  std::unordered_map<std::string, double> factors_;
  std::vector<PositionalGroup> positional_;
};

}  // namespace

ParsedQuery build_query(const syntax::Tree& tree, analyzers::GermanAnalyzer& analyzer, const ParseOptions& options) {
  return Builder(analyzer, options).run(tree);
}

}  // namespace fundstelle::searcher
