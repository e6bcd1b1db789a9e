// Indexes the built-in corpus into a temporary folder and checks the acceptance points of the foundation
// through the library (the CLI's own path is tested in test_cli.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <xapian.h>

#include "base/dates.h"
#include "e2e/fixtures.h"
#include "fundstelle/fundstelle.h"
#include "index/schema.h"
#include "searcher/weights.h"
#include "test_support.h"

using namespace fundstelle;
using fundstelle::test::CorpusIndex;
using fundstelle::test::TempDir;

namespace {

bool any_text_contains(const SearchResults& r, const std::string& needle) {
  return std::any_of(r.hits.begin(), r.hits.end(),
                     [&](const Hit& h) { return h.text.find(needle) != std::string::npos; });
}

// An article of one paragraph, for tests that build their own small index.
Article one_paragraph(const std::string& id, const std::string& text, const std::string& published = {}) {
  Article a;
  a.id = id;
  a.published = published;
  a.paragraphs = {text};
  return a;
}

// A fresh index in `dir` of one-paragraph articles (id, text), committed; returns its path.
std::string index_paragraphs(const TempDir& dir, const std::vector<std::pair<std::string, std::string>>& articles) {
  const std::string db = (dir / "index").string();
  Indexer indexer(db);
  for (const auto& [id, text] : articles) indexer.put(one_paragraph(id, text));
  indexer.commit();
  return db;
}

// The highlighted words of a hit, as text.
std::vector<std::string> highlighted(const Hit& h) {
  std::vector<std::string> out;
  for (const auto& s : h.highlights) out.push_back(test::slice_code_points(h.text, s.begin, s.end));
  return out;
}

}  // namespace

TEST_CASE("the corpus indexes with no problems", "[e2e]") {
  CorpusIndex ix;
  CHECK(ix.report.added == 5);
  CHECK(ix.report.skipped == 0);
  CHECK(ix.report.problems.empty());
  CHECK(ix.report.comments == 8);
  CHECK(ix.report.passages > 20);
}

TEST_CASE("Entwicklungszentrum München: the top hit is the 003 passage", "[e2e][acceptance]") {
  CorpusIndex ix;
  const auto r = ix.search("Entwicklungszentrum München");
  REQUIRE_FALSE(r.hits.empty());
  const Hit& top = r.hits.front();
  CHECK(top.article.starts_with("003_"));
  CHECK((top.text.find("Entwicklungszentrum") != std::string::npos || top.text.find("München") != std::string::npos));
  CHECK(top.rank == 1);
  const auto words = highlighted(top);
  CHECK(std::any_of(words.begin(), words.end(),
                    [](const auto& w) { return w == "Entwicklungszentrum" || w == "München"; }));
}

TEST_CASE("Muenchen and munchen find the München passage", "[e2e][acceptance]") {
  CorpusIndex ix;
  for (const std::string q : {"Muenchen", "munchen", "MÜNCHEN"}) {
    INFO(q);
    const auto r = ix.search(q);
    REQUIRE_FALSE(r.hits.empty());
    CHECK(r.hits.front().text.find("Forschungshubs in München") != std::string::npos);
    const auto words = highlighted(r.hits.front());
    CHECK(std::find(words.begin(), words.end(), "München") != words.end());
  }
}

TEST_CASE("inflection, names, phrases, model names and numbers find their passages", "[e2e][acceptance]") {
  CorpusIndex ix;
  // Partnerschaften (plural) finds the singular in 002.
  const auto partner = ix.search("Partnerschaften");
  CHECK(any_text_contains(partner, "breitere Partnerschaft zu"));
  CHECK(any_text_contains(ix.search("Nürburgring"), "Der Nürburgring steht"));
  const auto sdi = ix.search("\"Samsung SDI\"");
  REQUIRE_FALSE(sdi.hits.empty());
  CHECK(std::all_of(sdi.hits.begin(), sdi.hits.end(),
                    [](const Hit& h) { return h.text.find("Samsung SDI") != std::string::npos; }));
  const auto su7 = ix.search("SU7");
  REQUIRE_FALSE(su7.hits.empty());
  CHECK(std::all_of(su7.hits.begin(), su7.hits.end(),
                    [](const Hit& h) { return h.text.find("SU7") != std::string::npos; }));
  const auto number = ix.search("293.724");
  REQUIRE(number.hits.size() >= 1);
  CHECK(number.hits.front().text.find("293.724 verkauften") != std::string::npos);
  CHECK(any_text_contains(ix.search("4,5 Milliarden"), "4,5 Milliarden Dollar"));
  CHECK(any_text_contains(ix.search("T03"), "Leapmotor T03"));
  const auto percent = ix.search("20 %");
  REQUIRE_FALSE(percent.hits.empty());
  CHECK(percent.hits.front().text.find("in Höhe von 20 %") != std::string::npos);
  CHECK(highlighted(percent.hits.front()) == std::vector<std::string>{"20 %"});
  CHECK(any_text_contains(ix.search("Know-how-Transfers"), "Know-how-Transfers"));
  CHECK(any_text_contains(ix.search("Transfers"), "Know-how-Transfers"));
  CHECK(any_text_contains(ix.search("Karren"), "E-Karren"));
  CHECK(any_text_contains(ix.search("BMW-Ingenieure"), "BMW-Ingenieure"));
  CHECK(any_text_contains(ix.search("Ingenieur"), "BMW-Ingenieure"));          // a part of a hyphenated word
  CHECK(any_text_contains(ix.search("Luxushersteller"), "Luxus-Hersteller"));  // closed vs hyphenated
}

TEST_CASE("kind comment returns reader comments of 001 only", "[e2e][acceptance]") {
  CorpusIndex ix;
  SearchOptions o;
  o.kind = PassageKind::Comment;
  o.per_article = 0;
  const auto r = ix.search("China", o);
  REQUIRE(r.hits.size() >= 2);
  for (const auto& h : r.hits) {
    CHECK(h.kind == PassageKind::Comment);
    CHECK(h.article.starts_with("001_"));
  }
  o.kind = PassageKind::Article;
  const auto articles = ix.search("China", o);
  CHECK(std::all_of(articles.hits.begin(), articles.hits.end(),
                    [](const Hit& h) { return h.kind == PassageKind::Article; }));
}

TEST_CASE("page clutter is not searchable", "[e2e][acceptance]") {
  CorpusIndex ix;
  for (const std::string q :
       {"E-Mail-Adresse", "Werbung", "Pingback", "carlos-tavares-leapmotor", "\"Schreibe einen Kommentar\""}) {
    INFO(q);
    CHECK(ix.search(q).hits.empty());
  }
  // ...but the image caption, which carries facts, is.
  CHECK(any_text_contains(ix.search("Carlos Tavares"), "Carlos Tavares, Ex-CEO Stellantis"));
  // and the tags line is not a passage of its own.
  const auto tags = ix.search("BYD CATL");
  REQUIRE_FALSE(tags.hits.empty());
  CHECK(tags.hits.front().text.find("Tags:") == std::string::npos);
}

TEST_CASE("a word missing from the index does not empty the result", "[e2e]") {
  CorpusIndex ix;
  const auto r = ix.search("Xiaomi Quarkgluonplasma");
  CHECK_FALSE(r.hits.empty());
  // Beteiligung is not in the corpus: exactly, nothing matches; with synonyms (Anteil, Anteilseigner) the
  // passage on Stellantis' 20 % share does.
  SearchOptions exact;
  exact.exact = true;
  CHECK(ix.search("Beteiligung", exact).hits.empty());
  const auto expanded = ix.search("Beteiligung");
  REQUIRE_FALSE(expanded.hits.empty());
  CHECK(expanded.hits.front().text.find("Anteilseigner von Leapmotor in Höhe von 20 %") != std::string::npos);
  REQUIRE(expanded.expansions.size() == 1);
  CHECK(expanded.expansions[0].word == "Beteiligung");
}

TEST_CASE("multi-word queries prefer passages with every word close together", "[e2e][ranking]") {
  CorpusIndex ix;
  const auto r = ix.search("Düsseldorf Export");
  REQUIRE_FALSE(r.hits.empty());
  CHECK(r.hits.front().text.find("Export der Modelle aus Düsseldorf") != std::string::npos);
  // Scores come out in rank order within equal coverage, and ranks count from 1.
  for (std::size_t i = 0; i < r.hits.size(); ++i) CHECK(r.hits[i].rank == i + 1);
}

