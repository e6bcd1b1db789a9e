// Query building: a syntax tree (query_syntax.h) -> the Xapian query, with what the ranker, the highlighter,
// the spelling corrector and --explain need to know of it.
//
// Every word goes through the same GermanAnalyzer as the indexed text. Free words that are German stopwords
// are dropped (unless the query has nothing else); words in phrases and under explicit operators are kept.
// The weights are in weights.h.
//
// Thread safety: uses the analyzer it is given; one per thread.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyzers/german_analyzer.h"
#include "analyzers/synonyms.h"
#include "fundstelle/searcher.h"
#include "index/schema.h"
#include "searcher/query_syntax.h"

namespace fundstelle::searcher {

// One thing the user asked for. It is present in a passage when all terms of any one alternative are.
struct Concept {
  std::vector<std::vector<std::string>> alternatives;
  // Where the concept is one word as typed: its exact-form index terms (E + form), the word's own and that of
  // a compound it was joined into with its neighbour. A passage that writes the word as the user did ranks
  // above one that only inflects it alike (PassageFeatures::typed).
  std::vector<std::string> typed;
  // How much the typed form says beyond the stem, 0 to 1: min(1, ln(passages holding the stem / passages
  // holding the form)). A form that most of its stem's passages write (Schrift, Eintrag) says little of what
  // was meant, a rarer inflection (Perioden, Dokumente) much; a form that is its stem's only one nothing.
  double typed_weight = 1.0;
};

// A word of the query and the synonyms it was expanded with.
struct QueryExpansion {
  std::string word;
  std::vector<std::string> synonyms;
  ExpansionKind kind = ExpansionKind::Synonyms;
};

// How a query word was asked for: what spelling correction may do with it when the index holds it nowhere.
// Every such word is reported (SearchResults::unknown), so that no word is dropped silently.
enum class WordUse {
  Free,      // a bare word: corrected (or, when the correction is not sure, it is suggested)
  Literal,   // in quotes or after title:, asked for as written: a correction is only suggested
  Excluded,  // after - or NOT: only suggested (corrected, it would take away passages that were not asked about)
  Prefix,    // word* that begins no word of the index: reported, never corrected
  TooLong,   // longer than the index keeps a word (GermanAnalyzer::kMaxTermBytes): reported, never corrected
};

// A word as typed, with its position, for spelling correction and the report of unknown words.
struct QueryWord {
  std::string text;
  std::size_t position;  // code points
  // What it asks for: the alternatives of each of its concepts (Concept::alternatives). The index knows the
  // word when it holds, for every concept, all terms of one alternative: a chain's whole or each of its parts
  // (ui.GetDocumnt is unknown though ui is held), a compound or each of its parts.
  std::vector<std::vector<std::vector<std::string>>> concepts;
  WordUse use = WordUse::Free;
};

struct ParseOptions {
  analyzers::SynonymSource synonyms = analyzers::SynonymSource::Domain;
  // A compound also matches its parts near each other; and, with term_frequency, the index's spellings of a
  // compound or of two words typed apart, and a noun's other number (off under --exact).
  bool compound_parts = true;
  bool drop_stopwords = true;  // free stopwords beside other words are left out (reported in `ignored`)
  // For word*: the index terms that start with a normalized prefix, the most frequent first, at most
  // weights::kMaxWildcardTerms. Without it a wildcard matches nothing.
  std::function<std::vector<std::string>(const std::string& prefix)> expand_prefix;
  // How many passages hold an index term. With it, two free words side by side that the index holds as one
  // compound (Entwicklung Zentrum: entwicklungszentrum) also match that compound, as an alternative of both
  // words at full weight, and a compound also matches its other spellings the index holds (Entwicklungzentrum,
  // Entwicklungszentren); without it, words are never joined or respelled.
  std::function<Xapian::doccount(const std::string& term)> term_frequency;
};

// Whether the index holds the word whose term is `term` anywhere a word is found: in a passage's text, inside
// a compound, in an article's title or a section heading. `holds(index_term)` answers for one index term.
template <typename Holds>
bool held_anywhere(const std::string& term, Holds&& holds) {
  return holds(term) || holds(std::string(schema::kCompoundPart) + term) || holds(std::string(schema::kTitle) + term) ||
         holds(std::string(schema::kSection) + term);
}

// Terms the query asks for only in a row or near each other (a compound's parts, a chain's parts, a phrase),
// with that positional query: a passage holding the terms but not so placed gets nothing for them.
struct PositionalGroup {
  Xapian::Query query;
  // Each of its terms with its factor inside the group (as term_factors), counted where the group matches: for
  // --explain.
  std::unordered_map<std::string, double> factors;
};

struct ParsedQuery {
  Xapian::Query query;
  std::vector<Concept> concepts;              // positive concepts, for coverage and proximity
  std::unordered_set<std::string> highlight;  // positive terms (unprefixed), to highlight
  // Of those, the terms asked for only as parts of a query compound (werk of Wasserstoffkraftwerk): they mark
  // a passage's word that is one of them, not a passage's compound that holds one (Stadtwerke).
  std::unordered_set<std::string> split_only;
  std::vector<QueryExpansion> expansions;
  std::vector<QueryWord> words;      // in query order
  std::vector<std::string> ignored;  // free stopwords left out beside other words, as typed
  // Each index term the query asks for (with its prefix), and the factor its BM25 weight is scaled by
  // (title, compound part, exact form, synonym), summed over the places it is asked for on its own (0 for a
  // term asked for only inside positional groups, whose factors are the groups'): for --explain.
  std::unordered_map<std::string, double> term_factors;
  // The positional groups: --explain counts their terms' factors only for a passage that the group matches, so
  // that the listed weights add up to the BM25 score.
  std::vector<PositionalGroup> positional;
};

// Throws fundstelle::QueryError (with the code point position) for a query that asks for nothing (only
// excluded words, only punctuation), and for the grammar error of a malformed tree (Tree::error), or an
// error of query building nearer the start of the query than it.
ParsedQuery build_query(const syntax::Tree& tree, analyzers::GermanAnalyzer& analyzer, const ParseOptions& options);

}  // namespace fundstelle::searcher
