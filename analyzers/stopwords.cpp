#include "analyzers/stopwords.h"

#include <sstream>
#include <unordered_set>

#include "analyzers/normalize.h"

namespace fundstelle::analyzers {
namespace detail {
extern const char* const kGermanStopwordsData;
}

const std::vector<std::string>& german_stopword_list() {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> out;
    std::istringstream in(detail::kGermanStopwordsData);
    std::string line;
    while (std::getline(in, line)) {
      if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
      const auto first = line.find_first_not_of(" \t\r");
      if (first == std::string::npos) continue;
      const auto last = line.find_last_not_of(" \t\r");
      out.push_back(line.substr(first, last - first + 1));
    }
    return out;
  }();
  return words;
}

StopwordCount count_stopwords(std::string_view text) {
  static const std::unordered_set<std::string> stopwords = [] {
    std::unordered_set<std::string> out;
    for (const auto& w : german_stopword_list()) out.insert(nfkc_casefold(w));
    return out;
  }();
  StopwordCount count;
  // Bytes of ASCII letters and digits and every byte of a multi-byte sequence (letters such as ä, ß) make
  // words; anything else in ASCII ends one.
  const auto in_word = [](unsigned char c) {
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !in_word(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t end = i;
    while (end < text.size() && in_word(static_cast<unsigned char>(text[end]))) ++end;
    if (end == i) break;
    ++count.words;
    if (stopwords.count(nfkc_casefold(text.substr(i, end - i)))) ++count.stopwords;
    i = end;
  }
  return count;
}

}  // namespace fundstelle::analyzers