TEST_CASE("per-article cap, limit and offset page through the results", "[e2e]") {
  CorpusIndex ix;
  SearchOptions o;
  o.limit = 100;
  const auto capped = ix.search("Xiaomi", o);
  std::map<std::string, int> per;
  for (const auto& h : capped.hits) ++per[h.article];
  for (const auto& [a, n] : per) CHECK(n <= 2);
  o.per_article = 0;
  const auto all = ix.search("Xiaomi", o);
  CHECK(all.hits.size() > capped.hits.size());
  SearchOptions page;
  page.limit = 2;
  page.offset = 2;
  const auto second = ix.search("Xiaomi", page);
  REQUIRE(second.hits.size() == 2);
  CHECK(second.hits[0].rank == 3);
  CHECK(second.hits[0].text == capped.hits[2].text);
}

TEST_CASE("the per-article cap demotes a passage with more of the query instead of dropping it", "[e2e]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  {
    Indexer indexer(db);
    Article a;
    a.id = "a";  // three passages with both words
    a.paragraphs = {"Die Batterie der Fähre wird in Kiel geladen.", "Auch die zweite Fähre lädt ihre Batterie nachts.",
                    "Eine dritte Fähre bekommt eine größere Batterie."};
    indexer.put(a);
    Article b;
    b.id = "b";  // one passage with both words
    b.paragraphs = {"Die Batterie einer Fähre aus Norwegen hielt den Winter durch."};
    indexer.put(b);
    for (const std::string id : {"c", "d", "e"}) {  // one word only
      Article c;
      c.id = id;
      c.paragraphs = {"Die Batterie im Auto " + id + " ist klein."};
      indexer.put(c);
    }
    indexer.commit();
  }
  Searcher s(db);
  const auto r = s.search("Batterie Fähre");
  REQUIRE(r.hits.size() == 7);
  // a's third passage comes after the other article's passage with both words, and before every passage
  // with one of them.
  std::vector<std::string> order;
  for (const auto& h : r.hits) order.push_back(h.article);
  CHECK(std::count(order.begin(), order.begin() + 4, "a") == 3);
  CHECK(std::count(order.begin(), order.begin() + 4, "b") == 1);
  CHECK(order[3] == "a");
  // Among passages that cover as much, the cap holds: one word, one tier, two passages of a at most.
  const auto one = s.search("Fähre");
  CHECK(one.hits.size() == 3);
  CHECK(std::count_if(one.hits.begin(), one.hits.end(), [](const Hit& h) { return h.article == "a"; }) == 2);
}

TEST_CASE("the first page does not depend on the page size, and finds what BM25 ranks deep", "[e2e][ranking]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  {
    Indexer indexer(db);
    // 300 short passages that repeat one of the two words, far above in BM25 the one long passage that holds
    // both of them once.
    for (int i = 0; i < 150; ++i) {
      indexer.put(one_paragraph("akku" + std::to_string(i), "Der Akku Nummer " + std::to_string(i) + " hält. Akku!"));
      indexer.put(
          one_paragraph("kaelte" + std::to_string(i), "Die Kälte Nummer " + std::to_string(i) + " bleibt. Kälte!"));
    }
    std::string both = "Der Akku des Wagens hielt die ganze Fahrt.";
    // One passage: shorter than a passage may be.
    for (int i = 0; i < 11; ++i) both += " Wir fuhren weiter durch das Land.";
    both += " Erst am Ende kam die Kälte.";
    indexer.put(one_paragraph("beide", both));
    indexer.commit();
  }
  Searcher s(db);
  SearchOptions first, all, second;
  all.limit = 200;
  second.offset = 10;
  const auto a = s.search("Akku Kälte", first), b = s.search("Akku Kälte", all), c = s.search("Akku Kälte", second);
  REQUIRE(a.hits.size() == 10);
  REQUIRE(b.hits.size() == 200);
  CHECK(a.hits.front().article == "beide");  // every concept first, though BM25 put it below 200 others
  for (std::size_t i = 0; i < a.hits.size(); ++i) CHECK(a.hits[i].text == b.hits[i].text);
  REQUIRE(c.hits.size() == 10);
  for (std::size_t i = 0; i < c.hits.size(); ++i) CHECK(c.hits[i].text == b.hits[10 + i].text);
}

TEST_CASE("reindexing is incremental: unchanged skipped, an edited file replaced, a gone file pruned",
          "[e2e][acceptance]") {
  TempDir dir;
  const auto corpus = dir / "corpus";
  std::filesystem::copy(test::corpus_dir(), corpus);
  const std::string db = (dir / "index").string();
  {
    Indexer indexer(db);
    CHECK(indexer.index_paths({corpus.string()}).added == 5);
  }
  {
    Indexer indexer(db);
    const auto again = indexer.index_paths({corpus.string()});
    CHECK(again.unchanged == 5);
    CHECK(again.added + again.replaced + again.removed == 0);
  }
  const auto file = test::seed("003_").filename();
  std::string text = test::read_text(corpus / file.string());
  text += "\nDer Quantensprung des Unternehmens wurde in Zwickau gefeiert.\n";
  test::write_text(corpus / file.string(), text);
  std::size_t passages_before = 0;
  {
    Searcher s(db);
    SearchOptions o;
    o.per_article = 0;
    o.limit = 1000;
    passages_before = s.search("Xiaomi OR Unternehmen OR Zwickau", o).hits.size();
  }
  {
    Indexer indexer(db);
    const auto edited = indexer.index_paths({corpus.string()});
    CHECK(edited.replaced == 1);
    CHECK(edited.unchanged == 4);
  }
  {
    Searcher s(db);
    const auto r = s.search("Zwickau");
    REQUIRE(r.hits.size() == 1);
    CHECK(r.hits.front().article == file.string());
    SearchOptions o;
    o.per_article = 0;
    o.limit = 1000;
    // The old passages of the article were replaced, not kept next to the new ones.
    CHECK(s.search("Xiaomi OR Unternehmen OR Zwickau", o).hits.size() <= passages_before + 1);
  }
  std::filesystem::remove(corpus / test::seed("002_").filename().string());
  {
    Indexer indexer(db);
    const auto without_prune = indexer.index_paths({corpus.string()});
    CHECK(without_prune.removed == 0);
    IndexOptions prune;
    prune.prune = true;
    const auto pruned = indexer.index_paths({corpus.string()}, prune);
    CHECK(pruned.removed == 1);
  }
  Searcher s(db);
  CHECK(s.search("\"Ford Motor Company\"").hits.empty());
}

TEST_CASE("nothing is visible before commit, and an abandoned writer changes nothing", "[e2e]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  {
    Indexer indexer(db);
    indexer.index_paths({test::seed("000_").string()});
  }
  {
    Indexer indexer(db);
    Article a;
    a.id = "neu";
    a.title = "Neuer Artikel";
    a.paragraphs = {"Der Zeppelin landet in Friedrichshafen."};
    CHECK(indexer.put(a) == ChangeKind::Added);
    Searcher during(db);
    CHECK(during.search("Zeppelin").hits.empty());
    // destroyed without commit()
  }
  Searcher after(db);
  CHECK(after.search("Zeppelin").hits.empty());
  CHECK_FALSE(after.search("Leapmotor").hits.empty());
}

TEST_CASE("a second writer gets a clear lock error, and searching still works", "[e2e]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  Indexer first(db);
  first.index_paths({test::seed("003_").string()});
  try {
    Indexer second(db);
    FAIL("a second writer opened the index");
  } catch (const IndexError& e) {
    CHECK(std::string(e.what()).find("locked") != std::string::npos);
    CHECK(e.kind() == ErrorKind::Locked);
  }
  Searcher s(db);
  CHECK_FALSE(s.search("Nürburgring").hits.empty());
}

TEST_CASE("a missing index is an error of its own kind, naming the path", "[e2e]") {
  // The library says what is wrong; the CLI says which command fixes it (tests/e2e/test_cli.cpp).
  TempDir dir;
  const std::string path = (dir / "nothing-here").string();
  for (const auto& open : std::vector<std::function<void()>>{[&] { Searcher s(path); }, [&] { check_index(path); }}) {
    try {
      open();
      FAIL("opened a missing index");
    } catch (const IndexError& e) {
      CHECK(e.kind() == ErrorKind::NotFound);
      CHECK_THAT(e.what(), Catch::Contains(path));
      CHECK_THAT(e.what(), !Catch::Contains("fundstelle index"));
    }
  }
}

