// Synonyms for query expansion: a small domain file (data/synonyms_de.txt, compiled in) and OpenThesaurus
// from Debian's mythes-de, reduced at build time to unambiguous words and plain synonyms
// (tools/make_thesaurus.cpp). Synonyms are applied to queries only, never to the index.
//
// Thread safety: immutable after construction; lookup() may be called from any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzers/sorted_table.h"

namespace fundstelle::analyzers {

enum class SynonymSource { None, Domain, All };

class Synonyms {
 public:
  // The domain file and the thesaurus compiled into the program.
  static const Synonyms& german();
  // For tests: a domain file text and a thesaurus table (the format make_thesaurus writes).
  Synonyms(std::string_view domain, std::string thesaurus);

  // Synonyms of a word given in normalized form (case folded), as written in the sources, domain ones first;
  // an inflected form finds its base form's synonyms (Elektroautos -> Elektroauto). Empty if none.
  std::vector<std::string> lookup(std::string_view form, SynonymSource source) const;

 private:
  Synonyms(std::string_view domain, std::string_view thesaurus_data, std::string owned);
  std::vector<std::string> exact(std::string_view key, SynonymSource source) const;

  std::unordered_map<std::string, std::vector<std::string>> domain_;  // key -> other members of its groups
  std::string owned_;
  SortedTable thesaurus_;
};

// The key under which a word is looked up: normalized, hyphens removed.
std::string synonym_key(std::string_view word);

}  // namespace fundstelle::analyzers
