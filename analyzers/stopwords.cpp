#include "analyzers/stopwords.h"

#include <sstream>

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

}  // namespace fundstelle::analyzers
