// The grammar of the query language, apart from what its words mean: text -> syntax tree. Words, "phrases",
// -word (exclude), +word (require), AND / OR / NOT (upper case), parentheses, title:word and title:"phrase",
// and word* (a trailing wildcard). Query building (query_builder.h) gives the tree its Xapian query.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fundstelle/error.h"

namespace fundstelle::searcher::syntax {

inline constexpr std::size_t kMaxLength = 10000;  // code points
inline constexpr int kMaxDepth = 64;              // nesting of parentheses

enum class Kind {
  Word,      // text: a bare word as typed (or a number with its unit sign: "20 %")
  Phrase,    // text: the words between the quotation marks
  Title,     // text: the word or phrase after title:
  Wildcard,  // text: the word with its trailing '*'
  And,       // left AND right
  Or,        // left OR right
  Not,       // left NOT right (also left AND NOT right)
  Sequence,  // items side by side, joined by the default operator
  Group,     // ( sequence )
};

// How an item of a sequence takes part in it.
enum class Role { Optional, Required, Excluded };

struct Node;

struct Item {
  const Node* node;
  Role role;
};

struct Node {
  Kind kind;
  std::size_t pos;              // code points; of a sequence: where it starts
  std::string text;             // Word, Phrase, Title, Wildcard
  const Node* left = nullptr;   // And, Or, Not; the sequence of a Group
  const Node* right = nullptr;  // And, Or, Not
  std::vector<Item> items;      // Sequence
  std::size_t text_pos = 0;     // code points: where `text` begins in the query (after a quote, after title:)
};

// The tree of a query. A grammar error is not thrown at once but kept with the nodes finished before it: query
// building may find an error of its own among them (a group that only excludes words), and of two errors the
// one the user meets first, reading the query, is reported.
struct Tree {
  // Moved, never copied: a copy's pointers would point into the original's nodes.
  Tree() = default;
  Tree(Tree&&) = default;
  Tree& operator=(Tree&&) = default;
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;

  std::deque<Node> nodes;             // every node; a deque, so that pointers to them stay valid
  const Node* root = nullptr;         // null when the query is malformed
  std::optional<QueryError> error;    // the grammar error of a malformed query
  std::vector<const Node*> finished;  // the nodes in the order they were finished (before `error`, if any)
};

// Throws fundstelle::QueryError (with the code point position) for text that is no query at all: invalid
// UTF-8, too long, an unclosed quotation mark, a lone '-' or '+', or title: with nothing after it. Other
// grammar errors are in Tree::error.
Tree parse(std::string_view query);

}  // namespace fundstelle::searcher::syntax
