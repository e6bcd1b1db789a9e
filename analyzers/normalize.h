// The one normalization of words: ICU NFKC with case folding (ß -> ss, Ä -> ä, ligatures and full-width
// forms resolved). Used by the analyzer and by the build-time tools that prepare its data, so both agree.
#pragma once

#include <string>
#include <string_view>

#include "base/edit_distance.h"

namespace fundstelle::analyzers {

std::string nfkc_casefold(std::string_view utf8);

// `s` with the ASCII letters A-Z lower-cased, other bytes as they are: names of the web's protocols (charsets,
// Content-Types, robots.txt fields, URL schemes), never words.
std::string ascii_lower(std::string_view s);

// `s` without ASCII white space (space, tab, CR, LF, FF, VT) at either end.
std::string_view trim_space(std::string_view s);

// `s` with every run of ASCII white space and no-break spaces (U+00A0) one space, trimmed, and without soft
// hyphens (U+00AD, `&shy;`: break hints a reader never sees): text taken out of markup (HTML, XML) as one line.
std::string collapse_space(std::string_view s);

// `word` with its first letter upper-cased if `like` starts with an upper-case letter, and the letters of
// the beginning both spell alike written in `like`'s case (for showing a corrected word the way the user
// wrote the original: GetDocumnt, getdocument: GetDocument; EV, ev: EV).
std::string capitalize_like(std::string_view like, std::string_view word);

// Whether `word` begins with an upper-case letter (Habeck, EV; not habeck, 2025).
bool starts_upper(std::string_view word);

// A normalized (lower-case) word with ae, oe and ue written as ä, ö and ü (muenchn: münchn; not after q:
// quelle), for spelling correction: a typo in a word typed without umlauts is two edits from the indexed
// spelling with them plus its own. The word itself when it has none.
std::string umlauts_for_digraphs(std::string_view form);

// Levenshtein distance between two UTF-8 strings in code points, computed up to `limit` (a larger distance
// is reported as limit + 1).
using base::edit_distance;

}  // namespace fundstelle::analyzers
