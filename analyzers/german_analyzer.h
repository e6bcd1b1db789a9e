// The German analyzer: the one place where text becomes terms, used identically for passages and queries.
//
// Chain (each stage one job, in the spirit of Lucene's analysis package):
//   ICU word break (locale de; a full stop between letters separates words)  ->  join chains (words joined by
//   hyphens or full stops: EV-Partnerschaft, heise.de) and "N %" (quantities)  ->  ICU NFKC + case folding  ->
//   compound splitting (CompoundSplitter)  ->  Xapian german2 stemmer of the word and of each part.
// Tokens with digits are neither split nor stemmed; joined chains and quantities are not split.
// german2 folds umlauts and their ae/oe/ue spellings in stems, so München, Muenchen and Munchen share a term.
//
// Thread safety: an analyzer holds ICU and Xapian state; use one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fundstelle::analyzers {

enum class TokenRole : std::uint8_t {
  Word,      // an ordinary word or number
  Part,      // one part of a hyphenated chain (EV in EV-Partnerschaft), or the number of a Quantity; has its own
             // position
  Whole,     // the joined chain (evpartnerschaft); shares the position of its first part
  Split,     // a part of a compound (zentrum in Entwicklungszentrum): same position and span as the Word or Part
             // it was split from, which it follows
  Quantity,  // a number with its unit sign (20% for "20 %" and "20%"): shares the position of the number,
             // a Part before it; a query searches the quantity alone, as a bare 20 elsewhere is another thing
  Inner,     // a run of two or more neighbouring parts of a compound of three or more, as spelled in it (klimaschutz
             // and schutzgesetz in Klimaschutzgesetz, besides klima, schutz, gesetz): placed and indexed like a
             // Split, after the Splits, so that a shorter compound finds the longer one
};

struct Token {
  std::string term;        // the index term: stem, or the normalized form for tokens with digits
  std::string form;        // normalized surface form (NFKC, case folded), before stemming
  std::uint32_t position;  // word position, from 0 within one analyze() call
  std::uint32_t begin;     // code point offsets of the token in the analysed text, [begin, end)
  std::uint32_t end;
  TokenRole role;
  // Written with a capital letter inside a sentence, where German capitalises only nouns and names (not at
  // the start of the text or after . ! ? : …, but after a full stop that joins a chain: ui.GetDocument); for
  // Word and Part tokens, false for the others.
  bool capitalised = false;
};

class GermanAnalyzer {
 public:
  GermanAnalyzer();
  ~GermanAnalyzer();
  GermanAnalyzer(const GermanAnalyzer&) = delete;
  GermanAnalyzer& operator=(const GermanAnalyzer&) = delete;

  // Appends the tokens of valid UTF-8 `text` to `out`, in text order (parts before their whole, compound
  // parts right after the word they come from).
  void analyze(std::string_view text, std::vector<Token>& out);
  std::vector<Token> analyze(std::string_view text) {
    std::vector<Token> out;
    analyze(text, out);
    return out;
  }
  // The same, but only the tokens at the word positions in `positions` (sorted; Token::position, from 0):
  // exactly those analyze() gives there, with a chain whole when any of its positions is asked for.
  // The words elsewhere are segmented (to count positions) but not normalized, stemmed or split, so marking
  // the words whose positions the index holds costs a fraction of analysing the whole text.
  void analyze_at(std::string_view text, const std::vector<std::uint32_t>& positions, std::vector<Token>& out);

  // NFKC + case folding of one word, as applied to every token.
  std::string normalize(std::string_view word);
  // The index term for an already normalized form.
  std::string term_for_form(const std::string& form);
  // Whether `sign`, written apart from the number before it ("20 %"), is that number's unit sign, which
  // analyze() reads together with the number (TokenRole::Quantity). The query lexer, which splits words at
  // spaces, asks this to keep "20 %" one word, so that a query reads it as the text was read.
  static bool is_unit_sign(std::string_view sign);
  // The ways two normalized words written apart may be one compound (entwicklung + zentrum ->
  // entwicklungszentrum): the first word joined to the second by each linking element German uses, also
  // without the first word's final e (schule + buch -> schulbuch). Empty when either is no word of letters
  // of at least compound::kMinPart bytes. The searcher keeps those the index holds.
  static std::vector<std::string> compound_joins(std::string_view first, std::string_view second);
  // A normalized word as a chain's joined whole is written (ev-partner -> evpartner, ui.get -> uiget): its
  // hyphens and full stops left out, so that a prefix typed with them reaches the chains that begin so.
  static std::string chain_joined(std::string_view form);
  // Other spellings of a normalized compound that mean the same (entwicklungzentrum, entwicklungszentren ->
  // entwicklungszentrum): its head joined to what stands before it by every linking element, and with the
  // other number of an irregular head (compound::kIrregularHeads). `parts` are the compound's parts as
  // analyze() gave them (its Split tokens); empty for a word that is no compound. The searcher keeps those
  // the index holds.
  static std::vector<std::string> compound_variants(std::string_view form, const std::vector<std::string>& parts);
  // A normalized noun in the other number of an irregular ending (firmen -> firma, zentrum -> zentren,
  // viren -> virus: compound::kIrregularPlurals), each form the word lists hold as a noun, when they hold
  // `form` as one; else none. A form that reads as the plural of a listed singular gives only singulars
  // (praktika -> praktikum, not praktiken).
  static std::vector<std::string> number_variants(std::string_view form);
  // Whether a normalized form is a German stopword (applied to free query words only).
  bool is_stopword(std::string_view form) const;

  // Changes whenever a change here would change the terms of already indexed text.
  static std::string fingerprint();

  // Terms longer than this (bytes) are dropped: Xapian's limit is 245 with prefixes.
  static constexpr std::size_t kMaxTermBytes = 200;

 private:
  // analyze() (`only` null) and analyze_at() (the positions asked for).
  void run(std::string_view text, const std::vector<std::uint32_t>* only, std::vector<Token>& out);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fundstelle::analyzers