TEST_CASE("JSON Lines feeds index per id, bad lines are reported and skipped", "[e2e]") {
  TempDir dir;
  const auto feed = dir / "feed.jsonl";
  test::write_text(feed, R"({"id": "a1", "title": "Xiaomi plant Entwicklungszentrum", "published": "2025-01-10", )"
                         R"("body": "Erster Absatz über Zeppeline.\n\nZweiter Absatz über Luftschiffe.", )"
                         R"("comments": [{"author": "leser1", "text": "Spannend, diese Zeppeline!"}]})"
                         "\n{not json}\n"
                         R"({"id": "a2", "body": 42})"
                         "\n"
                         R"({"id": "a3", "body": "Ein Absatz über Heißluftballone."})"
                         "\n");
  const std::string db = (dir / "index").string();
  Indexer indexer(db);
  const auto report = indexer.index_paths({feed.string()});
  CHECK(report.added == 2);
  CHECK(report.skipped == 2);
  REQUIRE(report.problems.size() == 2);
  CHECK(report.problems[0].line == 2);
  CHECK(report.problems[1].line == 3);
  indexer.commit();
  Searcher s(db);
  SearchOptions o;
  o.kind = PassageKind::Comment;
  const auto comments = s.search("Zeppeline", o);
  REQUIRE(comments.hits.size() == 1);
  CHECK(comments.hits.front().article == "a1");
  CHECK(comments.hits.front().published == "2025-01-10");
  CHECK_FALSE(s.search("Heißluftballon").hits.empty());
}

TEST_CASE("invalid UTF-8, empty and binary files are reported, the rest is indexed", "[e2e]") {
  TempDir dir;
  const auto in = dir / "in";
  test::write_text(in / "kaputt.txt",
                   "Titel mit Fehler\nDer Text hat ein kaputtes Byte: \xFF hier, und geht weiter über Zeppeline.\n");
  test::write_text(in / "leer.txt", "");
  test::write_text(in / "binaer.txt", std::string("\x7F"
                                                  "ELF\0\0\0\x01\x02",
                                                  9));
  test::write_text(in / "gut.txt", "Gute Nachricht\nDie Zeppeline fliegen wieder.\n");
  test::write_text(in / "ignored.pdf", "not an article");
  const std::string db = (dir / "index").string();
  Indexer indexer(db);
  const auto r = indexer.index_paths({in.string()});
  CHECK(r.added == 2);
  CHECK(r.skipped == 2);
  bool utf8_warning = false;
  for (const auto& p : r.problems)
    if (p.source.ends_with("kaputt.txt")) {
      utf8_warning = !p.skipped && p.has_offset && p.offset == 49;
    }
  CHECK(utf8_warning);
  Searcher s(db);
  SearchOptions o;
  o.per_article = 0;
  CHECK(s.search("Zeppeline", o).hits.size() == 2);
}

TEST_CASE("an index from another analyzer is refused until --rebuild", "[e2e]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  {
    Indexer indexer(db);
    indexer.index_paths({test::corpus_dir().string()});
  }
  {
    // Pretend an older Fundstelle with another analyzer wrote it.
    Xapian::WritableDatabase raw(db);
    raw.set_metadata("fundstelle:analyzer", "fundstelle-german/0 something-else");
    raw.commit();
  }
  // The library says what is wrong and of which kind; the CLI adds the command that fixes it.
  for (const auto& open : std::vector<std::function<void()>>{[&] { Searcher s(db); }, [&] { Indexer i(db); }}) {
    try {
      open();
      FAIL("opened an index of another analyzer");
    } catch (const IndexError& e) {
      CHECK(e.kind() == ErrorKind::ForeignIndex);
      CHECK_THAT(e.what(), Catch::Contains("another version of Fundstelle"));
    }
  }
  const auto cli = test::run_fundstelle({"search", "--db", db, "Nürburgring"});
  CHECK(cli.exit_code == 2);
  CHECK_THAT(cli.err, Catch::Contains("run `fundstelle index --rebuild` over all sources"));
  {
    Indexer indexer(db, true);
    const auto r = indexer.index_paths({test::seed("003_").string()});
    CHECK(r.replaced == 1);  // written anew with this analyzer
    CHECK(r.removed == 4);   // the articles not given to the rebuild
  }
  Searcher s(db);
  CHECK_FALSE(s.search("Nürburgring").hits.empty());
  CHECK(s.search("Leapmotor").hits.empty());  // articles not reindexed after the rebuild are gone
}

TEST_CASE("duplicate ids in one feed: the last line wins, and a rerun finds everything unchanged", "[e2e]") {
  TempDir dir;
  const auto feed = dir / "feed.jsonl";
  test::write_text(feed, R"({"id": "x", "body": "Die alte Fassung über Zeppeline."})"
                         "\n"
                         R"({"id": "y", "body": "Ein anderer Artikel über Ballone."})"
                         "\n"
                         R"({"id": "x", "body": "Die neue Fassung über Luftschiffe."})"
                         "\n");
  const std::string db = (dir / "index").string();
  Indexer indexer(db);
  const auto first = indexer.index_paths({feed.string()});
  CHECK(first.added == 2);
  REQUIRE(first.problems.size() == 1);
  CHECK(first.problems[0].line == 1);
  CHECK_FALSE(first.problems[0].skipped);
  const auto again = indexer.index_paths({feed.string()});
  CHECK(again.unchanged == 2);
  CHECK(again.replaced == 0);
  Searcher s(db);
  CHECK(s.search("Zeppeline").hits.empty());
  CHECK(s.search("Luftschiffe").hits.size() == 1);
}

TEST_CASE("comments are found by their own words, not by the article title", "[e2e]") {
  CorpusIndex ix;
  SearchOptions o;
  o.kind = PassageKind::Comment;
  o.per_article = 0;
  o.limit = 100;
  // "Elektroautos" is in the title of 001 and in one of its comments.
  const auto r = ix.search("Elektroautos", o);
  REQUIRE(r.hits.size() == 1);
  CHECK_FALSE(r.hits.front().highlights.empty());
  // Article passages do get the title as context.
  o.kind = PassageKind::Article;
  CHECK(ix.search("Elektroautos", o).hits.size() > 2);
}

TEST_CASE("a filter does not change a passage's score: compound parts far apart count nothing", "[e2e]") {
  // Xapian 1.4's OR, asked by a filter whether a passage matches, carried the weight of a compound's parts
  // "near each other" from a passage where they are far apart to the next passage it matched; the same
  // passage then ranked higher with --kind comment than without.
  TempDir dir;
  const std::string db = (dir / "index").string();
  {
    Indexer indexer(db);
    for (int i = 0; i < 30; ++i) {
      Article a;
      a.id = "kurse-" + std::to_string(i);
      a.paragraphs = {"Die Kurse fallen heute wieder deutlich, meldet die Börse am Morgen."};
      indexer.put(a);
    }
    Article a;
    a.id = "schule";
    a.paragraphs = {"Ein Bericht über die Schulen der Stadt und ihre Lehrer."};
    a.comments = {
        {"", "", "",
         "Physik war mein Fach, ich habe viel gelernt und geübt, jeden Tag und jede Nacht, mit Büchern "
         "und Heften und alten Aufgaben, bis zur letzten Prüfung."},
        {"", "", "", "Die Noten fallen in diesem Jahr schlecht aus."},
        {"", "", "", "Im Winter fallen die Blätter nicht mehr."},
        {"", "", "", "Physik und Chemie waren schwer, die Prüfung auch."},
    };
    indexer.put(a);
    indexer.commit();
  }
  Searcher s(db);
  SearchOptions all;
  all.per_article = 0;
  all.limit = 100;
  SearchOptions comments = all;
  comments.kind = PassageKind::Comment;
  const auto key = [](const Hit& h) {
    return h.article + (h.kind == PassageKind::Comment ? "#c" : "#a") + std::to_string(h.comment) + "#" +
           std::to_string(h.ordinal);
  };
  std::map<std::string, double> unfiltered;
  for (const auto& h : s.search("Physikprüfung fallen", all).hits) unfiltered[key(h)] = h.score;
  const auto r = s.search("Physikprüfung fallen", comments);
  REQUIRE(r.hits.size() >= 3);
  for (const auto& h : r.hits) {
    INFO("comment " << h.comment << ": " << h.text);
    REQUIRE(unfiltered.count(key(h)));
    CHECK(h.score == Approx(unfiltered.at(key(h))));
  }
}

