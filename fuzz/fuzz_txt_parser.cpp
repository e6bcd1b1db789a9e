// A `.txt` article file as the indexer reads it (Indexer::index_paths): prepare_txt (skipped when blank or
// binary, late NUL bytes read as spaces, UTF-8 repaired), parsed, then cut into passages and built into documents.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "analyzers/utf8.h"
#include "fuzz_check.h"
#include "indexer/txt_parser.h"

using namespace fundstelle;

namespace {

bool one_line(std::string_view s) { return s.find('\n') == std::string_view::npos; }

void check_parse(const indexer::TxtParse& parsed, std::string_view text, const std::string& id,
                 const std::string& source) {
  const Article& a = parsed.article;
  FUZZ_CHECK(a.id == id && a.source == source);
  FUZZ_CHECK(analyzers::is_valid_utf8(a.title) && one_line(a.title) && fuzz::trimmed(a.title));
  const std::size_t title_cps = analyzers::count_code_points(a.title);
  FUZZ_CHECK(parsed.derived_title ? title_cps <= 121 : title_cps <= 200);  // kDerivedTitle + "…", kMaxHeadline
  for (const auto& p : a.paragraphs)
    FUZZ_CHECK(!p.empty() && analyzers::is_valid_utf8(p) && one_line(p) && fuzz::trimmed(p));
  for (const auto& c : a.comments)
    FUZZ_CHECK(!c.text.empty() && analyzers::is_valid_utf8(c.text) && one_line(c.text) && fuzz::trimmed(c.text));
  for (const auto& t : a.tags) FUZZ_CHECK(!t.empty() && analyzers::is_valid_utf8(t) && one_line(t) && fuzz::trimmed(t));
  std::size_t lines = 1;
  for (const char c : text) lines += c == '\n';
  std::size_t prev = 0;
  for (const auto& d : parsed.dropped) {
    FUZZ_CHECK(d.line > prev && d.line <= lines);
    prev = d.line;
    FUZZ_CHECK(!d.text.empty() && analyzers::is_valid_utf8(d.text) && one_line(d.text));
    FUZZ_CHECK(d.reason == "ad" || d.reason == "image" || d.reason == "credit" || d.reason == "comment form" ||
               d.reason == "pingback" || d.reason == "tags" || d.reason == "separator");
  }
  // Text kept is never longer than the input it came from (plus the ellipsis of a derived title and the spaces
  // that join hard-wrapped lines, which replace line breaks).
  std::size_t kept = 0;
  for (const auto& p : a.paragraphs) kept += p.size();
  for (const auto& c : a.comments) kept += c.text.size();
  FUZZ_CHECK(kept <= text.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string raw(reinterpret_cast<const char*>(data), size);
  std::vector<Problem> problems;
  if (!indexer::prepare_txt(raw, "/fuzz/article.txt", problems)) {  // blank or binary
    FUZZ_CHECK(problems.size() == 1 && problems[0].skipped);
    return 0;
  }
  for (const auto& p : problems) FUZZ_CHECK(!p.skipped && p.has_offset && p.offset < size && !p.message.empty());
  FUZZ_CHECK(analyzers::is_valid_utf8(raw));
  const std::string id = "fuzz/article", source = "/fuzz/article.txt";
  const auto parsed = indexer::parse_txt_article(raw, id, source);
  check_parse(parsed, raw, id, source);
  if (parsed.article.paragraphs.empty() && parsed.article.comments.empty()) return 0;  // "no article text"
  fuzz::check_indexing(parsed.article);
  return 0;
}
