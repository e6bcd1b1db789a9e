// The query language: words, "phrases", -word (exclude), +word (require), AND / OR / NOT (upper case),
// parentheses, title:word and title:"phrase", and word* (a trailing wildcard). Words side by side use the default operator: a passage that
// contains more of them ranks higher, and a word missing from the index does not empty the result.
//
// Every word goes through the same GermanAnalyzer as the indexed text. Free words that are German stopwords
// are dropped (unless the query has nothing else); words in phrases and under explicit operators are kept.
//
// Thread safety: uses the analyzer it is given; one per thread.
#pragma once

#include <xapian.h>

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyzers/german_analyzer.h"
#include "analyzers/synonyms.h"

namespace fundstelle::searcher {

// One thing the user asked for. It is present in a passage when all terms of any one alternative are.
struct Concept {
  std::vector<std::vector<std::string>> alternatives;
};

// A word of the query and the synonyms it was expanded with.
struct QueryExpansion {
  std::string word;
  std::vector<std::string> synonyms;
};

// A positive word as typed, with its position, for spelling correction.
struct QueryWord {
  std::string text;
  std::size_t position;  // code points
  std::vector<std::string> terms;  // what it asks for (any of them present makes it known to the index)
};

struct ParseOptions {
  analyzers::SynonymSource synonyms = analyzers::SynonymSource::Domain;
  bool compound_parts = true;  // a compound also matches its parts near each other
  // For word*: the index terms that start with a normalized prefix, the most frequent first, at most
  // QueryParser::kMaxWildcardTerms. Without it a wildcard matches nothing.
  std::function<std::vector<std::string>(const std::string& prefix)> expand_prefix;
};

struct ParsedQuery {
  Xapian::Query query;
  std::vector<Concept> concepts;               // positive concepts, for coverage and proximity
  std::unordered_set<std::string> highlight;   // positive terms (unprefixed), to highlight
  std::vector<QueryExpansion> expansions;
  std::vector<QueryWord> words;
  // Each index term the query asks for (with its prefix), and the factor its BM25 weight is scaled by
  // (title, compound part, exact form, synonym): for --explain.
  std::unordered_map<std::string, double> term_factors;
};

class QueryParser {
 public:
  static constexpr std::size_t kMaxLength = 10000;  // code points
  static constexpr int kMaxDepth = 64;              // nesting of parentheses
  // Weights relative to the word as typed matching a passage's own word. Chosen on the development sets
  // (shared/eval: seed queries and the LibreOffice known-item queries together), see bench/README.md.
  static constexpr double kTitleWeight = 0.1;       // the word in the article's title
  static constexpr double kPartWeight = 0.2;        // the word as part of a compound, vs standing alone
  static constexpr double kExactFormWeight = 0.5;   // bonus for the very form typed (Dokumente, not Dokument)
  static constexpr double kCompoundPartsWeight = 0.5;  // a compound's parts near each other, vs the compound
  static constexpr unsigned kCompoundWindow = 12;      // "near": within this many word positions
  static constexpr double kSynonymWeight = 0.5;        // a synonym, vs the word the user typed
  static constexpr std::size_t kMaxSynonyms = 8;       // per word
  static constexpr std::size_t kMaxWildcardTerms = 64;  // a wildcard stands for its most frequent terms

  explicit QueryParser(analyzers::GermanAnalyzer& analyzer) : analyzer_(analyzer) {}
  // Throws fundstelle::QueryError (with the code point position) for a malformed query.
  ParsedQuery parse(std::string_view query, const ParseOptions& options = {});

 private:
  analyzers::GermanAnalyzer& analyzer_;
};

}  // namespace fundstelle::searcher
