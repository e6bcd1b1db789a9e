// How many passages hold each term, as one search asks for them. Over remote shards each
// Database::get_termfreq is an exchange with every shard in turn, and reading a query asks for a hundred
// (compound joins and variants, typed forms, known words): 4 shards on loopback spent most of a search's
// 25 ms there. So a search over remote shards reads its query collecting the terms it asks for (answered 0
// meanwhile), looks them up together in one match of their OR (whose statistics carry each term's
// frequency: one exchange with each shard, all shards at once), again while the answers lead the reading to
// terms it had not asked for (a compound the index holds, found only once the frequencies are known, asks
// for its own title and part terms), and reads the query again from those answers. Held for one search
// only: a second search asks the index again.
#pragma once

#include <xapian.h>

#include <set>
#include <string>
#include <unordered_map>

namespace fundstelle::searcher {

class TermFrequencies {
 public:
  explicit TermFrequencies(const Xapian::Database& db) : db_(db) {}

  // The passages holding `term`: an answer looked up before; else, while collecting, 0 (and the term noted);
  // else from the index (and kept).
  Xapian::doccount operator()(const std::string& term);
  bool holds(const std::string& term) { return (*this)(term) > 0; }

  // While on, terms not looked up yet are noted instead (see above).
  void collect(bool on) { collecting_ = on; }
  // Looks the noted terms up together and forgets the note; false when none was noted.
  bool fetch_noted();
  // Forgets every answer and stops collecting (a new search, or the index changed).
  void clear() {
    known_.clear();
    noted_.clear();
    collecting_ = false;
  }

 private:
  const Xapian::Database& db_;
  std::unordered_map<std::string, Xapian::doccount> known_;
  std::set<std::string> noted_;
  bool collecting_ = false;
};

}  // namespace fundstelle::searcher
