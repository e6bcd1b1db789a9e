// The article's stored text (index/article_record.h): stored once, the passages' texts not again. What the
// record holds with the article's passages gives its feed line back exactly; without them, or with a passage
// missing, nothing (never a line with a hole in it).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "base/utf8.h"
#include "index/article_record.h"
#include "indexer/passage_segmenter.h"
#include "indexer/txt_parser.h"
#include "test_support.h"

namespace fundstelle::schema {
namespace {

std::vector<TextPiece> pieces_of(const std::vector<indexer::Passage>& passages) {
  std::vector<TextPiece> out;
  for (const auto& p : passages) out.push_back(TextPiece{p.kind, p.comment, p.span, p.text});
  return out;
}

Article sample() {
  Article a;
  a.id = "xiaomi";
  a.title = "Xiaomi plant ein \"Entwicklungszentrum\" in München";
  a.url = "https://example.org/x?a=1";
  a.published = "2025-01-10";
  a.author = "Ä. Autor";
  a.tags = {"Auto", "E-Mobilität"};
  a.paragraphs = {"Xiaomi eröffnet ein Entwicklungszentrum in München.", "Potenzielle Synergien",
                  "Die Partnerschaften sollen wachsen.\tMehr folgt."};
  a.comments = {Comment{"c1", "leser", "2025-01-11", "Gute Nachricht!\nWirklich."}, Comment{"", "", "", "   "},
                Comment{"", "gast", "", "Zweiter Kommentar."}};
  return a;
}

}  // namespace

TEST_CASE("an article's stored text holds what its passages do not, and gives its feed line back",
          "[index][stored_text]") {
  indexer::PassageSegmenter segmenter;
  std::vector<Article> articles = {sample()};
  for (const char* prefix : {"000_", "001_", "002_", "003_", "004_"}) {
    const auto path = test::seed(prefix);
    REQUIRE_FALSE(path.empty());
    articles.push_back(indexer::parse_txt_article(test::read_text(path), prefix, path.string()).article);
  }
  // A paragraph so long that it is cut into windows that overlap by a sentence.
  Article windows;
  windows.id = "lang";
  std::string paragraph;
  for (int i = 0; i < 60; ++i) paragraph += "Satz Nummer " + std::to_string(i) + " über Akkus und Ladesäulen. ";
  paragraph.pop_back();
  windows.paragraphs = {"Kurz vorab.", paragraph};
  articles.push_back(windows);
  for (const auto& a : articles) {
    INFO(a.id);
    const auto passages = segmenter.segment(a);
    const auto pieces = pieces_of(passages);
    const std::string line = encode_feed_line(a);
    const std::string stored = encode_text(a, pieces);
    CHECK(text_needs_passages(stored));
    CHECK(decode_text(stored, pieces) == line);
    // The passages' texts are not stored again: a tenth of the line or less (compressed whole, a third).
    if (line.size() > 2000) CHECK(stored.size() * 10 < line.size());
    // Without one passage (damaged, say) there is no line: a hole is never filled with anything.
    for (std::size_t skip = 0; skip < pieces.size(); ++skip) {
      auto fewer = pieces;
      fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(skip));
      // (a window's stretch may be covered by its neighbours' overlap only when it is no longer than it)
      const auto back = decode_text(stored, fewer);
      if (back) CHECK(*back == line);
    }
    if (!pieces.empty()) CHECK_FALSE(decode_text(stored, {}));
  }
  // A window's text is given in full by the others only if it is inside them: the long paragraph's middle
  // window is not.
  const auto passages = segmenter.segment(windows);
  REQUIRE(passages.size() >= 4);
  auto fewer = pieces_of(passages);
  fewer.erase(fewer.begin() + 2);
  CHECK_FALSE(decode_text(encode_text(windows, pieces_of(passages)), fewer));
}

TEST_CASE("an article whose passages do not give its text back is stored whole", "[index][stored_text]") {
  const Article a = sample();
  indexer::PassageSegmenter segmenter;
  const auto passages = segmenter.segment(a);
  auto pieces = pieces_of(passages);
  REQUIRE_FALSE(pieces.empty());
  // A passage whose text is not its span of the body (as many code points, other letters).
  REQUIRE(base::count_code_points(pieces[0].text) != pieces[0].text.size());  // (it has umlauts: counted right)
  std::string other(base::count_code_points(pieces[0].text), 'x');
  pieces[0].text = other;
  const std::string stored = encode_text(a, pieces);
  CHECK_FALSE(text_needs_passages(stored));
  CHECK(decode_text(stored) == encode_feed_line(a));
  // No passages at all (an article of nothing but blank comments): the same.
  Article blank;
  blank.id = "leer";
  blank.comments = {Comment{"", "", "", " "}};
  const std::string none = encode_text(blank, {});
  CHECK(decode_text(none, {}) == encode_feed_line(blank));
}

TEST_CASE("a damaged stored text gives nothing", "[index][stored_text]") {
  const Article a = sample();
  indexer::PassageSegmenter segmenter;
  const auto passages = segmenter.segment(a);  // (the pieces view their texts)
  const auto pieces = pieces_of(passages);
  const std::string stored = encode_text(a, pieces);
  CHECK_FALSE(decode_text("", pieces));
  CHECK_FALSE(decode_text("q" + stored.substr(1), pieces));
  for (std::size_t i = 1; i < stored.size(); ++i) {
    std::string damaged = stored;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x20);
    const auto back = decode_text(damaged, pieces);
    // zlib's checksum finds a change in the stream; one in the length before it, the length check
    if (back) CHECK(*back == encode_feed_line(a));
  }
  CHECK_FALSE(decode_text(stored.substr(0, stored.size() / 2), pieces));
}

}  // namespace fundstelle::schema
