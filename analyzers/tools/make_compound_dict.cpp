// Build-time tool: derives the compound dictionary of the CompoundSplitter from German word lists: wngerman's
// /usr/share/dict/ngerman (inflected forms, one per line) and hunspell-de-de's de_DE.dic (stems with affix
// flags after '/'). Nouns are capitalised in both; a word is a noun when either list capitalises it (ngerman
// lists some nouns only in lower case, e.g. where a verb has the same spelling).
//
// usage: make_compound_dict OUT WORDLIST...
//
// Output: one line per unit, sorted by bytes: FORM \t KIND \t COUNT \t STEM
//   FORM   the word, normalized like every token (NFKC + case folding)
//   KIND   n: a noun (may head a compound); w: another word (may only modify); c: a combining form that is
//          no word of its own but begins many compounds (elektro, bio, fahr)
//   COUNT  1 + how often the unit is a part of a two-part split of another listed word: the productivity
//          that stands in for corpus frequencies in Koehn & Knight's choice between splits (a static count
//          keeps the analysis identical at index and query time, whatever has been indexed).
//   STEM   1 if hunspell lists the word as a stem of its own. Hunspell builds compounds by rule and lists
//          lexical units (Unternehmen, Gesellschaft, Plattform, Frankfurt, Volkswagen) as stems, so a stem
//          is not split; 0 otherwise.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzers/compound_rules.h"
#include "analyzers/normalize.h"
#include "base/utf8.h"

namespace {

struct Unit {
  char kind = 'w';
  unsigned count = 1;
  bool stem = false;
};

bool letters_only(const std::string& w) {
  for (const unsigned char c : w)
    if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  return !w.empty();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace fundstelle::analyzers;
  if (argc < 3) {
    std::cerr << "usage: make_compound_dict OUT WORDLIST...\n";
    return 2;
  }
  std::unordered_map<std::string, Unit> units;
  for (int f = 2; f < argc; ++f) {
    std::ifstream in(argv[f]);
    if (!in) {
      std::cerr << "make_compound_dict: cannot read " << argv[f]
                << " (install the Debian packages wngerman and hunspell-de-de)\n";
      return 2;
    }
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      // hunspell: "Elektro/hij". The NEEDAFFIX flag h marks a stem that only occurs inside compounds: a
      // combining form, whatever its capitalisation.
      bool combining_only = false, hunspell_stem = false;
      if (const auto slash = line.find('/'); slash != std::string::npos) {
        combining_only = line.find('h', slash) != std::string::npos;
        hunspell_stem = !combining_only;
        line.erase(slash);
      }
      if (!letters_only(line)) continue;
      const bool noun = (line[0] >= 'A' && line[0] <= 'Z') || line.starts_with("\xC3\x84") ||
                        line.starts_with("\xC3\x96") || line.starts_with("\xC3\x9C");
      std::string form = nfkc_casefold(line);
      if (form.size() < compound::kMinPart) continue;
      const bool existed = units.count(form) > 0;
      Unit& u = units[form];
      u.stem = u.stem || hunspell_stem;
      if (combining_only) {
        if (!existed) u.kind = 'c';
      } else if (noun) {
        u.kind = 'n';
      } else if (u.kind == 'c') {
        u.kind = 'w';
      }
    }
  }

  // A compound-only stem that is a word plus a linking element (Entwicklungs, Unternehmens) says no more
  // than the linking rules do; dropping it keeps parts in their base form (entwicklung|s|zentrum).
  for (auto it = units.begin(); it != units.end();) {
    bool redundant = false;
    if (it->second.kind == 'c')
      for (const std::string_view link : compound::kLinks) {
        if (link.empty() || it->first.size() < link.size() + compound::kMinPart || !it->first.ends_with(link)) continue;
        const auto base = units.find(it->first.substr(0, it->first.size() - link.size()));
        redundant |= base != units.end() && base->second.kind != 'c';
      }
    it = redundant ? units.erase(it) : std::next(it);
  }

  // Productivity: every split of a listed word into modifier (+ linking element) + listed noun counts for
  // both parts. A prefix that is no word but begins many such splits is a combining form.
  std::unordered_map<std::string, unsigned> modifier_uses, head_uses, combining;
  for (const auto& [word, unit] : units) {
    for (std::size_t i = compound::kMinPart; i + compound::kMinPart <= word.size(); ++i) {
      if (!fundstelle::base::is_boundary(word, i)) continue;  // not inside a character
      const std::string head = word.substr(i);
      const auto h = units.find(head);
      if (h == units.end() || h->second.kind != 'n') continue;
      const std::string prefix = word.substr(0, i);
      // The modifier with the shortest linking element is the reading (gross|stadt, not gros|s|stadt).
      bool found = false;
      for (const std::string_view link : compound::kLinks) {
        if (prefix.size() < link.size() + compound::kMinPart || !prefix.ends_with(link)) continue;
        const std::string modifier = prefix.substr(0, prefix.size() - link.size());
        if (units.count(modifier)) {
          ++modifier_uses[modifier];
          found = true;
          break;
        }
      }
      if (found) ++head_uses[head];
      else ++combining[prefix];
    }
  }
  for (const auto& [prefix, n] : combining)
    if (n >= compound::kMinCombiningUses && !units.count(prefix)) units[prefix] = Unit{'c', 1 + n};
  for (auto& [form, unit] : units) {
    if (unit.kind == 'c' && unit.count > 1) continue;  // counted as a combining form above
    const auto m = modifier_uses.find(form), h = head_uses.find(form);
    unit.count = 1 + (m == modifier_uses.end() ? 0 : m->second) + (h == head_uses.end() ? 0 : h->second);
  }

  std::vector<std::pair<std::string, Unit>> sorted(units.begin(), units.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::ofstream out(argv[1], std::ios::binary);
  for (const auto& [form, unit] : sorted)
    out << form << '\t' << unit.kind << '\t' << unit.count << '\t' << (unit.stem ? 1 : 0) << '\n';
  if (!out) {
    std::cerr << "make_compound_dict: cannot write " << argv[1] << '\n';
    return 2;
  }
  std::cerr << "make_compound_dict: " << sorted.size() << " units\n";
  return 0;
}
