#include "searcher/query_parser.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <unicode/utf8.h>

#include "analyzers/utf8.h"
#include "fundstelle/error.h"
#include "index/schema.h"

namespace fundstelle::searcher {
namespace {

using analyzers::Token;
using analyzers::TokenRole;

enum class Lex { Word, Phrase, LParen, RParen, And, Or, Not, Minus, Plus, Title, End };

struct Lexeme {
  Lex type;
  std::string text;  // word or phrase content
  std::size_t pos;   // code point offset in the query
};

bool is_quote_open(UChar32 c) { return c == '"' || c == 0x201E || c == 0x201C || c == 0x00BB; }
bool is_quote_close(UChar32 c) { return c == '"' || c == 0x201C || c == 0x201D || c == 0x00AB; }
bool is_space(UChar32 c) { return u_isUWhiteSpace(c) || u_iscntrl(c); }

// Splits the query into lexemes. Control characters count as white space.
std::vector<Lexeme> lex(std::string_view q) {
  struct Cp {
    UChar32 c;
    std::size_t byte;
  };
  std::vector<Cp> cps;
  for (int32_t i = 0, n = static_cast<int32_t>(q.size()); i < n;) {
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(q.data(), i, n, c);
    cps.push_back({c, static_cast<std::size_t>(at)});
  }
  cps.push_back({0, q.size()});
  const std::size_t n = cps.size() - 1;
  auto text = [&](std::size_t a, std::size_t b) { return std::string(q.substr(cps[a].byte, cps[b].byte - cps[a].byte)); };

  std::vector<Lexeme> out;
  std::size_t i = 0;
  bool at_term_start = true;  // - and + are operators only at the start of a term
  while (i < n) {
    const UChar32 c = cps[i].c;
    if (is_space(c)) {
      ++i;
      at_term_start = true;
      continue;
    }
    if (c == '(' || c == ')') {
      out.push_back({c == '(' ? Lex::LParen : Lex::RParen, {}, i});
      ++i;
      at_term_start = true;
      continue;
    }
    if (is_quote_open(c)) {
      std::size_t j = i + 1;
      while (j < n && !is_quote_close(cps[j].c)) ++j;
      if (j >= n) throw QueryError("unbalanced quote: this quotation mark is never closed", i);
      out.push_back({Lex::Phrase, text(i + 1, j), i});
      i = j + 1;
      at_term_start = false;
      continue;
    }
    if ((c == '-' || c == '+') && at_term_start) {
      const UChar32 next = cps[i + 1].c;
      if (i + 1 >= n || is_space(next) || next == ')')
        throw QueryError(std::string("'") + static_cast<char>(c) + "' must stand directly before a word", i);
      out.push_back({c == '-' ? Lex::Minus : Lex::Plus, {}, i});
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < n && !is_space(cps[j].c) && cps[j].c != '(' && cps[j].c != ')' && !is_quote_open(cps[j].c)) ++j;
    std::string word = text(i, j);
    if (word == "AND") out.push_back({Lex::And, word, i});
    else if (word == "OR") out.push_back({Lex::Or, word, i});
    else if (word == "NOT") out.push_back({Lex::Not, word, i});
    else if (word.starts_with("title:")) {
      out.push_back({Lex::Title, {}, i});
      if (word.size() > 6) {
        out.push_back({Lex::Word, word.substr(6), i + 6});
      } else if (j >= n || !is_quote_open(cps[j].c)) {
        throw QueryError("'title:' must be followed by a word or a \"phrase\"", i);
      }
    } else if (analyzers::GermanAnalyzer::is_unit_sign(word) && !out.empty() && out.back().type == Lex::Word &&
               !out.back().text.empty() && out.back().text.back() >= '0' && out.back().text.back() <= '9') {
      out.back().text += " " + word;  // "20 %": one quantity, read by the analyzer as in the text
    } else {
      out.push_back({Lex::Word, std::move(word), i});
    }
    i = j;
    at_term_start = false;
  }
  out.push_back({Lex::End, {}, n});
  return out;
}

// How an item of a sequence takes part in it.
enum class Role { Optional, Required, Excluded };

struct Part {
  Xapian::Query query;
  std::vector<Concept> concepts;
  std::vector<std::string> highlight;
  std::vector<QueryExpansion> expansions;
  std::vector<QueryWord> words;
  bool stopword_only = false;  // a bare word made only of stopwords
  bool empty = false;          // nothing searchable (punctuation only)
};

class Parser {
 public:
  Parser(analyzers::GermanAnalyzer& analyzer, std::vector<Lexeme> lexemes, const ParseOptions& options)
      : analyzer_(analyzer), lx_(std::move(lexemes)), options_(options) {}

