// Spelling correction from the index's own words. The indexer keeps every word as written (normalized, not
// stemmed) in Xapian's spelling table; a query word the index does not know (it holds neither the word nor
// each of its parts: QueryWord::concepts) is replaced by the most frequent such word within its edit budget
// (by its length: edit_budget) that the index really holds. Each word is corrected on its own; the words the
// index knows stay as typed. Xapian 1.4.22's own suggestion can miss the best or only correction, so its answer is only
// a first candidate, then the spelling table's words with the same first letter are scanned. Names are not typos: a
// query word typed with a capital letter is corrected only into a word that the index writes capitalised inside a
// sentence (schema::kCapitalised: a noun or a name), never into a verb or an adjective; otherwise it stays
// as typed and the search answers what the index holds of it, perhaps nothing. Such a correction is made
// without asking only when the word is frequent enough that a typo of it is more likely than a name the
// index does not hold (weights::kNameCorrectionShare); otherwise it is only suggested. A word that Debian's
// German word lists hold is no typo either (Schwerin is no Schwein): it is never corrected.
//
// Remote shards (xapian-tcpsrv) serve no spelling data: Xapian's remote protocol has none. When the local
// spelling data gives nothing, the words of remote shards are read from their term lists instead: the
// unstemmed forms the index keeps (schema::kExact, one for every word) with the same first letter, the one
// within the budget that the most passages hold winning.
//
// A compound misspelt beyond its budget (Entwiklungzentrm: three edits) is corrected by its parts: cut in
// two (a linking element at the cut left out), each half a word the index holds as written or within the
// half's own budget (Xapian's suggestion), and joined again into the compound the most passages hold. A
// chain (EV-Partnerschft, ui.GetDocumnt) is corrected part by part: each part the index does not hold.
//
// Thread safety: uses the database and analyzer it is given; one per thread.
#pragma once

#include <xapian.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/german_analyzer.h"
#include "fundstelle/searcher.h"
#include "searcher/query_parser.h"
#include "searcher/shards.h"
#include "searcher/term_frequencies.h"

namespace fundstelle::searcher {

class SpellingCorrector {
 public:
  // `shards`, when given, are the shards behind `db`: those that are remote are read as above.
  SpellingCorrector(const Xapian::Database& db, analyzers::GermanAnalyzer& analyzer, const ShardSet* shards = nullptr)
      : db_(db), analyzer_(analyzer), shards_(shards) {}

  // The query with its unknown words corrected (each written like the original: capitalised if it was), or
  // an empty string when nothing could be corrected; each change is appended to `corrections` if given.
  // With `sure_only`, only the corrections to be made without asking (a name's only when clearly a typo).
  std::string correct(std::string_view query_text, const ParsedQuery& parsed,
                      std::vector<Correction>* corrections = nullptr, bool sure_only = false) {
    Corrected c = correct(query_text, unknown_words(parsed));
    Corrected::Text& text = sure_only ? c.sure : c.all;
    if (corrections) *corrections = std::move(text.corrections);
    return text.changed ? text.query : std::string();
  }
  // The query corrected both ways at once (each word's correction is looked for once): with the corrections
  // made without asking only, and with every correction (for "did you mean").
  struct Corrected {
    struct Text {
      std::string query;
      std::vector<Correction> corrections;
      bool changed = false;
    };
    Text sure, all;
  };
  // For the query's words the index does not know (unknown_words), when the caller has them; the index asked
  // through `frequencies` when given (the lookups unknown_words made are not made again).
  // Bounded: at most weights::kMaxCorrectedWords words are corrected, none longer than
  // weights::kMaxCorrectedLength code points, and none after `deadline` (the others stay as typed, reported
  // unknown): a query of fifty made-up 190-letter words took 33 s of correction before these bounds.
  Corrected correct(std::string_view query_text, const std::vector<const QueryWord*>& unknown,
                    TermFrequencies* frequencies = nullptr,
                    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max());

  // The query's words (ParsedQuery::words) that the index holds nowhere, in query order; the index asked
  // through `frequencies` when given (a search's lookups, TermFrequencies).
  std::vector<const QueryWord*> unknown_words(const ParsedQuery& parsed, TermFrequencies* frequencies = nullptr);

  // The best correction of one normalized word within its edit budget, or an empty string; of a word typed
  // `capitalised`, only a word the index writes capitalised. None for a word Debian's word lists hold.
  std::string suggest(const std::string& form, bool capitalised = false);

  // Whether `candidate`, the correction of a word typed `capitalised`, is made without asking: always for a
  // word typed in lower case; for a capitalised one (perhaps a name the index does not hold) when the index
  // writes the candidate capitalised in at least weights::kNameCorrectionShare of its passages.
  bool sure(const std::string& candidate, bool capitalised);

  // How many edits a correction of `form` may make, by its length: 0 up to four letters, 1 up to eight, 2
  // from nine (weights::kOneTypoFrom, kTwoTyposFrom).
  static unsigned edit_budget(std::string_view form);

 private:
  // Whether the index holds the word anywhere (as a word, a compound part, in a title or a heading): each of
  // its concepts through all terms of one alternative (QueryWord::concepts).
  bool known(const QueryWord& w, TermFrequencies* frequencies);
  // Whether the index holds `term` anywhere; through `frequencies` when given, else the database.
  bool held_anywhere(const std::string& term, TermFrequencies* frequencies);
  // The correction of one word as typed (written like it: capitalised where it was), empty when there is
  // none, and whether it is made without asking (sure).
  struct Replacement {
    std::string text;
    bool sure = false;
  };
  Replacement correct_word(std::string_view typed, TermFrequencies* frequencies);
  std::string suggest_from_remote_terms(const std::string& form, const std::string& letter, unsigned budget,
                                        bool capitalised);
  std::string suggest_by_parts(const std::string& form, bool capitalised);
  // When the correction under way gives up (correct's deadline; none outside it).
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  bool expired() const {
    return deadline_ != std::chrono::steady_clock::time_point::max() && std::chrono::steady_clock::now() >= deadline_;
  }
  bool usable(const std::string& candidate, const std::string& form, bool capitalised);

  const Xapian::Database& db_;
  analyzers::GermanAnalyzer& analyzer_;
  const ShardSet* shards_;
};

}  // namespace fundstelle::searcher
