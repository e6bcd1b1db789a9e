// The one normalization of words: ICU NFKC with case folding (ß -> ss, Ä -> ä, ligatures and full-width
// forms resolved). Used by the analyzer and by the build-time tools that prepare its data, so both agree.
#pragma once

#include <string>
#include <string_view>

namespace fundstelle::analyzers {

std::string nfkc_casefold(std::string_view utf8);

}  // namespace fundstelle::analyzers
