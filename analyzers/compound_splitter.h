// CompoundSplitter: German compounds into their parts (Entwicklungszentrum -> entwicklung + zentrum,
// Anteilseigner -> anteil + eigner), so that a part finds the compounds that contain it.
//
// The dictionary is derived at build time from Debian's German word lists (tools/make_compound_dict.cpp) and
// compiled into the program. A split must cover the whole word with parts of at least 4 letters, joined by
// the linking elements German uses (-s-, -es-, -n-, -en-, -er-, -e-, -ens-); the last part must be a noun.
// Among the possible splits the one whose parts are most productive wins (the geometric mean of how often
// each part occurs in other listed compounds, after Koehn & Knight 2003, with that static count in place of
// corpus frequencies so that index and query always split alike). A word that is itself listed stays whole
// unless its parts are clearly more productive than the word (Unternehmen, Beteiligung, Landschaft stay
// whole); prepositions do not modify compounds (Unter|nehmen, Über|gang), and derivational endings that
// happen to be nouns (-schaft) do not head them. Proper names are not listed and stay whole (Leapmotor).
//
// Thread safety: immutable after construction; split() may be called from any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "analyzers/sorted_table.h"

namespace fundstelle::analyzers {

class CompoundSplitter {
 public:
  // The splitter over the dictionary compiled into the program.
  static const CompoundSplitter& german();

  // A splitter over `dictionary`, in the format make_compound_dict writes (sorted "form\tkind\tcount" lines).
  explicit CompoundSplitter(std::string dictionary);

  // The parts of a normalized (case-folded) word, as spelled in it without linking elements; empty when the
  // word stays whole.
  std::vector<std::string> split(std::string_view form) const;

  // Identifies the dictionary (changes the analyzer fingerprint).
  const std::string& fingerprint() const { return fingerprint_; }
  std::size_t size() const { return table_.size(); }

  // Parts of a split must be at least this long, and the split must beat the whole word's own count times
  // this factor when the word is listed.
  static constexpr double kWholeBias = 3.0;

 private:
  struct Entry {
    char kind = 0;  // 0: not listed
    std::uint32_t count = 0;
    bool stem = false;
  };
  CompoundSplitter(std::string_view data, std::string owned);
  Entry lookup(std::string_view form) const;
  // The entry of a noun spelled with an inflection ending (preise -> preis), if the form is no noun itself.
  Entry noun(std::string_view form) const;
  // Whether the word, or its base form, is a hunspell stem (a lexical unit that stays whole).
  bool lexical_unit(std::string_view form) const;

  std::string owned_;
  SortedTable table_;
  std::unordered_set<std::string> particles_;
  std::string fingerprint_;
};

}  // namespace fundstelle::analyzers
