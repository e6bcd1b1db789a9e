// The German stopword list (data/stopwords_de.txt), parsed once.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fundstelle::analyzers {

// The raw words of the shipped list, as written there (not yet normalized).
const std::vector<std::string>& german_stopword_list();

// The words of a text (runs of letters, digits and inner apostrophes or hyphens) and how many of them are on
// the list, compared as the analyzer normalizes words (NFKC, case folded). The share of stopwords tells running
// prose from link lists, labels and names (the measure jusText classifies a web page's blocks by).
struct StopwordCount {
  std::size_t words = 0;
  std::size_t stopwords = 0;
};
StopwordCount count_stopwords(std::string_view text);

}  // namespace fundstelle::analyzers
