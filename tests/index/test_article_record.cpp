// The stored form of an article: the JSON every index of schema 3 holds (checksummed since 2026-12-07), read
// back as written, and refused when it is damaged (so that the writer writes the article anew and check reports it).
#include <catch2/catch.hpp>

#include "index/article_record.h"

namespace fundstelle::schema {
namespace {

ArticleRecord sample() {
  ArticleRecord r;
  r.id = "xiaomi-muenchen";
  r.hash = "0123456789abcdef";
  r.source = "/data/feed.jsonl";
  r.title = "Xiaomi plant Entwicklungszentrum in München";
  r.url = "https://example.org/x";
  r.published = "2025-01-10";
  r.passages = 4;
  r.comments = 1;
  return r;
}

TEST_CASE("an article record reads back as written, in the format indexes already hold", "[index]") {
  const ArticleRecord r = sample();
  const std::string raw = encode_article(r);
  // The keys in order, as schema 3 has always written them, after the format byte and the checksum.
  const std::string json = R"({"comments":1,"hash":"0123456789abcdef","id":"xiaomi-muenchen","passages":4,)"
                           R"("published":"2025-01-10","source":"/data/feed.jsonl",)"
                           R"("title":"Xiaomi plant Entwicklungszentrum in München","url":"https://example.org/x"})";
  REQUIRE(raw.size() == 9 + json.size());
  CHECK(raw.front() == kCheckedArticleFormat);
  CHECK(raw.substr(9) == json);
  // A record written before the checksum (the JSON alone) reads the same.
  for (const std::string& written : {raw, json}) {
    const auto back = decode_article(written);
    REQUIRE(back);
    CHECK(back->id == r.id);
    CHECK(back->hash == r.hash);
    CHECK(back->source == r.source);
    CHECK(back->title == r.title);
    CHECK(back->url == r.url);
    CHECK(back->published == r.published);
    CHECK(back->passages == 4);
    CHECK(back->comments == 1);
    CHECK(back->has_passages);
  }
}

TEST_CASE("a byte changed anywhere in an article record is found by its checksum", "[index]") {
  ArticleRecord r = sample();
  r.author = "Max Müller";
  r.tags = {"Bayern", "Elektromobilität"};
  const std::string good = encode_article(r);
  REQUIRE(decode_article(good));
  for (std::size_t i = 0; i < good.size(); ++i) {
    INFO("byte " << i);
    std::string flipped = good;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x01);
    CHECK_FALSE(decode_article(flipped));
  }
  CHECK_FALSE(decode_article(good.substr(0, 5)));  // cut inside the checksum
}

TEST_CASE("an article record leaves out an empty url and date", "[index]") {
  ArticleRecord r = sample();
  r.url.clear();
  r.published.clear();
  const std::string raw = encode_article(r);
  CHECK(raw.find("url") == std::string::npos);
  CHECK(raw.find("published") == std::string::npos);
  REQUIRE(decode_article(raw));
  CHECK(decode_article(raw)->url.empty());
}

TEST_CASE("a damaged article record is refused, a missing field stays empty", "[index]") {
  CHECK_FALSE(decode_article(""));  // no record: no article
  CHECK_FALSE(decode_article("{kaputt"));
  CHECK_FALSE(decode_article("[1,2]"));
  CHECK_FALSE(decode_article(R"({"id":"a","passages":"vier"})"));
  CHECK_FALSE(decode_article(R"({"id":7})"));
  const auto partial = decode_article(R"({"hash":"h"})");
  REQUIRE(partial);
  CHECK(partial->id.empty());
  CHECK(partial->hash == "h");
  CHECK_FALSE(partial->has_passages);
}

}  // namespace
}  // namespace fundstelle::schema
