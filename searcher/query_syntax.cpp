#include "searcher/query_syntax.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <utility>

#include "analyzers/german_analyzer.h"
#include "analyzers/utf8.h"
#include "base/utf8.h"

namespace fundstelle::searcher::syntax {
namespace {

enum class Lex { Word, Phrase, LParen, RParen, And, Or, Not, Minus, Plus, Title, End };

struct Lexeme {
  Lex type;
  std::string text;  // word or phrase content
  std::size_t pos;   // code point offset in the query
};

bool is_quote_open(UChar32 c) { return c == '"' || c == 0x201E || c == 0x201C || c == 0x00BB; }
bool is_quote_close(UChar32 c) { return c == '"' || c == 0x201C || c == 0x201D || c == 0x00AB; }
// Control characters part words as white space does; format characters (a soft hyphen, a zero-width joiner)
// do not: they stand inside words, and the analyzer reads them there as it does in the text (Tabellen\u00ADdokument
// is Tabellendokument on both sides).
bool is_space(UChar32 c) { return u_isUWhiteSpace(c) || (u_iscntrl(c) && u_charType(c) != U_FORMAT_CHAR); }

struct CodePoint {
  UChar32 c;
  std::size_t byte;
};

// The code points of `q` with their byte offsets, and one past the end (c = 0) as a sentinel.
std::vector<CodePoint> code_points(std::string_view q) {
  std::vector<CodePoint> cps;
  for (int32_t i = 0, n = static_cast<int32_t>(q.size()); i < n;) {
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(q.data(), i, n, c);
    cps.push_back({c, static_cast<std::size_t>(at)});
  }
  cps.push_back({0, q.size()});
  return cps;
}

// Appends the lexeme of the bare word `word` at code point `i`; `next_is_quote`: a quotation mark follows
// directly (title:"phrase").
void lex_word(std::string word, std::size_t i, bool next_is_quote, std::vector<Lexeme>& out) {
  if (word == "AND") out.push_back({Lex::And, word, i});
  else if (word == "OR") out.push_back({Lex::Or, word, i});
  else if (word == "NOT") out.push_back({Lex::Not, word, i});
  else if (word.starts_with("title:")) {
    out.push_back({Lex::Title, {}, i});
    if (word.size() > 6) {
      out.push_back({Lex::Word, word.substr(6), i + 6});
    } else if (!next_is_quote) {
      throw QueryError("'title:' must be followed by a word or a \"phrase\"", i);
    }
  } else if (analyzers::GermanAnalyzer::is_unit_sign(word) && !out.empty() && out.back().type == Lex::Word &&
             !out.back().text.empty() && out.back().text.back() >= '0' && out.back().text.back() <= '9') {
    out.back().text += " " + word;  // "20 %": one quantity, read by the analyzer as in the text
  } else {
    out.push_back({Lex::Word, std::move(word), i});
  }
}

// Splits the query into lexemes. Control characters count as white space (is_space).
std::vector<Lexeme> lex(std::string_view q) {
  const std::vector<CodePoint> cps = code_points(q);
  const std::size_t n = cps.size() - 1;
  auto text = [&](std::size_t a, std::size_t b) {
    return std::string(q.substr(cps[a].byte, cps[b].byte - cps[a].byte));
  };

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
    lex_word(text(i, j), i, j < n && is_quote_open(cps[j].c), out);
    i = j;
    at_term_start = false;
  }
  out.push_back({Lex::End, {}, n});
  return out;
}

const char* name(Lex t) {
  switch (t) {
    case Lex::And: return "AND";
    case Lex::Or: return "OR";
    case Lex::Minus: return "-";
    case Lex::Plus: return "+";
    default: return "NOT";
  }
}

bool starts_term(Lex t) {
  return t == Lex::Word || t == Lex::Phrase || t == Lex::LParen || t == Lex::Minus || t == Lex::Plus || t == Lex::Title;
}

class Parser {
 public:
  Parser(std::vector<Lexeme> lexemes, Tree& tree) : lx_(std::move(lexemes)), tree_(tree) {}

  const Node* run() {
    const Node* root = sequence(0);
    if (peek().type == Lex::RParen) throw QueryError("unexpected ')': no '(' before it", peek().pos);
    return root;
  }

 private:
  const Lexeme& peek() const { return lx_[at_]; }
  const Lexeme& take() { return lx_[at_++]; }

