#include "analyzers/synonyms.h"

#include <algorithm>
#include <cstdint>
#include <sstream>

#include "analyzers/normalize.h"

extern "C" const char fundstelle_thesaurus_begin[];
extern "C" const char fundstelle_thesaurus_end[];

namespace fundstelle::analyzers {
namespace detail {
extern const char* const kGermanSynonymsData;
}

namespace {

// Endings tried, longest first, when an inflected form has no entry of its own.
constexpr std::string_view kEndings[] = {"ern", "ens", "en", "er", "es", "e", "n", "s"};

}  // namespace

std::string synonym_key(std::string_view word) {
  std::string key;
  for (const char c : nfkc_casefold(word))
    if (c != '-') key += c;
  return key;
}

const Synonyms& Synonyms::german() {
  static const Synonyms synonyms(
      detail::kGermanSynonymsData,
      std::string_view(fundstelle_thesaurus_begin,
                       static_cast<std::size_t>(fundstelle_thesaurus_end - fundstelle_thesaurus_begin)),
      std::string());
  return synonyms;
}

Synonyms::Synonyms(std::string_view domain, std::string thesaurus)
    : Synonyms(domain, std::string_view(), std::move(thesaurus)) {}

Synonyms::Synonyms(std::string_view domain, std::string_view thesaurus_data, std::string owned)
    : owned_(std::move(owned)), thesaurus_(owned_.empty() ? thesaurus_data : std::string_view(owned_)) {
  std::istringstream in{std::string(domain)};
  std::string line;
  while (std::getline(in, line)) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::vector<std::string> group;
    std::istringstream members(line);
    for (std::string m; std::getline(members, m, ',');)
      if (const auto t = trim_space(m); !t.empty()) group.emplace_back(t);
    for (const auto& member : group) {
      auto& slot = domain_[synonym_key(member)];
      for (const auto& other : group)
        if (synonym_key(other) != synonym_key(member) && std::find(slot.begin(), slot.end(), other) == slot.end())
          slot.push_back(other);
    }
  }
}

std::vector<std::string> Synonyms::exact(std::string_view key, SynonymSource source) const {
  std::vector<std::string> out;
  if (source == SynonymSource::None) return out;
  if (const auto it = domain_.find(std::string(key)); it != domain_.end()) out = it->second;
  if (source != SynonymSource::All) return out;
  const auto found = thesaurus_.find(key);
  if (!found) return out;
  std::string_view rest = *found;
  while (!rest.empty()) {
    const auto bar = rest.find('|');
    std::string s(rest.substr(0, bar));
    if (std::find_if(out.begin(), out.end(), [&](const auto& o) { return synonym_key(o) == synonym_key(s); }) ==
        out.end())
      out.push_back(std::move(s));
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  return out;
}

std::vector<std::string> Synonyms::lookup(std::string_view form, SynonymSource source) const {
  const std::string key = synonym_key(form);
  auto out = exact(key, source);
  if (!out.empty()) return out;
  for (const std::string_view ending : kEndings) {
    if (key.size() < ending.size() + 4 || !key.ends_with(ending)) continue;
    out = exact(std::string_view(key).substr(0, key.size() - ending.size()), source);
    if (!out.empty()) return out;
  }
  return out;
}

}  // namespace fundstelle::analyzers
