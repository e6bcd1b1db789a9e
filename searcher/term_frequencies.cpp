#include "searcher/term_frequencies.h"

#include <vector>

namespace fundstelle::searcher {

Xapian::doccount TermFrequencies::operator()(const std::string& term) {
  if (const auto it = known_.find(term); it != known_.end()) return it->second;
  if (collecting_ && !term.empty()) {  // (the empty term would be a match of everything)
    noted_.insert(term);
    return 0;
  }
  return known_.emplace(term, db_.get_termfreq(term)).first->second;
}

bool TermFrequencies::fetch_noted() {
  if (noted_.empty()) return false;
  std::vector<Xapian::Query> terms;
  terms.reserve(noted_.size());
  for (const auto& t : noted_) terms.emplace_back(t);
  Xapian::Enquire e(db_);
  e.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
  e.set_weighting_scheme(Xapian::BoolWeight());
  // No document is asked for: the statistics of the match are the answer (MSet::get_termfreq gives each
  // query term's frequency over all shards from them).
  const Xapian::MSet m = e.get_mset(0, 0);
  for (const auto& t : noted_) known_[t] = m.get_termfreq(t);
  noted_.clear();
  return true;
}

}  // namespace fundstelle::searcher
