#include "searcher/spelling_corrector.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "analyzers/compound_rules.h"
#include "analyzers/compound_splitter.h"
#include "analyzers/normalize.h"
#include "analyzers/utf8.h"
#include "base/utf8.h"
#include "index/schema.h"
#include "searcher/weights.h"

namespace fundstelle::searcher {

std::vector<const QueryWord*> SpellingCorrector::unknown_words(const ParsedQuery& parsed,
                                                               TermFrequencies* frequencies) {
  std::vector<const QueryWord*> out;
  for (const auto& w : parsed.words)
    if (!known(w, frequencies)) out.push_back(&w);
  return out;
}

SpellingCorrector::Corrected SpellingCorrector::correct(std::string_view query_text,
                                                        const std::vector<const QueryWord*>& unknown,
                                                        TermFrequencies* frequencies,
                                                        std::chrono::steady_clock::time_point deadline) {
  struct Until {  // the deadline holds for this correction only
    std::chrono::steady_clock::time_point& d;
    Until(std::chrono::steady_clock::time_point& at, std::chrono::steady_clock::time_point value) : d(at) { d = value; }
    ~Until() { d = std::chrono::steady_clock::time_point::max(); }
  } until(deadline_, deadline);
  Corrected out;
  out.sure.query = out.all.query = std::string(query_text);
  std::ptrdiff_t shift_sure = 0, shift_all = 0;  // bytes each corrected text has grown so far
  // Replaces word `w` where it stands in `text` (positions are code points of the original query).
  const auto replace = [&](Corrected::Text& text, std::ptrdiff_t& shift, const QueryWord& w,
                           const std::string& replacement) {
    const std::size_t byte = base::byte_offset(query_text, w.position);
    text.query.replace(static_cast<std::size_t>(static_cast<std::ptrdiff_t>(byte) + shift), w.text.size(), replacement);
    text.corrections.push_back(Correction{w.text, replacement});
    shift += static_cast<std::ptrdiff_t>(replacement.size()) - static_cast<std::ptrdiff_t>(w.text.size());
    text.changed = true;
  };
  std::size_t tried = 0;
  for (const QueryWord* word : unknown) {
    const QueryWord& w = *word;
    if (w.use == WordUse::Prefix || w.use == WordUse::TooLong ||
        base::count_code_points(w.text) > weights::kMaxCorrectedLength)
      continue;
    if (++tried > weights::kMaxCorrectedWords || expired()) break;
    const Replacement r = correct_word(w.text, frequencies);
    if (r.text.empty()) continue;
    replace(out.all, shift_all, w, r.text);
    // Only a free word is corrected without asking: a quoted one was asked for as written, and an excluded
    // one corrected would exclude what was not asked about.
    if (r.sure && w.use == WordUse::Free) replace(out.sure, shift_sure, w, r.text);
  }
  return out;
}

SpellingCorrector::Replacement SpellingCorrector::correct_word(std::string_view typed, TermFrequencies* frequencies) {
  const auto tokens = analyzer_.analyze(typed);
  std::vector<const analyzers::Token*> parts;  // the words it is made of, each at a position of its own
  for (const auto& t : tokens)
    if (t.role == analyzers::TokenRole::Part || t.role == analyzers::TokenRole::Word) parts.push_back(&t);
  if (parts.size() < 2) {
    const bool capitalised = analyzers::starts_upper(typed);
    const std::string suggestion = suggest(analyzer_.normalize(typed), capitalised);
    if (suggestion.empty()) return {};
    return {analyzers::capitalize_like(typed, suggestion), sure(suggestion, capitalised)};
  }
  // A chain (EV-Partnerschft, ui.GetDocumnt) or words typed without a space (3.Kapitl): each part the index
  // does not hold is corrected on its own, as typed between the separators; the correction is sure when each
  // part's is.
  Replacement out{std::string(), true};
  bool changed = false;
  std::size_t copied = 0;  // bytes of `typed` written to out.text so far
  for (const analyzers::Token* part : parts) {
    if (held_anywhere(part->term, frequencies)) continue;
    const std::size_t begin = base::byte_offset(typed, part->begin), end = base::byte_offset(typed, part->end);
    const std::string_view as_typed = typed.substr(begin, end - begin);
    const bool capitalised = analyzers::starts_upper(as_typed);
    const std::string suggestion = suggest(part->form, capitalised);
    if (suggestion.empty()) continue;
    out.text.append(typed.substr(copied, begin - copied)).append(analyzers::capitalize_like(as_typed, suggestion));
    copied = end;
    out.sure = out.sure && sure(suggestion, capitalised);
    changed = true;
  }
  if (!changed) return {};
  out.text.append(typed.substr(copied));
  return out;
}

bool SpellingCorrector::held_anywhere(const std::string& term, TermFrequencies* frequencies) {
  return searcher::held_anywhere(
      term, [&](const std::string& t) { return frequencies ? frequencies->holds(t) : db_.term_exists(t); });
}

bool SpellingCorrector::known(const QueryWord& w, TermFrequencies* frequencies) {
  return std::all_of(w.concepts.begin(), w.concepts.end(), [&](const auto& alternatives) {
    return std::any_of(alternatives.begin(), alternatives.end(), [&](const std::vector<std::string>& terms) {
      return std::all_of(terms.begin(), terms.end(),
                         [&](const std::string& t) { return held_anywhere(t, frequencies); });
    });
  });
}

bool SpellingCorrector::usable(const std::string& candidate, const std::string& form, bool capitalised) {
  if (candidate.empty() || candidate == form) return false;
  // A capitalised word (a name, perhaps one the index does not hold) becomes only a word the index writes
  // capitalised inside a sentence: a noun or a name, never a verb (Habeck is no typo of haben).
  // Nor a stopword (Diess is no typo of Diese): a name is never a pronoun or an article.
  if (capitalised) {
    const Xapian::doccount written_capitalised = db_.get_termfreq(std::string(schema::kCapitalised) + candidate);
    if (written_capitalised == 0 || analyzer_.is_stopword(candidate) ||
        static_cast<double>(written_capitalised) <
            weights::kCapitalisedShare * static_cast<double>(db_.get_termfreq(std::string(schema::kExact) + candidate)))
      return false;
  }
  const auto analysed = analyzer_.analyze(candidate);
  return !analysed.empty() && db_.term_exists(analysed.front().term);
}

unsigned SpellingCorrector::edit_budget(std::string_view form) {
  const std::size_t n = base::count_code_points(form);
  return n >= weights::kTwoTyposFrom ? 2 : n >= weights::kOneTypoFrom ? 1 : 0;
}

bool SpellingCorrector::sure(const std::string& candidate, bool capitalised) {
  if (!capitalised) return true;
  const double share = weights::kNameCorrectionShare * static_cast<double>(db_.get_doccount());
  const Xapian::doccount least = std::max<Xapian::doccount>(1, static_cast<Xapian::doccount>(std::ceil(share)));
  return db_.get_termfreq(std::string(schema::kCapitalised) + candidate) >= least;
}

std::string SpellingCorrector::suggest(const std::string& form, bool capitalised) {
  const unsigned budget = edit_budget(form);
  if (budget == 0 || analyzers::CompoundSplitter::german().listed(form)) return {};
  std::string best = db_.get_spelling_suggestion(form, budget);
  if (usable(best, form, capitalised)) return best;
  // Fallback: the most frequent word within the budget that begins with the same letter. Xapian's own search
  // (above) finds most typos, first letters included; this one catches what it misses. It reads only the
  // words under the query word's first letter: all of them took 12 ms on an index of 80,000 words and grow
  // with the index.
  best.clear();
  if (form.empty()) return best;
  const std::string letter = form.substr(0, base::next_code_point(form, 0));
  Xapian::doccount best_freq = 0;
  const std::size_t n = analyzers::count_code_points(form);
  auto it = db_.spellings_begin();
  it.skip_to(letter);
  for (; it != db_.spellings_end(); ++it) {
    const std::string candidate = *it;
    if (!candidate.starts_with(letter)) break;
    const std::size_t len = analyzers::count_code_points(candidate);
    if (len + budget < n || len > n + budget || it.get_termfreq() <= best_freq) continue;
    if (analyzers::edit_distance(form, candidate, budget) <= budget && usable(candidate, form, capitalised)) {
      best = candidate;
      best_freq = it.get_termfreq();
    }
  }
  if (best.empty()) best = suggest_from_remote_terms(form, letter, budget, capitalised);
  if (best.empty()) best = suggest_by_parts(form, capitalised);
  // A word typed without umlauts (Muenchn): ue -> ü is two edits, which leave no budget for the typo; the
  // word is tried again with its ae, oe, ue as ä, ö, ü.
  if (best.empty() && !expired())
    if (const std::string respelled = analyzers::umlauts_for_digraphs(form); respelled != form)
      best = suggest(respelled, capitalised);
  return best;
}

namespace {

// The words one edit from `word` (a letter deleted, inserted, replaced, or two neighbours swapped), over the
// German alphabet; code points, not bytes.
std::vector<std::string> one_edit(const std::string& word) {
  static const std::vector<std::string> kLetters = [] {
    std::vector<std::string> out;
    for (char c = 'a'; c <= 'z'; ++c) out.emplace_back(1, c);
    for (const char* u : {"\xC3\xA4", "\xC3\xB6", "\xC3\xBC", "\xC3\x9F"}) out.emplace_back(u);  // ä ö ü ß
    return out;
  }();
  std::vector<std::size_t> at;  // byte offset of each code point, and the end
  for (std::size_t i = 0; i < word.size(); i = base::next_code_point(word, i)) at.push_back(i);
  at.push_back(word.size());
  std::vector<std::string> out;
  for (std::size_t k = 0; k + 1 < at.size(); ++k) {
    const std::string before = word.substr(0, at[k]), after = word.substr(at[k + 1]);
    out.push_back(before + after);
    for (const auto& l : kLetters) out.push_back(before + l + after);
    if (k + 2 < at.size())
      out.push_back(before + word.substr(at[k + 1], at[k + 2] - at[k + 1]) + word.substr(at[k], at[k + 1] - at[k]) +
                    word.substr(at[k + 2]));
  }
  for (std::size_t k = 0; k < at.size(); ++k)
    for (const auto& l : kLetters) out.push_back(word.substr(0, at[k]) + l + word.substr(at[k]));
  return out;
}

}  // namespace

std::string SpellingCorrector::suggest_by_parts(const std::string& form, bool capitalised) {
  const std::size_t n = analyzers::count_code_points(form);
  if (n < 2 * analyzers::compound::kMinPart) return {};
  const auto& words = analyzers::CompoundSplitter::german();
  // What a half may stand for: itself where the index or the word lists hold it, else the listed words one
  // edit away (when the half's length allows an edit).
  const auto readings = [&](const std::string& half) {
    std::vector<std::string> out;
    if (db_.term_exists(std::string(schema::kExact) + half) || words.listed(half))
      return std::vector<std::string>{half};
    if (edit_budget(half) == 0) return out;
    for (auto& w : one_edit(half))
      if (words.listed(w) && std::find(out.begin(), out.end(), w) == out.end()) out.push_back(std::move(w));
    return out;
  };
  std::string best;
  Xapian::doccount best_freq = 0;
  std::size_t at = 0;
  for (std::size_t cut = 1; cut < n && !expired(); ++cut) {
    at = base::next_code_point(form, at);
    if (cut < analyzers::compound::kMinPart || n - cut < analyzers::compound::kMinPart) continue;
    const auto seconds = readings(form.substr(at));
    if (seconds.empty()) continue;
    for (const std::string_view link : analyzers::compound::kLinks) {
      const std::string_view typed_first = std::string_view(form).substr(0, at);
      if (!typed_first.ends_with(link) || typed_first.size() - link.size() < analyzers::compound::kMinPart) continue;
      for (const auto& first : readings(std::string(typed_first.substr(0, typed_first.size() - link.size()))))
        for (const auto& second : seconds)
          for (const auto& joined : analyzers::GermanAnalyzer::compound_joins(first, second)) {
            if (joined == form) continue;
            const Xapian::doccount freq = db_.get_termfreq(analyzer_.term_for_form(joined));
            if (freq > best_freq && usable(joined, form, capitalised)) {
              best = joined;
              best_freq = freq;
            }
          }
    }
  }
  return best;
}

std::string SpellingCorrector::suggest_from_remote_terms(const std::string& form, const std::string& letter,
                                                         unsigned budget, bool capitalised) {
  if (!shards_) return {};
  const std::size_t n = analyzers::count_code_points(form);
  // Candidates within the budget, with the passages holding them over the remote shards: the words as written
  // (kExact terms; every word has one).
  std::map<std::string, Xapian::doccount> forms;
  const auto near = [&](const std::string& candidate) {
    const std::size_t len = analyzers::count_code_points(candidate);
    return len + budget >= n && len <= n + budget && analyzers::edit_distance(form, candidate, budget) <= budget;
  };
  for (std::size_t i = 0; i < shards_->each.size(); ++i) {
    if (!shards_->remote[i]) continue;
    const Xapian::Database& shard = shards_->each[i];
    const std::string exact = std::string(schema::kExact) + letter;
    for (auto it = shard.allterms_begin(exact); it != shard.allterms_end(exact); ++it)
      if (const std::string candidate = (*it).substr(schema::kExact.size()); near(candidate))
        forms[candidate] += it.get_termfreq();
  }
  // As Xapian's own suggestion does: the fewest edits first, then the most frequent.
  std::string best;
  std::pair<unsigned, Xapian::doccount> best_rank{budget + 1, 0};
  for (const auto& [candidate, freq] : forms) {
    const std::pair<unsigned, Xapian::doccount> rank{
        static_cast<unsigned>(analyzers::edit_distance(form, candidate, budget)), freq};
    if ((rank.first < best_rank.first || (rank.first == best_rank.first && rank.second > best_rank.second)) &&
        usable(candidate, form, capitalised)) {
      best = candidate;
      best_rank = rank;
    }
  }
  return best;
}

}  // namespace fundstelle::searcher