  ParsedQuery run() {
    Part p = sequence(0);
    if (peek().type == Lex::RParen) throw QueryError("unexpected ')': no '(' before it", peek().pos);
    if (p.empty) throw QueryError("the query has no words to search for", 0);
    ParsedQuery out;
    out.query = p.query;
    out.concepts = std::move(p.concepts);
    out.highlight.insert(p.highlight.begin(), p.highlight.end());
    out.expansions = std::move(p.expansions);
    out.words = std::move(p.words);
    out.term_factors = std::move(factors_);
    return out;
  }

 private:
  const Lexeme& peek() const { return lx_[at_]; }
  const Lexeme& take() { return lx_[at_++]; }

  static const char* name(Lex t) {
    switch (t) {
      case Lex::And: return "AND";
      case Lex::Or: return "OR";
      case Lex::Minus: return "-";
      case Lex::Plus: return "+";
      default: return "NOT";
    }
  }

  bool starts_term(Lex t) const {
    return t == Lex::Word || t == Lex::Phrase || t == Lex::LParen || t == Lex::Minus || t == Lex::Plus || t == Lex::Title;
  }

  // sequence := item+ ; items side by side are joined by the default operator.
  Part sequence(int depth) {
    if (depth > QueryParser::kMaxDepth) throw QueryError("parentheses nested too deeply", peek().pos);
    struct Item {
      Part part;
      Role role;
    };
    std::vector<Item> items;
    const std::size_t start = peek().pos;
    while (peek().type != Lex::End && peek().type != Lex::RParen) {
      const Lexeme& l = peek();
      if (!starts_term(l.type))
        throw QueryError(std::string("'") + name(l.type) + "' needs a term before it", l.pos);
      Role role = Role::Optional;
      if (l.type == Lex::Minus || l.type == Lex::Plus) {
        role = l.type == Lex::Minus ? Role::Excluded : Role::Required;
        take();
      }
      items.push_back({either(depth), role});
    }
    bool any_real = false;
    for (const auto& it : items) any_real |= it.role != Role::Excluded && !it.part.stopword_only && !it.part.empty;

    Part out;
    std::vector<Xapian::Query> optional, required, excluded;
    for (auto& it : items) {
      if (it.part.empty) continue;
      if (it.role == Role::Excluded) {
        excluded.push_back(it.part.query);
        continue;
      }
      if (any_real && it.part.stopword_only && it.role == Role::Optional) continue;
      (it.role == Role::Required ? required : optional).push_back(it.part.query);
      absorb(out, it.part);
    }
    if (optional.empty() && required.empty()) {
      if (!excluded.empty()) throw QueryError("the query only excludes words; add a word to search for", start);
      if (items.empty()) throw QueryError(depth == 0 ? "empty query" : "empty parentheses", depth == 0 ? 0 : start);
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
      q = Xapian::Query(Xapian::Query::OP_AND_NOT, q, Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
    out.query = q;
    if (items.size() == 1) out.stopword_only = items[0].part.stopword_only;
    return out;
  }

  // either := both ('OR' both)*
  Part either(int depth) {
    Part left = both(depth);
    while (peek().type == Lex::Or) {
      const Lexeme& op = take();
      if (!starts_term(peek().type)) throw QueryError("'OR' needs a term after it", op.pos);
      Part right = both(depth);
      left = combine(Xapian::Query::OP_OR, std::move(left), std::move(right), true);
    }
    return left;
  }

  // both := unary (('AND' | 'NOT' | 'AND NOT') unary)*
  Part both(int depth) {
    Part left = primary(depth);
    while (peek().type == Lex::And || peek().type == Lex::Not) {
      const Lexeme& op = take();
      bool negate = op.type == Lex::Not;
      if (op.type == Lex::And && peek().type == Lex::Not) {
        take();
        negate = true;
      }
      if (!starts_term(peek().type) || peek().type == Lex::Minus || peek().type == Lex::Plus)
        throw QueryError(std::string("'") + name(op.type) + "' needs a term after it", op.pos);
      Part right = primary(depth);
      if (negate) {
        if (left.empty) throw QueryError("'NOT' needs a term before it", op.pos);
        if (!right.empty) left.query = Xapian::Query(Xapian::Query::OP_AND_NOT, left.query, right.query);
      } else {
        left = combine(Xapian::Query::OP_AND, std::move(left), std::move(right), false);
      }
      left.stopword_only = false;
    }
    return left;
  }

  // Takes over what `from` reports (highlights, expansions, words), not its query or concepts.
  static void absorb_reports(Part& into, const Part& from) {
    into.highlight.insert(into.highlight.end(), from.highlight.begin(), from.highlight.end());
    into.expansions.insert(into.expansions.end(), from.expansions.begin(), from.expansions.end());
    into.words.insert(into.words.end(), from.words.begin(), from.words.end());
  }
  static void absorb(Part& into, const Part& from) {
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

  Part primary(int depth) {
    const Lexeme l = take();
    switch (l.type) {
      case Lex::LParen: {
        Part inner = sequence(depth + 1);
        if (peek().type != Lex::RParen) throw QueryError("unbalanced '(': no ')' closes it", l.pos);
        take();
        inner.stopword_only = false;
        return inner;
      }
      case Lex::Phrase: return phrase(l.text, false);
      case Lex::Word: {
        if (l.text.size() > 1 && l.text.back() == '*') return wildcard(l);
        Part p = word(l.text, true);
        if (!p.empty) {
          std::vector<std::string> terms;
          for (const auto& c : p.concepts)
            for (const auto& alt : c.alternatives) terms.insert(terms.end(), alt.begin(), alt.end());
          p.words.push_back(QueryWord{l.text, l.pos, std::move(terms)});
        }
        return p;
      }
      case Lex::Title: {
        const Lexeme operand = take();
        if (operand.type == Lex::Word) return phrase(operand.text, true);
        if (operand.type == Lex::Phrase) return phrase(operand.text, true);
        throw QueryError("'title:' must be followed by a word or a \"phrase\"", l.pos);
      }
      case Lex::Minus:
      case Lex::Plus:
        throw QueryError(std::string("'") + name(l.type) +
                             "' applies to a word of the query itself and cannot follow AND, OR or NOT "
                             "(write NOT word to exclude)",
                         l.pos);
      case Lex::RParen: throw QueryError("unexpected ')'", l.pos);
      case Lex::End: throw QueryError("the query ends where a term was expected", l.pos);
      default: throw QueryError(std::string("'") + name(l.type) + "' needs a term before it", l.pos);
    }
  }

  // word*: the indexed words that begin with the word, as one term for ranking (OP_SYNONYM), so that a
  // short prefix with many words does not outweigh the rest of the query.
  Part wildcard(const Lexeme& l) {
    std::string_view typed(l.text);
    while (!typed.empty() && typed.back() == '*') typed.remove_suffix(1);
    const std::string prefix = analyzer_.normalize(typed);
    if (prefix.empty() || typed.find('*') != std::string_view::npos)
      throw QueryError("'*' stands only at the end of a word (Elektro*)", l.pos);
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
    if (!c.alternatives.empty()) p.concepts.push_back(std::move(c));
    return p;
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

  // Notes the factor a term's weight is scaled by (the largest, where a term occurs twice).
  void note(const std::string& term, double factor) {
    double& f = factors_[term];
    f = std::max(f, scale_ * factor);
  }

  Xapian::Query text_term(const std::string& term, const std::string& form = {}) {
    note(term, 1.0);
    note(std::string(schema::kCompoundPart) + term, QueryParser::kPartWeight);
    note(std::string(schema::kTitle) + term, QueryParser::kTitleWeight);
    if (!form.empty() && form != term) note(std::string(schema::kExact) + form, QueryParser::kExactFormWeight);
    // The passage's own words; at a lower weight the same word inside a compound (Zentrum in
    // Entwicklungszentrum), and the article title's words, so a passage about the SU7 still answers
    // "Xiaomi SU7".
    const Xapian::Query parts[] = {
        Xapian::Query(term),
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(std::string(schema::kCompoundPart) + term),
                      QueryParser::kPartWeight),
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(std::string(schema::kTitle) + term),
                      QueryParser::kTitleWeight)};
    Xapian::Query q(Xapian::Query::OP_OR, std::begin(parts), std::end(parts));
    if (form.empty() || form == term) return q;
    // The word in the very form typed weighs a little more than its other inflections.
    return Xapian::Query(Xapian::Query::OP_OR, q,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(std::string(schema::kExact) + form),
                                       QueryParser::kExactFormWeight));
  }

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
      unit_query(u, qs, out, all_stop);
      if (expand && qs.size() > before && !all_stop) expand_synonyms(u, us.size() == 1 ? text : std::string(), qs.back(), out);
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
    if (synonyms.size() > QueryParser::kMaxSynonyms) synonyms.resize(QueryParser::kMaxSynonyms);
    std::vector<Xapian::Query> alternatives;
    Concept& concept_of_unit = out.concepts.back();
    const double outer = scale_;
    scale_ *= QueryParser::kSynonymWeight;
    for (const auto& s : synonyms) {
      Part p = s.find(' ') == std::string::npos ? word(s, false) : phrase(s, false);
      if (p.empty) continue;
      alternatives.push_back(p.query);
      for (const auto& c : p.concepts)
        concept_of_unit.alternatives.insert(concept_of_unit.alternatives.end(), c.alternatives.begin(), c.alternatives.end());
      out.highlight.insert(out.highlight.end(), p.highlight.begin(), p.highlight.end());
    }
    scale_ = outer;
    if (alternatives.empty()) return;
    q = Xapian::Query(Xapian::Query::OP_OR, q,
                      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                    Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end()),
                                    QueryParser::kSynonymWeight));
    out.expansions.push_back(QueryExpansion{typed.empty() ? form : typed, std::move(synonyms)});
  }

