// JSON Lines article feeds (shared/formats/articles-jsonl.md): one article per line. A bad line is reported
// with its line number and skipped; the lines around it are still read.
#pragma once

#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "fundstelle/article.h"

#include "base/dates.h"

namespace fundstelle::indexer {

// Parses one line (1-based `line_no`, for messages). Returns false and appends a skipped Problem if the line
// is not a valid article; warnings (repaired UTF-8, an ignored malformed date) are appended too.
bool parse_jsonl_line(std::string_view line, const std::string& source, std::uint64_t line_no, Article& out,
                      std::vector<Problem>& problems);

// Reads a whole feed, calling `on_article` for each valid line; blank lines are ignored. `stop`, if given, is
// asked before each line: true ends the read there.
void read_jsonl(std::istream& in, const std::string& source,
                const std::function<void(Article&&, std::uint64_t line_no)>& on_article, std::vector<Problem>& problems,
                const std::function<bool()>& stop = {});

// Splits a body into paragraphs at blank lines; single line breaks inside a paragraph become spaces.
std::vector<std::string> split_paragraphs(std::string_view body);

// True for an ISO 8601 date or date-time of a real day (2025-03-22, 2025-03-22T10:15:00+01:00, ...Z).
using base::is_iso8601;

}  // namespace fundstelle::indexer
