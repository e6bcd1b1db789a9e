// JSON Lines feeds: valid articles, and bad lines reported with their line number and skipped while the
// lines around them are still read.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "indexer/jsonl_reader.h"

namespace fundstelle::indexer {
namespace {

using Strings = std::vector<std::string>;

struct Feed {
  std::vector<std::pair<std::uint64_t, Article>> articles;
  std::vector<Problem> problems;
};

Feed read(const std::string& text, const std::string& source = "/data/feed.jsonl") {
  Feed f;
  std::istringstream in(text);
  read_jsonl(
      in, source, [&](Article&& a, std::uint64_t line) { f.articles.emplace_back(line, std::move(a)); }, f.problems);
  return f;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("a line with all fields", "[indexer][jsonl]") {
  const std::string line =
      R"({"id": " art-1 ", "title": "  Ford und Xiaomi ", "url": "https://example.com/a", "author": "Anna",)"
      R"( "published": "2025-03-22T10:15:00+01:00", "tags": ["Xiaomi", " Ford ", ""],)"
      R"( "body": "Erster Absatz\nmit Umbruch.\n\nZweiter Absatz.",)"
      R"( "comments": [{"id": "c1", "author": "Bea", "published": "2025-03-23", "text": " Gut! "},)"
      R"( {"text": "   "}, {"text": "Zweiter."}], "unknown": {"nested": [1, 2]}, "x": 5})";
  const Feed f = read(line + "\n");
  CHECK(f.problems.empty());
  REQUIRE(f.articles.size() == 1);
  CHECK(f.articles[0].first == 1);
  const Article& a = f.articles[0].second;
  CHECK(a.id == "art-1");  // trimmed
  CHECK(a.title == "Ford und Xiaomi");
  CHECK(a.url == "https://example.com/a");
  CHECK(a.author == "Anna");
  CHECK(a.published == "2025-03-22T10:15:00+01:00");
  CHECK(a.tags == Strings{"Xiaomi", "Ford"});  // trimmed, empty tags dropped
  CHECK(a.paragraphs == Strings{"Erster Absatz mit Umbruch.", "Zweiter Absatz."});
  REQUIRE(a.comments.size() == 2);  // the blank comment is dropped
  CHECK(a.comments[0].id == "c1");
  CHECK(a.comments[0].author == "Bea");
  CHECK(a.comments[0].published == "2025-03-23");
  CHECK(a.comments[0].text == "Gut!");
  CHECK(a.comments[1].id.empty());
  CHECK(a.comments[1].text == "Zweiter.");
  CHECK(a.source == "/data/feed.jsonl");
}

TEST_CASE("optional fields may be absent or null", "[indexer][jsonl]") {
  const Feed f = read(R"({"id":"a","body":"Text.","title":null,"tags":null,"comments":null,"published":null})");
  CHECK(f.problems.empty());
  REQUIRE(f.articles.size() == 1);
  const Article& a = f.articles[0].second;
  CHECK(a.title.empty());
  CHECK(a.tags.empty());
  CHECK(a.comments.empty());
  CHECK(a.published.empty());
  CHECK(a.paragraphs == Strings{"Text."});
}

TEST_CASE("bad lines are reported with their line number and skipped", "[indexer][jsonl]") {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"not json at all", "not valid JSON"},
      {R"({"id": "t", "body": "abgeschnitten)", "not valid JSON"},
      {R"([{"id": "a", "body": "x"}])", "expected a JSON object, got array"},
      {"42", "expected a JSON object, got number"},
      {R"({"body": "x"})", "missing required field 'id'"},
      {R"({"id": null, "body": "x"})", "missing required field 'id'"},
      {R"({"id": "   ", "body": "x"})", "field 'id' is empty"},
      {R"({"id": ")" + std::string(1025, 'i') + R"(", "body": "x"})", "field 'id' is 1025 bytes long; at most 1024"},
      {R"({"id": "b"})", "missing required field 'body'"},
      {R"({"id": 7, "body": "x"})", "field 'id' must be a string"},
      {R"({"id": "c", "body": 5})", "field 'body' must be a string"},
      {R"({"id": "d", "body": "x", "tags": "Xiaomi"})", "field 'tags' must be an array"},
      {R"({"id": "e", "body": "x", "tags": ["a", 1]})", "field 'tags' must hold strings only"},
      {R"({"id": "f", "body": "x", "comments": "nein"})", "field 'comments' must be an array"},
      {R"({"id": "g", "body": "x", "comments": [{"author": "x"}]})", "field 'comments[0].text' must be a string"},
      {R"({"id": "h", "body": "x", "comments": [{"text": "ok"}, 3]})", "field 'comments[1]' must be an object"},
      {R"({"id": "i", "body": "x", "title": 3})", "field 'title' must be a string"},
      {R"({"id": "j", "body": "x", "comments": [{"text": "ok", "author": 1}]})",
       "field 'comments[0].author' must be a string"},
      // Valid JSON that no double holds: once an exception that ended the whole run (found by the fuzzer).
      {R"({"id": "k", "body": "x", "n": 44444444444444444444444444444E1444})", "not valid JSON: number overflow"},
      {"44444444444444444444444444444E1444", "not valid JSON: number overflow"},
  };
  // Each bad line is surrounded by good ones.
  std::string feed = R"({"id": "first", "body": "Start."})"
                     "\n";
  for (std::size_t i = 0; i < bad.size(); ++i)
    feed += bad[i].first + "\n" + R"({"id": "good-)" + std::to_string(i) + R"(", "body": "Gut."})" + "\n";
  const Feed f = read(feed);

  REQUIRE(f.articles.size() == bad.size() + 1);
  CHECK(f.articles[0].second.id == "first");
  CHECK(f.articles[0].first == 1);
  for (std::size_t i = 0; i < bad.size(); ++i) {
    CHECK(f.articles[i + 1].second.id == "good-" + std::to_string(i));
    CHECK(f.articles[i + 1].first == 2 * i + 3);
  }
  REQUIRE(f.problems.size() == bad.size());
  for (std::size_t i = 0; i < bad.size(); ++i) {
    INFO("line " << bad[i].first);
    const Problem& p = f.problems[i];
    CHECK(p.line == 2 * i + 2);
    CHECK(p.skipped);
    CHECK(p.source == "/data/feed.jsonl");
    CHECK(contains(p.message, bad[i].second));
  }
  // JSON syntax errors carry a byte offset in the line.
  CHECK(f.problems[0].has_offset);
  CHECK(f.problems[1].has_offset);
  CHECK(f.problems[1].offset > 20);  // the error is at the end of the truncated line
  CHECK_FALSE(f.problems[4].has_offset);
}

TEST_CASE("parse_jsonl_line leaves the article alone on failure", "[indexer][jsonl]") {
  Article a;
  a.id = "unchanged";
  std::vector<Problem> problems;
  CHECK_FALSE(parse_jsonl_line(R"({"id": "x", "body": 1})", "src", 17, a, problems));
  CHECK(a.id == "unchanged");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].line == 17);
  CHECK(problems[0].skipped);
  CHECK(parse_jsonl_line(R"({"id": "x", "body": "Text"})", "src", 18, a, problems));
  CHECK(a.id == "x");
  CHECK(a.source == "src");
  CHECK(problems.size() == 1);
}

