// The German stopword list (data/stopwords_de.txt), parsed once.
#pragma once

#include <string>
#include <vector>

namespace fundstelle::analyzers {

// The raw words of the shipped list, as written there (not yet normalized).
const std::vector<std::string>& german_stopword_list();

}  // namespace fundstelle::analyzers