TEST_CASE("rebuild reports what it dropped and did not index again", "[e2e]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  {
    Indexer indexer(db);
    CHECK(indexer.index_paths({test::corpus_dir().string()}).added == 5);
  }
  Indexer indexer(db, true);
  const auto r = indexer.index_paths({test::seed("001_").string(), test::seed("002_").string()});
  CHECK(r.replaced == 2);  // written anew even though unchanged
  CHECK(r.removed == 3);
}

TEST_CASE("a rebuild keeps the old articles until its run is done, and an interrupted one must be finished", "[e2e]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  {
    Indexer indexer(db);
    CHECK(indexer.index_paths({test::corpus_dir().string()}).added == 5);
  }
  {
    // A rebuild that stops after its first article (as after Ctrl-C) has committed that one; the other four
    // are still there, in their old form.
    Indexer indexer(db, true);
    IndexOptions o;
    o.batch_articles = 1;
    std::size_t asked = 0;
    o.stop = [&] { return ++asked > 1; };
    const auto r = indexer.index_paths({test::corpus_dir().string()}, o);
    CHECK(r.interrupted);
    CHECK(r.replaced == 1);
    CHECK(r.removed == 0);
  }
  CHECK(Searcher(db).stats().articles == 5);
  CHECK_FALSE(Searcher(db).search("Nürburgring").hits.empty());
  const auto checked = check_index(db);
  REQUIRE(checked.problems.size() == 1);
  CHECK_THAT(checked.problems[0], Catch::Contains("rebuild was interrupted"));
  CHECK(checked.rebuild_needed);
  CHECK_THROWS_WITH(Indexer(db), Catch::Contains("interrupted"));
  {
    Indexer indexer(db, true);
    const auto r = indexer.index_paths({test::seed("003_").string()});
    CHECK(r.removed == 4);
  }
  CHECK(check_index(db).ok());
  CHECK(Searcher(db).stats().articles == 1);
}

TEST_CASE("German that plain engines miss: compound parts, synonyms and typos", "[e2e][acceptance][german]") {
  CorpusIndex ix;
  // A part finds the compound.
  CHECK(any_text_contains(ix.search("Zentrum"), "Entwicklungszentrum"));
  CHECK(any_text_contains(ix.search("Entwicklung"), "Entwicklungszentrum"));
  // A word alone outranks the same word inside a compound.
  const auto zentral = ix.search("Zentrale");
  REQUIRE_FALSE(zentral.hits.empty());
  CHECK(zentral.hits.front().text.find("Zentrale von BYD") != std::string::npos);
  // Synonyms: Elektroauto finds Elektrofahrzeug passages.
  SearchOptions wide;
  wide.limit = 30;
  wide.per_article = 0;
  CHECK(any_text_contains(ix.search("Elektroauto", wide), "Elektrofahrzeug"));
  // Beteiligung: the 20 % holding is in the top 3.
  const auto beteiligung = ix.search("Beteiligung");
  REQUIRE(beteiligung.hits.size() >= 1);
  bool top3 = false;
  for (std::size_t i = 0; i < std::min<std::size_t>(3, beteiligung.hits.size()); ++i)
    top3 |= beteiligung.hits[i].text.find("Anteilseigner von Leapmotor in Höhe von 20 %") != std::string::npos;
  CHECK(top3);
  // A typo is corrected from the index's own words, searched, and said so.
  const auto typo = ix.search("Entwiklungszentrum");
  CHECK(typo.corrected);
  CHECK(typo.suggestion == "Entwicklungszentrum");
  REQUIRE_FALSE(typo.hits.empty());
  CHECK(typo.hits.front().article.starts_with("003_"));
  // --exact: no correction, no synonyms.
  SearchOptions exact;
  exact.exact = true;
  CHECK(ix.search("Entwiklungszentrum", exact).hits.empty());
  CHECK(ix.search("Elektroauto", exact).expansions.empty());
  // And the foundation's card query keeps 003 on top.
  const auto card = ix.search("Entwicklungszentrum München");
  REQUIRE_FALSE(card.hits.empty());
  CHECK(card.hits.front().article.starts_with("003_"));
}

TEST_CASE("a misspelt word next to known ones is corrected, not dropped", "[e2e][german][spelling]") {
  CorpusIndex ix;
  // Nürburgring alone finds passages; Lepamotor is corrected all the same, and the results are for both.
  const auto r = ix.search("Nürburgring Lepamotor");
  CHECK(r.corrected);
  CHECK(r.suggestion == "Nürburgring Leapmotor");
  REQUIRE_FALSE(r.hits.empty());
  bool leapmotor = false;
  for (const auto& h : r.hits) leapmotor |= h.text.find("Leapmotor") != std::string::npos;
  CHECK(leapmotor);
  const auto card = ix.search("Entwicklungszentrum Münchn");
  CHECK(card.corrected);
  CHECK(card.suggestion == "Entwicklungszentrum München");
  REQUIRE_FALSE(card.hits.empty());
  CHECK(card.hits.front().article.starts_with("003_"));
}

TEST_CASE("short words and names are not typos: no correction into another word", "[e2e][german][spelling]") {
  CorpusIndex ix;
  // Each is two edits from a word of the demo corpus (haben, schon) or one from a word of four letters (März):
  // beyond its budget (none up to four letters, one up to eight).
  for (const std::string name : {"Habeck", "Merz", "Olaf Scholz"}) {
    INFO(name);
    const auto r = ix.search(name);
    CHECK_FALSE(r.corrected);
    CHECK(r.suggestion.empty());
  }
  // Within the budget: one edit at six letters, two at seventeen.
  CHECK(ix.search("Xiaomo").suggestion == "Xiaomi");
  CHECK(ix.search("Entwiklungszentrm").suggestion == "Entwicklungszentrum");
}

TEST_CASE("explain: term weights add up to the BM25 weight, with the rerank features", "[e2e][explain]") {
  CorpusIndex ix;
  SearchOptions o;
  o.explain = true;
  const auto r = ix.search("Gewinn Leapmotor", o);
  REQUIRE_FALSE(r.hits.empty());
  for (const auto& h : r.hits) {
    REQUIRE(h.explanation);
    const auto& e = *h.explanation;
    double sum = 0;
    for (const auto& t : e.terms) sum += t.weight;
    CHECK(sum == Approx(e.bm25).epsilon(0.01));
    CHECK(e.concepts == 2);
    CHECK(e.covered <= 2);
    CHECK(h.score >= e.bm25);
  }
  // The top passage covers both concepts, Gewinn as part of Nettogewinn.
  const auto& top = *r.hits.front().explanation;
  CHECK(top.covered == 2);
  CHECK(std::any_of(top.terms.begin(), top.terms.end(), [](const TermWeight& t) { return t.kind == "compound part"; }));
  CHECK_FALSE(ix.search("Gewinn Leapmotor").hits.front().explanation);  // only when asked
}

TEST_CASE("explain: a word asked for twice counts twice and the weights still add up", "[e2e][explain]") {
  // Two forms of one word give its stem twice: Xapian weighs each occurrence, so its factor is the sum.
  CorpusIndex ix;
  SearchOptions o;
  o.explain = true;
  const auto r = ix.search("Partnerschaft Partnerschaften Xiaomi", o);
  REQUIRE(r.hits.size() >= 3);
  bool twice = false;
  for (const auto& h : r.hits) {
    REQUIRE(h.explanation);
    double sum = 0;
    for (const auto& t : h.explanation->terms) {
      sum += t.weight;
      twice |= t.term == "partnerschaft" && t.kind == "word" && t.factor == Approx(2.0);
    }
    INFO(h.article << " #" << h.ordinal);
    CHECK(sum == Approx(h.explanation->bm25).epsilon(0.001));
  }
  CHECK(twice);
}

