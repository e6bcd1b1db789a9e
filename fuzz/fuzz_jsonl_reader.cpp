// A JSON Lines feed as the indexer reads it (Indexer::index_paths): read_jsonl over the whole file, then each
// article made valid UTF-8 (Indexer::put), cut into passages and built into documents.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "analyzers/utf8.h"
#include "fuzz_check.h"
#include "indexer/jsonl_reader.h"
#include "indexer/valid_article.h"

using namespace fundstelle;

namespace {

// At most this many articles of one input go on to passages and documents (the rest is checked as read).
constexpr std::size_t kIndexedArticles = 8;

// What the reader promises of an article it accepts (jsonl_reader.h, shared/formats/articles-jsonl.md).
void check_article(const Article& a, const std::string& source) {
  FUZZ_CHECK(a.source == source);
  FUZZ_CHECK(!a.id.empty() && fuzz::trimmed(a.id));
  FUZZ_CHECK(fuzz::trimmed(a.title));
  FUZZ_CHECK(a.published.empty() || indexer::is_iso8601(a.published));
  for (const std::string* f : {&a.id, &a.title, &a.url, &a.published, &a.author})
    FUZZ_CHECK(fuzz::valid_utf8_allowing_nul(*f));
  for (const auto& t : a.tags) FUZZ_CHECK(!t.empty() && fuzz::trimmed(t) && fuzz::valid_utf8_allowing_nul(t));
  // Paragraphs: split at blank lines, line breaks inside one became spaces.
  for (const auto& p : a.paragraphs)
    FUZZ_CHECK(!p.empty() && fuzz::trimmed(p) && p.find('\n') == std::string::npos && fuzz::valid_utf8_allowing_nul(p));
  for (const auto& c : a.comments) {
    FUZZ_CHECK(!c.text.empty() && fuzz::trimmed(c.text));
    for (const std::string* f : {&c.id, &c.author, &c.published, &c.text})
      FUZZ_CHECK(fuzz::valid_utf8_allowing_nul(*f));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view feed(reinterpret_cast<const char*>(data), size);
  const std::string source = "/fuzz/feed.jsonl";

  // The lines as std::getline gives them to read_jsonl, for the line numbers and offsets of problems.
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos < feed.size();) {
    const std::size_t nl = std::min(feed.find('\n', pos), feed.size());
    lines.push_back(feed.substr(pos, nl - pos));
    pos = nl + 1;
  }

  std::istringstream in{std::string(feed)};
  std::vector<std::pair<Article, std::uint64_t>> articles;
  std::vector<Problem> problems;
  indexer::read_jsonl(
      in, source, [&](Article&& a, std::uint64_t line) { articles.emplace_back(std::move(a), line); }, problems);

  std::uint64_t prev_line = 0;
  for (const auto& [a, line] : articles) {
    FUZZ_CHECK(line > prev_line && line <= lines.size());
    prev_line = line;
    check_article(a, source);
  }
  std::vector<int> skipped(lines.size() + 1, 0);
  for (const auto& p : problems) {
    FUZZ_CHECK(p.source == source && !p.message.empty());
    FUZZ_CHECK(p.line >= 1 && p.line <= lines.size());
    if (p.has_offset) FUZZ_CHECK(p.offset <= lines[p.line - 1].size());
    skipped[p.line] += p.skipped;
  }
  // Each line is either an article or skipped (once), never both; blank lines are neither.
  for (const auto& [a, line] : articles) FUZZ_CHECK(skipped[line] == 0);
  std::size_t nonblank = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    FUZZ_CHECK(skipped[i + 1] <= 1);
    nonblank += lines[i].find_first_not_of(" \t\r\n\f\v") != std::string_view::npos;
  }
  std::size_t skipped_lines = 0;
  for (const int s : skipped) skipped_lines += static_cast<std::size_t>(s);
  FUZZ_CHECK(articles.size() + skipped_lines == nonblank);

  // The same line alone gives the same article (last_line_of_ids in indexer.cpp relies on it).
  for (const auto& [a, line] : articles) {
    Article again;
    std::vector<Problem> ignored;
    FUZZ_CHECK(indexer::parse_jsonl_line(lines[line - 1], source, line, again, ignored));
    FUZZ_CHECK(again.id == a.id && again.paragraphs == a.paragraphs && again.comments.size() == a.comments.size());
  }

  for (std::size_t i = 0; i < articles.size() && i < kIndexedArticles; ++i)
    fuzz::check_indexing(indexer::with_valid_utf8(articles[i].first));
  return 0;
}
