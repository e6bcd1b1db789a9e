#include "searcher/wildcard.h"

#include <algorithm>
#include <utility>

#include "searcher/weights.h"

namespace fundstelle::searcher {

std::vector<std::string> expand_prefix(const Xapian::Database& db, analyzers::GermanAnalyzer& analyzer,
                                       const std::string& prefix) {
  std::vector<std::pair<Xapian::doccount, std::string>> found;
  // Index terms are stems: without umlauts (Fähr* looks for fahr...), with ue read as ü (Fuehr* too), and a
  // prefix may lose what looks like an ending (Hauses* widens to haus...).
  const std::string stem = analyzer.term_for_form(prefix);
  const std::string& start = stem.empty() ? prefix : stem;
  std::size_t scanned = 0;
  for (auto it = db.allterms_begin(start); it != db.allterms_end(start) && scanned < weights::kMaxWildcardScan;
       ++it, ++scanned)
    found.emplace_back(it.get_termfreq(), *it);
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  });
  std::vector<std::string> terms;
  for (const auto& [freq, term] : found) {
    if (terms.size() >= weights::kMaxWildcardTerms) break;
    terms.push_back(term);
  }
  return terms;
}

}  // namespace fundstelle::searcher