TEST_CASE("explain lists a compound's parts only where they stand near each other", "[e2e][explain]") {
  TempDir dir;
  // "near" holds Entwicklung and Zentrum side by side (they match the compound's parts query); "apart" holds
  // both, too far apart for it, and is found by Xiaomi alone.
  std::string apart = "Xiaomi plant die Entwicklung neuer Autos.";
  for (int i = 0; i < 20; ++i) apart += " Das dauert.";
  apart += " Im Zentrum steht der Preis.";
  const std::string db =
      index_paragraphs(dir, {{"near", "Xiaomi baut ein Zentrum für Entwicklung in München."}, {"apart", apart}});
  SearchOptions o;
  o.explain = true;
  const auto r = Searcher(db).search("Xiaomi Entwicklungszentrum", o);
  REQUIRE(r.hits.size() == 2);
  for (const auto& h : r.hits) {
    INFO(h.article);
    REQUIRE(h.explanation);
    double sum = 0;
    bool parts = false;
    for (const auto& t : h.explanation->terms) {
      sum += t.weight;
      parts |= t.term == "zentrum" || t.term == "entwicklung";
    }
    CHECK(sum == Approx(h.explanation->bm25).epsilon(0.01));
    CHECK(parts == (h.article == "near"));
  }
}

TEST_CASE("the page fills even when a few articles hold the best hundred passages", "[e2e]") {
  // Three long articles have 60 passages each that say "Akku" three times; ten short ones say it once, in a
  // longer passage. BM25 puts the 180 passages of the long articles first: the first pool of candidates
  // (100) holds nothing else, and the cap of two per article lets six of them through.
  TempDir dir;
  const std::string db = (dir / "index").string();
  {
    Indexer indexer(db);
    for (int a = 0; a < 3; ++a) {
      Article big;
      big.id = "lang" + std::to_string(a);
      for (int p = 0; p < 60; ++p)
        big.paragraphs.push_back("Der Akku im Abschnitt " + std::to_string(p) + " ist ein guter Akku, sagt der Test. " +
                                 "Der Akku hält lange, auch im Winter bei Kälte und Schnee und auf langen Fahrten.");
      indexer.put(big);
    }
    for (int a = 0; a < 10; ++a)
      indexer.put(
          one_paragraph("kurz" + std::to_string(a),
                        "Ein Bericht über Elektroautos aus der Stadt Nummer " + std::to_string(a) +
                            " erwähnt auch den Akku, vor allem aber die Ladesäulen, die Preise, die Wartezeiten "
                            "und die Frage, wie weit man im Alltag mit einer Ladung kommt, wenn es draußen kalt "
                            "ist und die Heizung läuft."));
    indexer.commit();
  }
  Searcher s(db);
  const auto r = s.search("Akku");
  REQUIRE(r.hits.size() == 10);
  std::map<std::string, int> per;
  for (const auto& h : r.hits) ++per[h.article];
  for (const auto& [a, n] : per) CHECK(n <= 2);
  CHECK(per.size() == 7);  // the three long articles twice each, then four short ones
  CHECK(r.hits[0].article.starts_with("lang"));
  CHECK(r.hits[9].article.starts_with("kurz"));
}

TEST_CASE("a passage that repeats one query word does not beat one with all of them", "[e2e][ranking]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  {
    Indexer indexer(db);
    Article spam;
    spam.id = "spam";
    spam.title = "Batterien";
    spam.paragraphs = {"Batterie Batterie Batterie Batterie Batterie Batterie Batterie Batterie. Batterie!"};
    Article real;
    real.id = "real";
    real.title = "Zulieferer";
    real.paragraphs = {"Samsung liefert die Batterie für das neue Modell, heißt es aus Seoul."};
    indexer.put(spam);
    indexer.put(real);
    // Samsung is common and Batterie rare, so that BM25 alone prefers the passage that repeats Batterie.
    for (int i = 0; i < 8; ++i) {
      indexer.put(one_paragraph("filler" + std::to_string(i),
                                "Samsung zeigt ein neues Telefon, Nummer " + std::to_string(i) + "."));
    }
    indexer.commit();
  }
  Searcher s(db);
  SearchOptions o;
  o.explain = true;
  const auto r = s.search("Samsung Batterie", o);
  REQUIRE(r.hits.size() >= 2);
  CHECK(r.hits[0].article == "real");
  CHECK(r.hits[1].article == "spam");
  CHECK(r.hits[1].explanation->bm25 > r.hits[0].explanation->bm25);  // the rerank, not BM25, decided
}

TEST_CASE("a compound finds its parts near each other, below the compound, a synonym ranks below the word",
          "[e2e][german][ranking]") {
  TempDir dir;
  const std::string db = index_paragraphs(
      dir, {{"separate", "Die Firma eröffnet ein Zentrum für die Entwicklung neuer Batterien in Bayern."},
            {"compound", "Die Firma eröffnet ein Entwicklungszentrum für neue Batterien in Bayern."},
            {"unrelated", "Die Firma eröffnet eine Kantine für die Belegschaft in Bayern."},
            {"typed", "Der Hersteller zeigt ein Elektroauto für die Stadt."},
            {"synonym", "Der Hersteller zeigt ein Elektrofahrzeug für die Stadt."}});
  Searcher s(db);
  const auto compound = s.search("Entwicklungszentrum");
  REQUIRE(compound.hits.size() == 2);
  CHECK(compound.hits[0].article == "compound");
  CHECK(compound.hits[1].article == "separate");
  SearchOptions exact;
  exact.exact = true;
  CHECK(s.search("Entwicklungszentrum", exact).hits.size() == 1);  // the parts apart are an expansion

  const auto ev = s.search("Elektroauto");
  REQUIRE(ev.hits.size() == 2);
  CHECK(ev.hits[0].article == "typed");
  CHECK(ev.hits[1].article == "synonym");
  CHECK(ev.hits[1].score < ev.hits[0].score);
}

TEST_CASE("the same id from two files in one run is reported, not silently merged", "[e2e]") {
  TempDir dir;
  test::write_text(dir / "r1" / "a.txt", "Erster\nText über Zeppeline in Friedrichshafen.\n");
  test::write_text(dir / "r2" / "a.txt", "Zweiter\nText über Luftschiffe am Bodensee.\n");
  Indexer indexer((dir / "index").string());
  const auto r = indexer.index_paths({(dir / "r1").string(), (dir / "r2").string()});
  CHECK(r.added == 1);
  CHECK(r.replaced == 1);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].message.find("also came from") != std::string::npos);
}

TEST_CASE("a duplicate id whose later line is invalid keeps the valid earlier line", "[e2e]") {
  TempDir dir;
  const auto feed = dir / "feed.jsonl";
  test::write_text(feed, R"({"id": "a", "body": "Die gültige Fassung über Zeppeline."})"
                         "\n"
                         R"({"id": "a", "title": 5, "body": "kaputt"})"
                         "\n");
  Indexer indexer((dir / "index").string());
  const auto r = indexer.index_paths({feed.string()});
  CHECK(r.added == 1);
  CHECK(r.skipped == 1);
  Searcher s((dir / "index").string());
  CHECK(s.search("Zeppeline").hits.size() == 1);
}

TEST_CASE("articles given through the API with invalid UTF-8 are repaired, not half written", "[e2e]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  Indexer indexer(db);
  Article a;
  a.id = "kaputt";
  a.title = std::string("Titel \xFF");
  a.paragraphs = {std::string("Ein Text \xC3\x28 über Zeppeline."), "Zweiter Absatz über Maserati."};
  CHECK(indexer.put(a) == ChangeKind::Added);
  indexer.commit();
  Searcher s(db);
  CHECK(s.search("Zeppeline").hits.size() == 1);
  CHECK(s.search("Maserati").hits.size() == 1);
}

