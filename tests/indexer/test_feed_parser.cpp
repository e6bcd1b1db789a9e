// RSS and Atom feeds: every item an article, with its id, metadata and text; what cannot be one is said.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "indexer/feed_parser.h"
#include "test_support.h"

namespace fundstelle::indexer {
namespace {

using Strings = std::vector<std::string>;

FeedParse parse_fixture(const std::string& name) {
  const auto path = test::source_dir() / "tests" / "data" / "feeds" / name;
  return parse_feed(test::read_text(path), path.string());
}

}  // namespace

TEST_CASE("feeds: RSS 2.0 items with content:encoded, dc:creator, RFC 822 dates and categories", "[feeds]") {
  const FeedParse f = parse_fixture("nachrichten.rss");
  REQUIRE(f.is_feed);
  REQUIRE(f.articles.size() == 2);
  const Article& a = f.articles[0];
  CHECK(a.id == "stadtbote-101");  // the guid, not the link
  CHECK(a.title == "Solarfabrik in Frankfurt (Oder) stellt ein");
  CHECK(a.url == "https://stadtbote.example/wirtschaft/solarfabrik-101.html");
  CHECK(a.published == "2024-03-12T08:30:00+01:00");
  CHECK(a.author == "Jana Beispiel");
  CHECK(a.tags == Strings{"Energie", "Brandenburg"});
  // content:encoded over description, its HTML read as text: every block kept, the script not.
  CHECK(a.paragraphs == Strings{"Die Solarfabrik in Frankfurt (Oder) will bis zum Sommer 300 neue Mitarbeiter "
                                "einstellen. Grund sind volle Auftragsbücher.",
                                "Fachkräfte gesucht",
                                "Gesucht werden vor allem Elektriker & Mechatroniker, sagte eine Sprecherin."});
  CHECK(a.source.ends_with("nachrichten.rss"));
  const Article& b = f.articles[1];
  CHECK(b.id == "https://stadtbote.example/wirtschaft/hafen-102.html");  // no guid: the link
  CHECK(b.title == "Hafen erweitert Kaianlage");                         // escaped HTML in a title is text
  CHECK(b.published == "2024-03-13T17:05:00+01:00");                     // German month, MEZ
  CHECK(b.author == "Max Muster");                                       // the name of "mail (name)"
  CHECK(b.paragraphs.size() == 1);  // description as HTML: its blank line is white space in one block
  // Items without an id, or without text, are skipped and said so.
  REQUIRE(f.problems.size() == 2);
  CHECK(f.problems[0].skipped);
  CHECK(f.problems[0].message == "item 3: no guid, id or link: not indexed");
  CHECK(f.problems[1].message == "item 4 (stadtbote-104): no text: not indexed");
}

TEST_CASE("feeds: Atom entries with html, xhtml and text content", "[feeds]") {
  const FeedParse f = parse_fixture("blog.atom");
  REQUIRE(f.is_feed);
  REQUIRE(f.articles.size() == 3);
  const Article& a = f.articles[0];
  CHECK(a.id == "tag:blog.example,2024:1");
  CHECK(a.title == "Speicher & Netze");
  CHECK(a.url == "https://blog.example/2024/speicher");  // rel=alternate, not rel=edit
  CHECK(a.published == "2024-05-01T09:00:00Z");          // published before updated
  CHECK(a.author == "Eva Muster, Paul Beispiel");
  CHECK(a.tags == Strings{"Stromnetze", "speicher"});  // label, else term
  CHECK(a.paragraphs == Strings{"Großspeicher entlasten die Netze am Abend.", "Das zeigen neue Zahlen."});
  const Article& b = f.articles[1];
  CHECK(b.published == "2024-04-20T12:00:00+02:00");  // only updated
  CHECK(b.url.empty());
  CHECK(b.paragraphs == Strings{"Auch im Altbau arbeiten Wärmepumpen effizient.", "Vorlauftemperatur senken"});
  CHECK(f.articles[2].paragraphs ==
        Strings{"Erster Absatz in zwei Zeilen.", "Zweiter Absatz mit <spitzen Klammern>."});  // text: no markup
  CHECK(f.problems.empty());
}

TEST_CASE("feeds: RSS 1.0 in Latin-1, and what is not a feed", "[feeds]") {
  const FeedParse f = parse_fixture("rdf.xml");
  REQUIRE(f.is_feed);
  REQUIRE(f.articles.size() == 1);
  CHECK(f.articles[0].id == "https://alt.example/1");
  CHECK(f.articles[0].title == "Straßenbahn fährt wieder");
  CHECK(f.articles[0].published == "2023-11-02");
  CHECK(f.articles[0].tags == Strings{"Verkehr"});
  CHECK(f.articles[0].paragraphs == Strings{"Die Straßenbahn nach München-Nord fährt wieder."});

  FeedParse other = parse_feed("<?xml version=\"1.0\"?><config><a>1</a></config>", "/tmp/config.xml");
  CHECK_FALSE(other.is_feed);
  CHECK(other.root == "config");
  CHECK(other.articles.empty());
  other = parse_feed("kein XML, nur Text", "/tmp/x.xml");
  CHECK_FALSE(other.is_feed);
  CHECK(other.root.empty());
  CHECK_FALSE(other.error.empty());
  // Entities that expand without bound, and external ones, are not expanded (nothing is fetched).
  other = parse_feed(
      R"(<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
      <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
      <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
      <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
      <!ENTITY x SYSTEM "file:///etc/passwd">]>
      <rss><channel><item><guid>1</guid><description>&h; &x;</description></item></channel></rss>)",
      "/tmp/bomb.rss");
  // (libxml2 expands neither: the item's description is left empty, so the item has no text)
  CHECK(other.is_feed);
  CHECK(other.articles.empty());
  REQUIRE(other.problems.size() == 1);
  CHECK(other.problems[0].message == "item 1 (1): no text: not indexed");
  for (const auto& a : other.articles)
    for (const auto& p : a.paragraphs) {
      CHECK(p.size() < 1000000);
      CHECK(p.find("root:") == std::string::npos);
    }
}

}  // namespace fundstelle::indexer
