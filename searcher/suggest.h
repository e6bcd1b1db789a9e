// Completions of what is being typed, from the index's own words (search as you type).
#pragma once

#include <xapian.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/german_analyzer.h"
#include "fundstelle/searcher.h"

namespace fundstelle::searcher {

// Words the index holds that complete the last word of `typed` (the words before it are kept as typed): those
// that begin with it, and compounds with a part that begins with it (Zentr: Entwicklungszentrum, where the index
// holds that word), the most frequent first, at most `limit`. Nothing for a last word of under two letters.
std::vector<Suggestion> suggest(const Xapian::Database& db, analyzers::GermanAnalyzer& analyzer, std::string_view typed,
                                std::size_t limit);

}  // namespace fundstelle::searcher
