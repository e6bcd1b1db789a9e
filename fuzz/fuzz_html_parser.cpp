// An HTML page as the indexer reads it (a .html file in a folder): bytes in any charset, decoded, parsed by
// gumbo, reduced to metadata, text and comments, then cut into passages and built into documents.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "analyzers/utf8.h"
#include "base/dates.h"
#include "fuzz_check.h"
#include "indexer/html_parser.h"

using namespace fundstelle;

namespace {

bool one_line(std::string_view s) { return s.find('\n') == std::string_view::npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string raw(reinterpret_cast<const char*>(data), size);
  const std::string id = "fuzz/page.html", source = "/fuzz/page.html";
  const auto parsed = indexer::parse_html_article(raw, id, source);
  const Article& a = parsed.article;
  FUZZ_CHECK(a.id == id && a.source == source);
  FUZZ_CHECK(!parsed.charset.empty());
  for (const std::string* f : {&a.title, &a.url, &a.author, &a.published})
    FUZZ_CHECK(analyzers::is_valid_utf8(*f) && one_line(*f) && fuzz::trimmed(*f));
  FUZZ_CHECK(a.published.empty() || base::is_iso8601(a.published));
  // Paragraphs are blocks with their white space collapsed: one line each, never empty.
  for (const auto& p : a.paragraphs)
    FUZZ_CHECK(!p.empty() && analyzers::is_valid_utf8(p) && one_line(p) && fuzz::trimmed(p));
  for (const auto& c : a.comments) {
    FUZZ_CHECK(!c.text.empty() && analyzers::is_valid_utf8(c.text) && fuzz::trimmed(c.text));
    FUZZ_CHECK(c.published.empty() || base::is_iso8601(c.published));
  }
  for (const auto& t : a.tags) FUZZ_CHECK(!t.empty() && analyzers::is_valid_utf8(t) && one_line(t) && fuzz::trimmed(t));
  if (a.paragraphs.empty() && a.comments.empty()) return 0;  // "no article text"
  fuzz::check_indexing(a);
  return 0;
}
