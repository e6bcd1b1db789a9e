// An RSS or Atom file as the indexer reads it (a .rss, .atom or .xml in a folder): bytes in any charset an XML
// declaration names, parsed by libxml2, each item made an article, then cut into passages and built.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "analyzers/utf8.h"
#include "base/dates.h"
#include "fuzz_check.h"
#include "indexer/feed_parser.h"

using namespace fundstelle;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string raw(reinterpret_cast<const char*>(data), size);
  const std::string source = "/fuzz/feed.rss";
  const auto parsed = indexer::parse_feed(raw, source);
  FUZZ_CHECK(parsed.is_feed || parsed.articles.empty());
  FUZZ_CHECK(!parsed.is_feed || (parsed.root.empty() && parsed.error.empty()));
  for (const auto& p : parsed.problems) FUZZ_CHECK(p.source == source && !p.message.empty());
  for (const Article& a : parsed.articles) {
    FUZZ_CHECK(!a.id.empty() && a.source == source && !a.paragraphs.empty());
    FUZZ_CHECK(a.published.empty() || base::is_iso8601(a.published));
    for (const std::string* f : {&a.id, &a.title, &a.url, &a.author})
      FUZZ_CHECK(analyzers::is_valid_utf8(*f) && fuzz::trimmed(*f));
    for (const auto& p : a.paragraphs) FUZZ_CHECK(!p.empty() && analyzers::is_valid_utf8(p) && fuzz::trimmed(p));
    for (const auto& t : a.tags) FUZZ_CHECK(!t.empty() && analyzers::is_valid_utf8(t) && fuzz::trimmed(t));
    fuzz::check_indexing(a);
  }
  return 0;
}
