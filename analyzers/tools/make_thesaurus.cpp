// Build-time tool: a compact synonym table from OpenThesaurus as Debian ships it (mythes-de,
// /usr/share/mythes/th_de_DE_v2.dat).
//
// usage: make_thesaurus OUT THESAURUS
//
// What is kept, so that expansion adds recall without flooding results:
//   - only headwords with a single meaning (Gewinn has five: profit, prize, benefit, ... and is left out);
//   - only plain synonyms: entries marked (Oberbegriff) or (Unterbegriff) are broader or narrower terms, and
//     entries marked as colloquial, figurative, dated, vulgar, ironic and the like are no words a news text
//     uses; "(Hauptform)" is only a note and is dropped;
//   - only meanings with at most kMaxSynonyms such synonyms (larger sets are vague).
// Output: sorted lines "key\tsynonym|synonym|...", key = the headword normalized like every token, with
// hyphens removed (E-Auto and Eauto are one key).
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "analyzers/normalize.h"

namespace {

constexpr std::size_t kMaxSynonyms = 8;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t at = 0;
  for (std::size_t bar; (bar = s.find(sep, at)) != std::string::npos; at = bar + 1)
    out.push_back(s.substr(at, bar - at));
  out.push_back(s.substr(at));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using fundstelle::analyzers::nfkc_casefold;
  if (argc != 3) {
    std::cerr << "usage: make_thesaurus OUT THESAURUS\n";
    return 2;
  }
  std::ifstream in(argv[2]);
  if (!in) {
    std::cerr << "make_thesaurus: cannot read " << argv[2] << " (install the Debian package mythes-de)\n";
    return 2;
  }
  std::map<std::string, std::vector<std::string>> table;
  std::string line;
  std::getline(in, line);  // encoding
  while (std::getline(in, line)) {
    const auto head = split(line, '|');
    if (head.size() != 2) continue;
    const int meanings = std::atoi(head[1].c_str());
    std::vector<std::vector<std::string>> senses;
    for (int i = 0; i < meanings && std::getline(in, line); ++i) senses.push_back(split(line, '|'));
    const std::string& word = head[0];
    if (meanings != 1 || word.find(' ') != std::string::npos) continue;
    std::string key;
    for (const char c : nfkc_casefold(word))
      if (c != '-') key += c;
    std::vector<std::string> synonyms;
    for (std::size_t i = 1; i < senses[0].size(); ++i) {  // [0] is the part of speech ("-")
      std::string entry = senses[0][i];
      if (const auto note = entry.find(" (Hauptform)"); note != std::string::npos) entry.erase(note, 12);
      entry = std::string(fundstelle::analyzers::trim_space(entry));
      if (entry.empty() || entry.find('(') != std::string::npos || entry.find("...") != std::string::npos) continue;
      std::string entry_key;
      for (const char c : nfkc_casefold(entry))
        if (c != '-') entry_key += c;
      if (entry_key == key) continue;
      synonyms.push_back(entry);
    }
    if (synonyms.empty() || synonyms.size() > kMaxSynonyms) continue;
    auto& slot = table[key];
    for (auto& s : synonyms)
      if (std::find(slot.begin(), slot.end(), s) == slot.end()) slot.push_back(std::move(s));
  }
  std::ofstream out(argv[1], std::ios::binary);
  for (const auto& [key, synonyms] : table) {
    out << key << '\t';
    for (std::size_t i = 0; i < synonyms.size(); ++i) out << (i ? "|" : "") << synonyms[i];
    out << '\n';
  }
  if (!out) {
    std::cerr << "make_thesaurus: cannot write " << argv[1] << '\n';
    return 2;
  }
  std::cerr << "make_thesaurus: " << table.size() << " headwords\n";
  return 0;
}
