// Synthetic German articles in bulk, for the tests that need many (reindexing, kills, watch).
#pragma once

#include <random>
#include <string>

#include <nlohmann/json.hpp>

namespace fundstelle::test {

// One JSON Lines article `n` in version `version` ("A", "B", ...): every paragraph and comment carries the
// marker "Fassung<version>" and the title says the version, so a check can tell the versions apart. Versions
// differ in length and in the number of comments, so passages differ in number too.
inline std::string synthetic_line(int n, const std::string& version) {
  static const char* words[] = {"Batterie",    "Fabrik", "Zulieferer",  "Ladesäule",  "Reichweite", "Förderung",
                                "Kooperation", "Werk",   "Produktion",  "Strompreis", "Hersteller", "Modell",
                                "Käufer",      "Anteil", "Entwicklung", "Zentrum",    "Software",   "Plattform"};
  std::mt19937 rng(static_cast<unsigned>(n * 7919 + version[0]));
  const auto sentence = [&] {
    std::string s = "Die";
    const int len = 6 + static_cast<int>(rng() % 8);
    for (int i = 0; i < len; ++i) s += std::string(" ") + words[rng() % (sizeof words / sizeof *words)];
    return s + " Fassung" + version + ".";
  };
  const int paragraphs = 2 + static_cast<int>(rng() % 4) + (version == "A" ? 0 : 1);
  std::string body;
  for (int p = 0; p < paragraphs; ++p) {
    if (p) body += "\n\n";
    for (int s = 0; s < 3; ++s) body.append(s ? " " : "").append(sentence());  // GCC 12 -Wrestrict (bug 105329)
  }
  nlohmann::json comments = nlohmann::json::array();
  const int n_comments = static_cast<int>(rng() % 3) + (version == "A" ? 0 : 2);
  for (int c = 0; c < n_comments; ++c)
    comments.push_back({{"author", "Leser " + std::to_string(c)}, {"text", sentence()}});
  nlohmann::json line = {{"id", "artikel-" + std::to_string(n)},
                         {"title", "Artikel " + std::to_string(n) + " Fassung" + version},
                         {"published", "2024-05-01"},
                         {"body", body},
                         {"comments", comments}};
  return line.dump() + "\n";
}

inline std::string synthetic_feed(int articles, const std::string& version, int first = 0) {
  std::string feed;
  for (int n = first; n < first + articles; ++n) feed += synthetic_line(n, version);
  return feed;
}

}  // namespace fundstelle::test