TEST_CASE("review findings: longer compounds, percent, spelling of parts", "[e2e][german]") {
  TempDir dir;
  const std::string db = index_paragraphs(dir, {{"gesetz", "Das Klimaschutzgesetz wurde im Bundestag beschlossen."},
                                                {"hersteller", "Der Elektroautohersteller baut ein neues Werk."},
                                                {"prozent", "Die Beteiligung liegt bei 20 % der Anteile."},
                                                {"zwanzig", "Es kamen 20 Besucher zur Eröffnung."},
                                                {"eigner", "Stellantis ist Anteilseigner von Leapmotor."}});
  Searcher s(db);
  // A shorter compound finds the longer one it is part of.
  const auto klima = s.search("Klimaschutz");
  REQUIRE(klima.hits.size() == 1);
  CHECK(klima.hits.front().article == "gesetz");
  CHECK(s.search("Elektroauto").hits.size() == 1);
  // "20 %" asks for the percentage, not for any 20.
  const auto percent = s.search("20 %");
  REQUIRE(percent.hits.size() == 1);
  CHECK(percent.hits.front().article == "prozent");
  // A word the index holds only inside a compound is known: no spelling "correction".
  const auto eigner = s.search("Eigner");
  CHECK(eigner.suggestion.empty());
  REQUIRE(eigner.hits.size() == 1);
  CHECK(eigner.hits.front().article == "eigner");
}

// The articles of the passages with Zeppelin published between `from` and `to` (SearchOptions' date forms).
std::set<std::string> zeppelins(Searcher& s, const std::string& from, const std::string& to) {
  SearchOptions o;
  o.published_from = from;
  o.published_to = to;
  std::set<std::string> out;
  for (const auto& h : s.search("Zeppelin", o).hits) out.insert(h.article);
  return out;
}

TEST_CASE("a publication date range filters the passages", "[e2e]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  {
    Indexer indexer(db);
    const auto put = [&](const std::string& id, const std::string& published) {
      indexer.put(one_paragraph(id, "Der Zeppelin " + id + " landet in Friedrichshafen.", published));
    };
    put("jan", "2025-01-10");
    put("mar", "2025-03-22T10:15:00+01:00");
    put("jun", "2025-06-01");
    put("jun-late", "2025-06-01 23:10");  // a date-time with a space, as RFC 3339 allows
    put("none", "");
    indexer.commit();
  }
  Searcher s(db);
  const auto ids = [&](const std::string& from, const std::string& to) { return zeppelins(s, from, to); };
  CHECK(ids("", "") == std::set<std::string>{"jan", "mar", "jun", "jun-late", "none"});
  CHECK(ids("2025-02-01", "") == std::set<std::string>{"mar", "jun", "jun-late"});
  // Date-times as bounds compare as times, whichever separator either side wrote; a date without a time is
  // the start of its day.
  CHECK(ids("2025-06-01T12:00", "") == std::set<std::string>{"jun-late"});
  CHECK(ids("2025-06-01 00:00", "2025-06-01T12:00") == std::set<std::string>{"jun"});
  CHECK(ids("2025-03-22T00:00", "2025-03-22T23:59") == std::set<std::string>{"mar"});
  CHECK(ids("", "2025-03-22") == std::set<std::string>{"jan", "mar"});  // the whole last day
  // An upper bound at midnight is that moment, not its day: a date without a time (its start) is in, a later
  // time of that day is not.
  CHECK(ids("", "2025-06-01T00:00") == std::set<std::string>{"jan", "mar", "jun"});
  CHECK(ids("2025-03-22", "2025-03-22") == std::set<std::string>{"mar"});
  CHECK(ids("2026-01-01", "").empty());
  // Dates as people write them: a year or a month takes in all of it, German day.month.year.
  CHECK(ids("2025", "2025") == std::set<std::string>{"jan", "mar", "jun", "jun-late"});
  CHECK(ids("2025-01", "2025-03") == std::set<std::string>{"jan", "mar"});
  CHECK(ids("10.01.2025", "22.3.25") == std::set<std::string>{"jan", "mar"});
  CHECK(ids("2025-03", "2025") == std::set<std::string>{"mar", "jun", "jun-late"});
  // No date, a day that does not exist, or a range that ends before it begins: an error, not an empty list.
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"2025-13-45", ""}, {"", "2025-02-30"}, {"gestern abend", ""}, {"2025-06", "2025-01"}}) {
    INFO(from << " .. " << to);
    try {
      ids(from, to);
      FAIL("no error");
    } catch (const fundstelle::Error& e) {
      CHECK(e.kind() == fundstelle::ErrorKind::BadInput);
    }
  }
}

TEST_CASE("sorted by date: the passages with every query word and a date, newest or oldest first", "[e2e][sort]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  {
    Indexer indexer(db);
    indexer.put(one_paragraph("jan", "Der Zeppelin landet in Friedrichshafen.", "2025-01-10"));
    indexer.put(
        one_paragraph("mar", "Ein Zeppelin landet bei Friedrichshafen am Bodensee.", "2025-03-22T10:15:00+01:00"));
    indexer.put(one_paragraph("dez", "Ein Zeppelin über Friedrichshafen.", "2024-12-31"));
    indexer.put(one_paragraph("jun", "Der Zeppelin fliegt weiter.", "2025-06-01"));  // one word of two
    indexer.put(one_paragraph("ohne", "Zeppelin und Friedrichshafen, ohne Datum.", ""));
    indexer.commit();
  }
  Searcher s(db);
  const auto ids = [&](const std::string& q, SortOrder sort, std::size_t limit = 10, std::size_t offset = 0) {
    SearchOptions o;
    o.sort = sort;
    o.limit = limit;
    o.offset = offset;
    std::vector<std::string> out;
    for (const auto& h : s.search(q, o).hits) out.push_back(h.article);
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(ids("Zeppelin Friedrichshafen", SortOrder::Newest) == V{"mar", "jan", "dez"});
  CHECK(ids("Zeppelin Friedrichshafen", SortOrder::Oldest) == V{"dez", "jan", "mar"});
  CHECK(ids("Zeppelin", SortOrder::Newest) == V{"jun", "mar", "jan", "dez"});
  CHECK(ids("Zeppelin Friedrichshafen", SortOrder::Newest, 2) == V{"mar", "jan"});
  CHECK(ids("Zeppelin Friedrichshafen", SortOrder::Newest, 2, 2) == V{"dez"});
  // By relevance, every passage with a word counts, dated or not.
  CHECK(ids("Zeppelin Friedrichshafen", SortOrder::Relevance).size() == 5);
  // With a date range.
  SearchOptions o;
  o.sort = SortOrder::Newest;
  o.published_from = "2025";
  std::vector<std::string> in_2025;
  for (const auto& h : s.search("Zeppelin", o).hits) in_2025.push_back(h.article);
  CHECK(in_2025 == V{"jun", "mar", "jan"});
}

TEST_CASE("date bounds relative to today: heute, gestern, 7d", "[e2e]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  const auto ago = [](int days) {
    return *fundstelle::base::date_bound(std::to_string(days) + "d");  // the form under test, checked below
  };
  {
    Indexer indexer(db);
    indexer.put(one_paragraph("heute", "Der Zeppelin heute.", ago(0)));
    indexer.put(one_paragraph("vorgestern", "Der Zeppelin vorgestern.", ago(2) + "T08:00:00"));
    indexer.put(one_paragraph("alt", "Der Zeppelin vor einem Monat.", ago(30)));
    indexer.commit();
  }
  Searcher s(db);
  const auto ids = [&](const std::string& from, const std::string& to) { return zeppelins(s, from, to); };
  CHECK(ids("heute", "") == std::set<std::string>{"heute"});
  CHECK(ids("today", "today") == std::set<std::string>{"heute"});
  CHECK(ids("7d", "") == std::set<std::string>{"heute", "vorgestern"});
  CHECK(ids("", "gestern") == std::set<std::string>{"vorgestern", "alt"});
  CHECK(ids("31d", "yesterday") == std::set<std::string>{"vorgestern", "alt"});
}

TEST_CASE("a heading is the section of its passages: shown with them, and found at a lower weight", "[e2e][passages]") {
  CorpusIndex ix;
  // 004 has a heading "Vorteile einer Zusammenarbeit" over the paragraph about what each side would gain.
  const auto r = ix.search("\"Vorteile einer Zusammenarbeit\"");
  CHECK(r.hits.empty());  // a phrase is looked for in passage text; the heading is none
  const auto words = ix.search("Vorteile Zusammenarbeit");
  REQUIRE_FALSE(words.hits.empty());
  const auto in_section = std::find_if(words.hits.begin(), words.hits.end(), [](const Hit& h) {
    return h.section == "Vorteile einer Zusammenarbeit" && h.text.find("Vorteile einer") == std::string::npos;
  });
  CHECK(in_section != words.hits.end());
  // No passage holds a heading as its text, and the hit of a passage under it names it.
  const auto synergies = ix.search("Synergien Samsung Xiaomi Smartphone-Markt");
  REQUIRE_FALSE(synergies.hits.empty());
  CHECK(synergies.hits.front().section == "Potenzielle Synergien zwischen Samsung und Xiaomi");
  CHECK(synergies.hits.front().text.starts_with("Obwohl Samsung und Xiaomi"));
  Searcher s(ix.db);
  const auto article = s.article("004_8186043d25e24db3.txt");
  REQUIRE(article);
  for (const auto& p : article->passages) CHECK(p.text != "Fazit");
}