  // Every node is made here, when it is complete: Tree::finished keeps the order.
  const Node* finish(Node node) {
    tree_.finished.push_back(&tree_.nodes.emplace_back(std::move(node)));
    return tree_.finished.back();
  }
  const Node* finish(Kind kind, std::size_t pos, std::string text, const Node* left = nullptr,
                     const Node* right = nullptr) {
    return finish(Node{kind, pos, std::move(text), left, right, {}});
  }
  // A node of a word or phrase (`operand`) as typed, `kind` at `pos`.
  const Node* finish_text(Kind kind, std::size_t pos, const Lexeme& operand) {
    Node n{kind, pos, operand.text, nullptr, nullptr, {}};
    n.text_pos = operand.type == Lex::Phrase ? operand.pos + 1 : operand.pos;  // (after the quotation mark)
    return finish(std::move(n));
  }

  // sequence := item+ ; items side by side are joined by the default operator.
  const Node* sequence(int depth) {
    if (depth > kMaxDepth) throw QueryError("parentheses nested too deeply", peek().pos);
    Node out{Kind::Sequence, peek().pos, {}, nullptr, nullptr, {}};
    while (peek().type != Lex::End && peek().type != Lex::RParen) {
      const Lexeme& l = peek();
      if (!starts_term(l.type)) throw QueryError(std::string("'") + name(l.type) + "' needs a term before it", l.pos);
      Role role = Role::Optional;
      if (l.type == Lex::Minus || l.type == Lex::Plus) {
        role = l.type == Lex::Minus ? Role::Excluded : Role::Required;
        take();
      }
      out.items.push_back({either(depth), role});
    }
    if (out.items.empty()) throw QueryError(depth == 0 ? "empty query" : "empty parentheses", depth == 0 ? 0 : out.pos);
    return finish(std::move(out));
  }

  // either := both ('OR' both)*
  const Node* either(int depth) {
    const Node* left = both(depth);
    while (peek().type == Lex::Or) {
      const Lexeme& op = take();
      if (!starts_term(peek().type)) throw QueryError("'OR' needs a term after it", op.pos);
      const Node* right = both(depth);
      left = finish(Kind::Or, op.pos, {}, left, right);
    }
    return left;
  }

  // both := unary (('AND' | 'NOT' | 'AND NOT') unary)*
  const Node* both(int depth) {
    const Node* left = primary(depth);
    while (peek().type == Lex::And || peek().type == Lex::Not) {
      const Lexeme& op = take();
      bool negate = op.type == Lex::Not;
      if (op.type == Lex::And && peek().type == Lex::Not) {
        take();
        negate = true;
      }
      if (!starts_term(peek().type) || peek().type == Lex::Minus || peek().type == Lex::Plus)
        throw QueryError(std::string("'") + name(op.type) + "' needs a term after it", op.pos);
      const Node* right = primary(depth);
      left = finish(negate ? Kind::Not : Kind::And, op.pos, {}, left, right);
    }
    return left;
  }

  const Node* primary(int depth) {
    const Lexeme l = take();
    switch (l.type) {
      case Lex::LParen: {
        // "(" at the end: unclosed rather than empty
        if (peek().type == Lex::End) throw QueryError("unbalanced '(': no ')' closes it", l.pos);
        const Node* inner = sequence(depth + 1);
        if (peek().type != Lex::RParen) throw QueryError("unbalanced '(': no ')' closes it", l.pos);
        take();
        return finish(Kind::Group, l.pos, {}, inner);
      }
      case Lex::Phrase: return finish_text(Kind::Phrase, l.pos, l);
      case Lex::Word: {
        // '*' ends a word (Elektro*); anywhere else (*Ferrari, Fer*rari) it is an error, not a character
        // dropped as punctuation. (Stars alone are no word: "no words to search for", if nothing else is.)
        const std::size_t last = l.text.find_last_not_of('*');
        const std::size_t star = l.text.find('*');
        if (last == std::string::npos) return finish_text(Kind::Word, l.pos, l);
        if (star < last)
          throw QueryError("'*' stands only at the end of a word (Elektro*)",
                           l.pos + base::count_code_points(std::string_view(l.text).substr(0, star)));
        return finish_text(star != std::string::npos ? Kind::Wildcard : Kind::Word, l.pos, l);
      }
      case Lex::Title: {
        const Lexeme operand = take();
        if (operand.type == Lex::Word || operand.type == Lex::Phrase) return finish_text(Kind::Title, l.pos, operand);
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

  std::vector<Lexeme> lx_;
  Tree& tree_;
  std::size_t at_ = 0;
};

// Throws for text that cannot be a query: invalid UTF-8 (or a NUL byte), or too long.
void check_text(std::string_view query) {
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
}

}  // namespace

Tree parse(std::string_view query) {
  check_text(query);
  Tree tree;
  Parser parser(lex(query), tree);
  try {
    tree.root = parser.run();
  } catch (const QueryError& e) {
    tree.error = e;
  }
  return tree;
}

}  // namespace fundstelle::searcher::syntax