  // The term queries of a unit's parts (a compound's parts, or a hyphen chain's), their terms for the concept,
  // and their highlights; `factor` is their weight in the query, for --explain.
  std::pair<std::vector<Xapian::Query>, std::vector<std::string>> part_queries(const std::vector<const Token*>& tokens,
                                                                               double factor, Part& out) {
    std::vector<Xapian::Query> queries;
    std::vector<std::string> terms;
    for (const Token* t : tokens) {
      queries.emplace_back(t->term);
      terms.push_back(t->term);
      out.highlight.push_back(t->term);
      note(t->term, factor);
    }
    return {std::move(queries), std::move(terms)};
  }

  // The query for one unit, appended to `qs`, with its concept and highlights added to `out`.
  void unit_query(const Unit& u, std::vector<Xapian::Query>& qs, Part& out, bool& all_stop) {
    {
      if (!u.whole) {
        const Token& t = *u.parts.front();
        all_stop &= analyzer_.is_stopword(t.form);
        out.highlight.push_back(t.term);
        if (u.splits.empty() || !options_.compound_parts) {
          qs.push_back(text_term(t.term, t.form));
          out.concepts.push_back(Concept{{{t.term}}});
          return;
        }
        // A compound also matches its parts near each other (Zentrum für Entwicklung), weighed below the
        // compound itself; passages with the compound have its parts too and so rank above.
        const auto [parts, part_terms] = part_queries(u.splits, QueryParser::kCompoundPartsWeight, out);
        qs.push_back(Xapian::Query(
            Xapian::Query::OP_OR, text_term(t.term, t.form),
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                          Xapian::Query(Xapian::Query::OP_NEAR, parts.begin(), parts.end(), QueryParser::kCompoundWindow),
                          QueryParser::kCompoundPartsWeight)));
        out.concepts.push_back(Concept{{{t.term}, part_terms}});
        return;
      }
      all_stop = false;
      if (u.whole->role == TokenRole::Quantity) {
        // "20 %": only the number with its sign; a bare 20 elsewhere is another thing.
        out.highlight.push_back(u.whole->term);
        qs.push_back(text_term(u.whole->term));
        out.concepts.push_back(Concept{{{u.whole->term}}});
        return;
      }
      const auto [parts, part_terms] = part_queries(u.parts, 1.0, out);
      out.highlight.push_back(u.whole->term);
      qs.push_back(Xapian::Query(Xapian::Query::OP_OR, text_term(u.whole->term),
                                 Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end(), parts.size())));
      out.concepts.push_back(Concept{{{u.whole->term}, part_terms}});
    }
  }

  // A "phrase": its words in this order, next to each other. Under title: the title words, in any order
  // (titles are indexed without positions).
  Part phrase(const std::string& text, bool title) {
    const auto tokens = analyzer_.analyze(text);
    Part out;
    std::vector<Xapian::Query> qs;
    std::vector<std::string> terms;
    for (const auto& t : tokens) {
      if (t.role == TokenRole::Whole || t.role == TokenRole::Quantity || t.role == TokenRole::Split ||
          t.role == TokenRole::Inner)
        continue;  // the words carry the positions
      terms.push_back(t.term);
      qs.emplace_back(title ? std::string(schema::kTitle) + t.term : t.term);
      note(title ? std::string(schema::kTitle) + t.term : t.term, 1.0);
    }
    if (qs.empty()) {
      out.empty = true;
      return out;
    }
    if (title) {
      out.query = qs.size() == 1 ? qs.front() : Xapian::Query(Xapian::Query::OP_AND, qs.begin(), qs.end());
      return out;  // title words are not in the passage text: nothing to highlight or cover there
    }
    out.query = qs.size() == 1 ? qs.front() : Xapian::Query(Xapian::Query::OP_PHRASE, qs.begin(), qs.end(), qs.size());
    out.concepts.push_back(Concept{{terms}});
    out.highlight = terms;
    return out;
  }

  analyzers::GermanAnalyzer& analyzer_;
  std::vector<Lexeme> lx_;
  const ParseOptions& options_;
  std::size_t at_ = 0;
  double scale_ = 1.0;  // the factor of the query being built (lower inside synonym expansions)
  std::unordered_map<std::string, double> factors_;
};

}  // namespace

ParsedQuery QueryParser::parse(std::string_view query, const ParseOptions& options) {
  if (!analyzers::is_valid_utf8(query)) {
    std::vector<std::size_t> bad;
    analyzers::repair_utf8(query, &bad);
    const std::size_t cp = analyzers::count_code_points(query.substr(0, bad.front()));
    throw QueryError(query.substr(bad.front()).front() == '\0' ? "the query contains a NUL byte"
                                                                : "the query is not valid UTF-8",
                     cp);
  }
  if (const std::size_t n = analyzers::count_code_points(query); n > kMaxLength)
    throw QueryError("the query is too long (" + std::to_string(n) + " characters; at most " +
                         std::to_string(kMaxLength) + ")",
                     kMaxLength);
  Parser parser(analyzer_, lex(query), options);
  return parser.run();
}

}  // namespace fundstelle::searcher
