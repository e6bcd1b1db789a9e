// word*: the indexed words a wildcard stands for.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <string>
#include <vector>

#include "analyzers/german_analyzer.h"

namespace fundstelle::searcher {

// The indexed words (stems, unprefixed terms) that begin with the stem of the normalized `prefix` (Batterie*
// finds the stem batteri of Batterien, Fähr* the stem fahr of Fähre): the weights::kMaxWildcardTerms most
// frequent of the first weights::kMaxWildcardScan, most frequent first.
std::vector<std::string> expand_prefix(const Xapian::Database& db, analyzers::GermanAnalyzer& analyzer,
                                       const std::string& prefix);

}  // namespace fundstelle::searcher