TEST_CASE("a text that several articles hold is shown once", "[e2e][passages]") {
  TempDir dir;
  const std::string shared = "Die Ladesäule am Marktplatz ist ab Montag wieder in Betrieb.";
  const std::string db = index_paragraphs(
      dir,
      {{"a", shared}, {"b", shared}, {"c", shared}, {"d", "Eine zweite Ladesäule entsteht am Bahnhof, heißt es."}});
  Searcher s(db);
  const auto r = s.search("Ladesäule");
  REQUIRE(r.hits.size() == 2);
  CHECK(r.hits[0].text != r.hits[1].text);
  SearchOptions second_page;
  second_page.offset = 1;
  const auto page = s.search("Ladesäule", second_page);
  REQUIRE(page.hits.size() == 1);
  CHECK(page.hits[0].text == r.hits[1].text);  // pages count what is shown
}

TEST_CASE("a text repeated by more passages than a first pool holds leaves the page to the others", "[e2e][passages]") {
  TempDir dir;
  // 150 articles repeat one short text (a site's boilerplate), which BM25 puts above the longer passages that
  // also name the words: the first candidates are nothing but that text, also those with every concept of a
  // query of two (the coverage-first tier).
  const std::string shared = "Ladesäule Ladesäule: Hinweise zur Ladesäule am Marktplatz.";
  std::vector<std::pair<std::string, std::string>> articles;
  for (int i = 0; i < 150; ++i) articles.emplace_back("boiler" + std::to_string(i), shared);
  for (int i = 0; i < 12; ++i)
    articles.emplace_back(
        "news" + std::to_string(i),
        "Die Stadt Nummer " + std::to_string(i) +
            " baut eine Ladesäule am Marktplatz, der Bau dauert "
            "nach Angaben der Verwaltung noch mehrere Wochen, und die Anwohner warten schon lange darauf.");
  const std::string db = index_paragraphs(dir, articles);
  {
    // The index gives passages of one text one collapse key, and other texts others.
    const Xapian::Database x(db);
    std::set<std::string> keys_of_shared, keys_of_news;
    for (auto it = x.postlist_begin(""); it != x.postlist_end(""); ++it) {
      const Xapian::Document doc = x.get_document(*it);
      const std::string article = doc.get_value(schema::kValueArticle);
      const std::string key = doc.get_value(schema::kValueText);
      CHECK(key.size() == 8);
      (article.starts_with("boiler") ? keys_of_shared : keys_of_news).insert(key);
    }
    CHECK(keys_of_shared.size() == 1);
    CHECK(keys_of_news.size() == 12);
    CHECK_FALSE(keys_of_news.count(*keys_of_shared.begin()));
  }
  Searcher s(db);
  for (const char* query : {"Ladesäule", "Ladesäule Marktplatz"}) {
    INFO(query);
    const auto r = s.search(query);
    REQUIRE(r.hits.size() == 10);
    CHECK(r.hits[0].text == shared);  // the best passage, once
    std::set<std::string> texts;
    for (const auto& h : r.hits) {
      texts.insert(h.text);
      if (&h != &r.hits[0]) CHECK(h.article.starts_with("news"));
    }
    CHECK(texts.size() == 10);
  }
}

TEST_CASE("the form typed ranks first also when it is its own stem", "[e2e][ranking][german]") {
  TempDir dir;
  // The two passages differ only in the form of the word (Werk is its own stem, Werke is not); BM25 over
  // stems alone would tie them.
  const std::string db = index_paragraphs(dir, {{"plural", "Das Unternehmen plant neue Werke in Bayern."},
                                                {"singular", "Das Unternehmen plant ein Werk in Bayern."}});
  Searcher s(db);
  for (const auto& [query, first] :
       std::vector<std::pair<std::string, std::string>>{{"Werk", "singular"}, {"Werke", "plural"}}) {
    INFO(query);
    const auto r = s.search(query);
    REQUIRE(r.hits.size() == 2);
    CHECK(r.hits[0].article == first);
    CHECK(r.hits[0].score > r.hits[1].score);
  }
}

TEST_CASE("a passage with the words as typed ranks above one that only inflects them alike", "[e2e][ranking][german]") {
  TempDir dir;
  // Both passages hold both stems (zinssatz, period); only one writes the words as typed. The other is
  // shorter and has them side by side, so BM25 (typed forms included) and proximity alone would put it first.
  const std::string db = index_paragraphs(
      dir, {{"typed", "Der Zinssatz der neuen Anleihe des Landes bleibt nach Angaben der Bank über alle "
                      "Perioden der zehnjährigen Laufzeit hinweg gleich, auch wenn die Inflation steigt."},
            {"inflected", "Der periodische Zinssatz steigt."}});
  Searcher s(db);
  SearchOptions o;
  o.explain = true;
  const auto r = s.search("Zinssatz Perioden", o);
  REQUIRE(r.hits.size() == 2);
  CHECK(r.hits[0].article == "typed");
  REQUIRE(r.hits[0].explanation);
  REQUIRE(r.hits[1].explanation);
  CHECK(r.hits[0].explanation->typed == 2);
  CHECK(r.hits[1].explanation->typed == 1);
  CHECK(r.hits[0].explanation->covered == 2);
  CHECK(r.hits[1].explanation->covered == 2);
  // Zinssatz, which both passages write so, says nothing beyond its stem; Perioden, which only one of the two
  // passages with the stem writes, raises the score.
  CHECK(r.hits[1].explanation->typed_factor == 1.0);
  CHECK(r.hits[0].explanation->typed_factor > 1.0);
  CHECK(r.hits[0].explanation->typed_factor < 1 + searcher::weights::kTypedBonus);
  // Without the factor for typed forms the inflected passage would be first.
  CHECK(r.hits[0].score / r.hits[0].explanation->typed_factor < r.hits[1].score);
  // --exact changes nothing here: the typed forms are no rewrite.
  o.exact = true;
  CHECK(s.search("Zinssatz Perioden", o).hits.front().article == "typed");
}

