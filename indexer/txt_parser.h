// Plain-text articles in the seed format: the first line is the headline, then the body, one paragraph per
// line (blank lines are ignored); reader comments follow a separator line such as "-->". Web page clutter
// is recognised line by line with general rules (see txt_parser.cpp) and kept out of the searchable text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fundstelle/article.h"

namespace fundstelle::indexer {

struct DroppedLine {
  std::size_t line;  // 1-based
  std::string text;
  std::string reason;  // "ad", "image", "credit", "comment form", "pingback", "tags", "separator"
};

struct TxtParse {
  Article article;
  bool derived_title = false;        // the first line was body text, so the title was taken from it
  std::vector<DroppedLine> dropped;  // what was recognised as clutter or structure
};

// A photo credit standing alone ("Foto: dpa", "© Hersteller", "Bildquelle: …"; at most 100 bytes): clutter in a
// .txt article and on an HTML page alike.
bool is_photo_credit(std::string_view line);
// A caption without the credit after its last sentence ("Die Anhöhe bei Nister. Foto: K. Brandt").
std::string without_trailing_credit(std::string_view line);

// `text` must be valid UTF-8. Never throws on content; an empty text gives an article without paragraphs.
TxtParse parse_txt_article(std::string_view text, const std::string& id, const std::string& source);

// A .txt file's bytes made ready for parse_txt_article, as the indexer reads them: false (with a skipped
// Problem for `source`) when it is blank or binary (a NUL byte in the first 8 KiB, as grep and git decide);
// otherwise later NUL bytes are read as spaces and invalid UTF-8 is repaired, each with a warning.
bool prepare_txt(std::string& raw, const std::string& source, std::vector<Problem>& problems);

}  // namespace fundstelle::indexer