TEST_CASE("invalid UTF-8 is repaired with a warning and the article kept", "[indexer][jsonl]") {
  // The bad byte 0xFF sits at byte 23 of the line.
  const std::string line = std::string(R"({"id": "u", "body": "Gr)") + "\xFF" +
                           R"(e aus M)"
                           "\xC3\xBC"
                           R"(nchen"})";
  REQUIRE(line.find('\xFF') == 23);
  const Feed f = read("\n" + line + "\n");
  REQUIRE(f.articles.size() == 1);
  CHECK(f.articles[0].first == 2);
  CHECK(f.articles[0].second.paragraphs == Strings{"Gr\xEF\xBF\xBD"
                                                   "e aus M\xC3\xBCnchen"});
  REQUIRE(f.problems.size() == 1);
  const Problem& p = f.problems[0];
  CHECK_FALSE(p.skipped);
  CHECK(p.line == 2);
  CHECK(p.has_offset);
  CHECK(p.offset == 23);
  CHECK(contains(p.message, "invalid UTF-8 at byte 23"));
}

TEST_CASE("a JSON error after invalid UTF-8 is located in the line as read", "[indexer][jsonl]") {
  // Each bad byte becomes a 3-byte U+FFFD before parsing; the error offset must not move with it.
  const std::string line = std::string(R"({"id": "u", "body": "Gr)") + "\xFF\xFF" + R"(e"} x)";
  REQUIRE(line.find('x') == 29);
  const Feed f = read(line + "\n");
  CHECK(f.articles.empty());
  REQUIRE(f.problems.size() == 2);
  CHECK(f.problems[0].offset == 23);  // the UTF-8 warning
  CHECK(f.problems[1].skipped);
  CHECK(f.problems[1].has_offset);
  CHECK(f.problems[1].offset == 29);  // the stray x, not 33 as in the repaired line
}

TEST_CASE("a malformed published date is a warning and the field is cleared", "[indexer][jsonl]") {
  const Feed f = read(R"({"id": "p", "body": "x", "published": "gestern"})"
                      "\n"
                      R"({"id": "q", "body": "y", "published": "2025-03-22"})"
                      "\n");
  REQUIRE(f.articles.size() == 2);
  CHECK(f.articles[0].second.published.empty());
  CHECK(f.articles[1].second.published == "2025-03-22");
  REQUIRE(f.problems.size() == 1);
  CHECK_FALSE(f.problems[0].skipped);
  CHECK(f.problems[0].line == 1);
  CHECK(contains(f.problems[0].message, "published"));
  CHECK(contains(f.problems[0].message, "gestern"));
}

TEST_CASE("blank lines are ignored but counted", "[indexer][jsonl]") {
  const Feed f = read("\n   \n\t\r\n"
                      R"({"id": "a", "body": "x"})"
                      "\r\n\n"
                      R"({"id": "b", "body": "y"})");
  CHECK(f.problems.empty());
  REQUIRE(f.articles.size() == 2);
  CHECK(f.articles[0].first == 4);
  CHECK(f.articles[1].first == 6);  // the last line has no newline
  CHECK(f.articles[1].second.id == "b");
  CHECK(read("").articles.empty());
  CHECK(read("\n\n").problems.empty());
}

TEST_CASE("is_iso8601", "[indexer][jsonl]") {
  for (const char* ok :
       {"2025-03-22", "2025-03-22T10:15", "2025-03-22T10:15:00", "2025-03-22T10:15:00Z", "2025-03-22T10:15:00+01:00",
        "2025-03-22T10:15:00-05:00", "2025-03-22T10:15:00+0100", "2025-03-22T10:15:00+01", "2025-03-22 10:15:00",
        "2025-03-22T10:15:00.123Z", "2025-12-31T23:59:59", "2024-02-29T00:00Z"}) {
    INFO(ok);
    CHECK(is_iso8601(ok));
  }
  for (const char* bad : {"",
                          "2025",
                          "2025-03",
                          "2025-3-22",
                          "22.03.2025",
                          "2025/03/22",
                          "2025-13-01",
                          "2025-00-10",
                          "2025-03-32",
                          "2025-03-00",
                          "2025-03-22T",
                          "2025-03-22T10",
                          "2025-03-22X10:15",
                          "2025-03-22T10:15:00Zjunk",
                          "2025-03-22T10:15:00+1",
                          "2025-03-22T10:15:00+01:0",
                          "2025-03-22T1015",
                          "gestern",
                          "2025-03-22T25:00",
                          "2025-03-22T10:75",
                          "2025-03-22T10:15:99",
                          " 2025-03-22",
                          "2025-03-22 "}) {
    INFO(bad);
    CHECK_FALSE(is_iso8601(bad));
  }
}

TEST_CASE("split_paragraphs", "[indexer][jsonl]") {
  CHECK(split_paragraphs("").empty());
  CHECK(split_paragraphs(" \n \n\t").empty());
  CHECK(split_paragraphs("Ein Absatz.") == Strings{"Ein Absatz."});
  CHECK(split_paragraphs("Zeile eins\nZeile zwei\n\nZweiter Absatz.") ==
        Strings{"Zeile eins Zeile zwei", "Zweiter Absatz."});
  CHECK(split_paragraphs("\n\n\n  A  \n\n\n\n  B \n") == Strings{"A", "B"});
  CHECK(split_paragraphs("A\r\nB\r\n\r\nC") == Strings{"A B", "C"});
  CHECK(split_paragraphs("A\n \t \nB") == Strings{"A", "B"});  // a line of white space is blank
}

}  // namespace fundstelle::indexer
