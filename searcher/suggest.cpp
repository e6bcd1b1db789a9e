#include "searcher/suggest.h"

#include <algorithm>
#include <map>

#include "analyzers/normalize.h"
#include "base/utf8.h"
#include "index/schema.h"
#include "searcher/weights.h"

namespace fundstelle::searcher {

std::vector<Suggestion> suggest(const Xapian::Database& db, analyzers::GermanAnalyzer& analyzer, std::string_view typed,
                                std::size_t limit) {
  // The last word, and what stands before it.
  std::size_t end = typed.size();
  while (end > 0 && (typed[end - 1] == ' ' || typed[end - 1] == '\t')) --end;
  std::size_t begin = end;
  while (begin > 0 && typed[begin - 1] != ' ' && typed[begin - 1] != '\t' && typed[begin - 1] != '"' &&
         typed[begin - 1] != '(')
    --begin;
  if (end < typed.size()) return {};  // a word just finished: nothing to complete
  const std::string_view word = typed.substr(begin, end - begin);
  const std::string form = analyzer.normalize(word);
  if (base::count_code_points(form) < 2 || limit == 0) return {};

  std::map<std::string, Xapian::doccount> found;  // form -> passages with it
  // Words that begin with it, as written (E terms: every word's form).
  const std::string exact = std::string(schema::kExact) + form;
  std::size_t scanned = 0;
  for (auto it = db.allterms_begin(exact); it != db.allterms_end(exact) && scanned < weights::kMaxSuggestScan;
       ++it, ++scanned)
    found[(*it).substr(schema::kExact.size())] = it.get_termfreq();
  // Compounds with a part that begins with it: the most frequent such parts (P terms, stems), and in a few
  // passages of each the words that hold the typed text after their first letters.
  const std::string stem = analyzer.term_for_form(form);
  const std::string part = std::string(schema::kCompoundPart) + (stem.empty() ? form : stem);
  std::vector<std::pair<Xapian::doccount, std::string>> parts;
  scanned = 0;
  for (auto it = db.allterms_begin(part); it != db.allterms_end(part) && scanned < weights::kMaxSuggestScan;
       ++it, ++scanned)
    parts.emplace_back(it.get_termfreq(), *it);
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  if (parts.size() > weights::kSuggestParts) parts.resize(weights::kSuggestParts);
  for (const auto& [freq, term] : parts) {
    std::size_t docs = 0;
    for (auto d = db.postlist_begin(term); d != db.postlist_end(term) && docs < weights::kSuggestPassagesPerPart;
         ++d, ++docs) {
      auto t = db.termlist_begin(*d);
      for (t.skip_to(std::string(schema::kExact)); t != db.termlist_end(*d); ++t) {
        const std::string e = *t;
        if (e.compare(0, schema::kExact.size(), schema::kExact) != 0) break;
        const std::string w = e.substr(schema::kExact.size());
        if (w.size() > form.size() && w.find(form, 1) != std::string::npos && !found.count(w))
          found[w] = db.get_termfreq(e);
      }
    }
  }
  std::vector<std::pair<Xapian::doccount, std::string>> ranked;
  for (const auto& [w, n] : found) ranked.emplace_back(n, w);
  std::sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
    // More passages first; then words that begin with what was typed, shorter first.
    if (a.first != b.first) return a.first > b.first;
    const bool pa = a.second.rfind(form, 0) == 0, pb = b.second.rfind(form, 0) == 0;
    if (pa != pb) return pa;
    return a.second.size() != b.second.size() ? a.second.size() < b.second.size() : a.second < b.second;
  });
  if (ranked.size() > limit) ranked.resize(limit);
  std::vector<Suggestion> out;
  const std::string before(typed.substr(0, begin));
  for (const auto& [n, w] : ranked) {
    // Written capitalised where the index has it so inside a sentence (a noun, a name), or as typed.
    const bool upper = analyzers::starts_upper(word) || db.term_exists(std::string(schema::kCapitalised) + w);
    Suggestion s;
    s.word = upper ? analyzers::capitalize_like("X", w) : w;
    s.text = before + s.word;
    s.passages = n;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace fundstelle::searcher