TEST_CASE("filters by author and tag, and facet counts over the passages that qualify", "[e2e][facets]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  Indexer(db).index_paths({(fundstelle::test::source_dir() / "tests/data/newsroom.jsonl").string()});
  Searcher s(db);
  const auto run = [&](const std::string& q, SearchOptions o) {
    o.limit = 100;
    o.per_article = 0;
    return s.search(q, o);
  };
  const auto places = [&](const SearchResults& r) {
    std::multiset<std::string> out;
    for (const auto& h : r.hits) out.insert(h.article + (h.kind == PassageKind::Comment ? "#c" : ""));
    return out;
  };
  using M = std::multiset<std::string>;
  SearchOptions o;
  // A comment's author is its own; the article's author is that of the article's text. Case does not matter:
  // ANNA MEIER is Anna Meier.
  o.authors = {"anna meier"};
  CHECK(places(run("Batteriewerk", o)) == M{"werk-sachsen", "werk-sachsen", "werk-bayern"});
  o.authors = {"leser1", "MAX MÜLLER"};
  CHECK(places(run("Batteriewerk", o)) == M{"werk-sachsen#c", "werk-verzug#c", "werk-verzug"});
  o.authors = {"Niemand"};
  CHECK(run("Batteriewerk", o).hits.empty());
  // Tags: every one given.
  o = {};
  o.tags = {"Bayern"};
  CHECK(places(run("Batteriewerk", o)) == M{"werk-bayern", "werk-verzug", "werk-verzug#c"});
  o.tags = {"Bayern", "ELEKTROMOBILITÄT"};
  CHECK(places(run("Batteriewerk", o)).size() == 3);
  o.tags = {"Bayern", "Sachsen"};
  CHECK(run("Batteriewerk", o).hits.empty());

  // The hits carry author, tags and a comment's own date.
  o = {};
  const auto all = run("Batteriewerk", o);
  REQUIRE(all.hits.size() == 8);
  for (const auto& h : all.hits) {
    INFO(h.article << " " << h.text);
    if (h.article == "werk-sachsen" && h.kind == PassageKind::Comment && h.comment == 0) {
      CHECK(h.author == "leser1");
      CHECK(h.comment_published == "2025-01-12T08:00:00+01:00");
    } else if (h.kind == PassageKind::Comment) {
      CHECK(h.comment_published.empty());  // none given, or not a date (2025-13-45)
    }
    if (h.article == "werk-bayern") {
      CHECK(h.author == "ANNA MEIER");
      CHECK(h.tags == std::vector<std::string>{"elektromobilität", "Bayern"});
    }
    if (h.article == "ohne-alles") CHECK((h.author.empty() && h.tags.empty() && h.published.empty()));
  }
  const auto stored = s.article("werk-verzug");
  REQUIRE(stored);
  CHECK(stored->author == "Max Müller");
  CHECK(stored->tags == std::vector<std::string>{"Bayern", "Elektromobilität"});

  // Facets: counts of passages, values written differently counted as one (shown as most passages write it).
  o.facets = {"author", "tag", "month", "year"};
  const auto counted = run("Batteriewerk", o);
  REQUIRE(counted.facets.size() == 4);
  const auto values = [&](const Facet& f) {
    std::vector<std::pair<std::string, std::size_t>> out;
    for (const auto& v : f.values) out.emplace_back(v.value, v.count);
    return out;
  };
  using V = std::vector<std::pair<std::string, std::size_t>>;
  CHECK(counted.facets[0].name == "author");
  CHECK(counted.facets[0].passages == 8);
  CHECK(values(counted.facets[0]) == V{{"Anna Meier", 3}, {"leser1", 2}, {"Max Müller", 1}});
  CHECK(values(counted.facets[1]) == V{{"Elektromobilität", 7}, {"Sachsen", 4}, {"Bayern", 3}});
  CHECK(values(counted.facets[2]) == V{{"2025-02", 1}, {"2025-01", 4}, {"2024-11", 2}});  // newest first
  CHECK(values(counted.facets[3]) == V{{"2025", 5}, {"2024", 2}});
  // With a filter, the counts are of what the filter lets through; with two words, of the passages whose text
  // holds both (not the one whose title holds the second).
  o.tags = {"Bayern"};
  o.facets = {"author"};
  CHECK(values(run("Batteriewerk", o).facets[0]) == V{{"ANNA MEIER", 1}, {"Max Müller", 1}, {"leser1", 1}});
  o.tags = {};
  const auto both = run("Batteriewerk Sachsen", o);
  CHECK(both.facets[0].passages == 2);
  CHECK(values(both.facets[0]) == V{{"Anna Meier", 1}, {"leser1", 1}});
  o.facet_limit = 1;
  CHECK(values(run("Batteriewerk", o).facets[0]) == V{{"Anna Meier", 3}});
  o.facets = {"autor"};
  try {
    run("Batteriewerk", o);
    FAIL("no error");
  } catch (const fundstelle::Error& e) {
    CHECK(e.kind() == fundstelle::ErrorKind::BadInput);
  }
}

TEST_CASE("suggest: completions of the last word, compounds by a part, the words before kept", "[e2e][suggest]") {
  CorpusIndex ix;
  Searcher s(ix.db);
  const auto words = [&](const std::string& typed, std::size_t limit = 8) {
    std::vector<std::string> out;
    for (const auto& sg : s.suggest(typed, limit)) out.push_back(sg.text);
    return out;
  };
  const auto has = [](const std::vector<std::string>& list, const std::string& w) {
    return std::find(list.begin(), list.end(), w) != list.end();
  };
  // A compound by a part that begins with what was typed, where the index holds that compound.
  CHECK(has(words("Zentr"), "Entwicklungszentrum"));
  CHECK(has(words("Anteil"), "Anteilseigner"));
  // Words that begin with it, written as the index writes nouns (capitalised), the words before kept.
  CHECK(has(words("partner"), "Partnerschaft"));
  CHECK(has(words("Xiaomi Münch"), "Xiaomi München"));
  // The most frequent first; at most the limit.
  const auto elektro = s.suggest("Elektro", 3);
  REQUIRE(elektro.size() == 3);
  CHECK(elektro[0].passages >= elektro[1].passages);
  CHECK(elektro[1].passages >= elektro[2].passages);
  for (const auto& sg : elektro) CHECK(sg.word.rfind("Elektro", 0) == 0);
  // Nothing for one letter, a finished word (a space after it), or a word the index does not begin.
  CHECK(words("E").empty());
  CHECK(words("Entwickl ").empty());
  CHECK(words("Qwzx").empty());
  CHECK(words("").empty());
}

TEST_CASE("an indexing run tells its progress: phases in order, bytes of the total, inside one large feed too",
          "[e2e][progress]") {
  TempDir dir;
  std::string feed;
  for (int i = 0; i < 600; ++i)
    feed += R"({"id":"f)" + std::to_string(i) + R"(","title":"Zeppelin )" + std::to_string(i) +
            R"(","body":"Der Zeppelin Nummer )" + std::to_string(i) + R"( landet in Friedrichshafen am Bodensee."})" +
            "\n";
  std::filesystem::create_directories(dir / "src");
  test::write_text(dir / "src/feed.jsonl", feed);
  test::write_text(dir / "src/a.txt", "Titel\n\nEin Artikel über den Bodensee.\n");
  const std::uint64_t total = feed.size() + std::filesystem::file_size(dir / "src/a.txt");
  std::vector<IndexProgress> told;
  std::mutex mutex;
  IndexOptions options;
  options.progress = [&](const IndexProgress& p) {
    std::lock_guard lock(mutex);
    told.push_back(p);
  };
  // A slow feed: reading it takes more than a second (2 ms before each article), so the progress must come
  // from inside it, not only between files.
  options.stop = [] {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return false;
  };
  const auto report = Indexer((dir / "index").string()).index_paths({(dir / "src").string()}, options);
  CHECK(report.added == 601);
  REQUIRE(told.size() >= 3);
  CHECK(told.front().phase == IndexProgress::Phase::Reading);
  CHECK(told.front().bytes_total == total);
  const IndexProgress& last = told.back();
  CHECK(last.phase == IndexProgress::Phase::Done);
  CHECK(last.articles_read == 601);
  CHECK(last.articles_written == 601);
  CHECK(last.passages_written == report.passages);
  CHECK(last.bytes_read == total);
  CHECK(last.fraction == 1.0);
  CHECK(std::string(to_string(last.phase)) == "done");
  // In order: reading and analysing (a feed's ids first, then its articles; a .txt file is analysed at
  // once), then writing (and compacting: a first import), then done once; counts never go back.
  bool inside_feed = false, read_ids = false;
  for (std::size_t i = 0; i < told.size(); ++i) {
    const IndexProgress& p = told[i];
    CHECK(p.bytes_total == total);
    CHECK(p.bytes_read <= total);
    CHECK((p.fraction >= 0 && p.fraction <= 1));
    if (p.phase == IndexProgress::Phase::Analysing && p.source.ends_with("feed.jsonl") && p.articles_read > 0 &&
        p.articles_read < 600 && p.bytes_read > 0 && p.bytes_read < feed.size())
      inside_feed = true;
    if (p.phase == IndexProgress::Phase::Reading && p.source.ends_with("feed.jsonl")) read_ids = true;
    if (i == 0) continue;
    const IndexProgress& q = told[i - 1];
    const bool reading = p.phase <= IndexProgress::Phase::Analysing && q.phase <= IndexProgress::Phase::Analysing;
    const bool after_compacting = p.phase == IndexProgress::Phase::Writing &&
                                  q.phase == IndexProgress::Phase::Compacting;
    CHECK((reading || after_compacting || p.phase >= q.phase));
    CHECK(p.articles_read >= q.articles_read);
    CHECK(p.bytes_read >= q.bytes_read);
    CHECK(p.seconds >= q.seconds);
  }
  CHECK(inside_feed);
  CHECK(read_ids);
  CHECK(std::count_if(told.begin(), told.end(), [](const auto& p) { return p.phase == IndexProgress::Phase::Done; }) ==
        1);
}
