// CompoundSplitter: German compounds into their parts (Entwicklungszentrum -> entwicklung + zentrum,
// Anteilseigner -> anteil + eigner), so that a part finds the compounds that contain it.
//
// The dictionary is derived at build time from Debian's German word lists (analyzers/tools/make_compound_dict.cpp)
// and compiled into the program. A split must cover the whole word with parts of at least compound::kMinPart
// (4) bytes, joined by the linking elements German uses (-s-, -es-, -n-, -en-, -er-, -e-, -ens-); the last
// part must be a noun. The split with the fewest parts wins; among those, the one whose parts are most
// productive (the geometric mean of how often each part occurs in other listed compounds, after Koehn &
// Knight 2003, with that static count in place of corpus frequencies so that index and query always split
// alike; each letter of a linking element costs compound::kLinkCost). Each part is then split again by the
// same rule. A word that is itself listed stays whole unless its parts' geometric mean beats kWholeBias times
// the word's own count, and a word hunspell lists as a stem stays whole (Unternehmen, Beteiligung, Landschaft);
// stopwords such as prepositions do not modify compounds (Unter|nehmen, Über|gang), and derivational endings
// that happen to be nouns (-schaft) do not head them. Proper names are not listed and stay whole (Leapmotor).
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

  // A splitter over `dictionary`, in the format make_compound_dict writes (sorted "form\tkind\tcount\tstem" lines).
  explicit CompoundSplitter(std::string dictionary);

  // The parts of a normalized (case-folded) word, as spelled in it without linking elements; empty when the
  // word stays whole. With `inner`, every run of two or more neighbouring parts (not the whole word) is
  // added to it as spelled (klimaschutz, schutzgesetz for Klimaschutzgesetz -> klima + schutz + gesetz),
  // so that a shorter compound finds the longer one.
  std::vector<std::string> split(std::string_view form, std::vector<std::string>* inner = nullptr) const;

  // Whether Debian's German word lists hold the normalized word (any inflected form; not a combining form
  // such as elektro that is no word of its own).
  bool listed(std::string_view form) const {
    const char kind = lookup(form).kind;
    return kind == 'n' || kind == 'w';
  }

  // Whether the word lists hold the normalized word as a noun (or a name).
  bool listed_noun(std::string_view form) const { return lookup(form).kind == 'n'; }

  // Describes the rules (constants) of splitting, for the analyzer's fingerprint.
  static std::string rules();

  // Identifies the dictionary (changes the analyzer fingerprint).
  const std::string& fingerprint() const { return fingerprint_; }
  std::size_t size() const { return table_.size(); }

  // A listed word is split only when its parts' productivity beats the word's own count times this factor.
  static constexpr double kWholeBias = 3.0;

 private:
  struct Entry {
    char kind = 0;  // 0: not listed
    std::uint32_t count = 0;
    bool stem = false;
  };
  CompoundSplitter(std::string_view data, std::string owned);
  // Appends the parts of `form` as byte ranges (offset by `base`); nothing if it stays whole.
  void split_ranges(std::string_view form, std::size_t base,
                    std::vector<std::pair<std::size_t, std::size_t>>& out) const;
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
