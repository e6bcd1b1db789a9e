// Articles as the indexer receives them, before they are cut into passages.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fundstelle {

struct Comment {
  std::string id;         // may be empty
  std::string author;     // may be empty
  std::string published;  // ISO 8601 or empty
  std::string text;
};

struct Article {
  std::string id;  // stable key: reindexing the same id replaces the article
  std::string title;
  std::string url;
  std::string published;  // ISO 8601 date or date-time, or empty
  std::string author;
  std::vector<std::string> tags;
  std::vector<std::string> paragraphs;  // the cleaned body, one entry per paragraph
  std::vector<Comment> comments;
  std::string source;  // the file it came from (absolute path); used by --prune
};

// A problem met while reading input. The rest of the input is still indexed.
struct Problem {
  std::string source;        // file path
  std::uint64_t line = 0;    // 1-based line, 0 when unknown
  std::uint64_t offset = 0;  // when `has_offset`: the byte offset in the file, or in the line when `line` is set
  bool has_offset = false;
  bool skipped = false;  // true: the article (or line) was not indexed; false: a warning, repaired
  std::string message;
};

}  // namespace fundstelle
