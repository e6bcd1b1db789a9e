// What newsrooms publish, as the indexer meets it: HTML pages in a folder beside .txt articles, named directly,
// read again unchanged, and searched through the CLI (the page's text found, its frame not); RSS and Atom
// feeds, each item an article; both written into a folder under --watch.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "test_support.h"

using fundstelle::test::run_fundstelle;
using fundstelle::test::TempDir;

TEST_CASE("cli: HTML pages in a folder are indexed as articles, their frame left out", "[e2e][html]") {
  TempDir dir;
  const auto pages = dir / "seiten";
  std::filesystem::create_directories(pages / "2024");
  std::filesystem::copy_file(fundstelle::test::source_dir() / "bench" / "extraction" / "01_regionalzeitung.html",
                             pages / "2024" / "batterie.HTM");
  std::filesystem::copy_file(fundstelle::test::seed("001_"), pages / "seed.txt");
  fundstelle::test::write_text(pages / "leer.html", "  \n");
  fundstelle::test::write_text(pages / "rahmen.html", "<html><body><nav><a href=/>Start</a></nav></body></html>");
  const std::string db = (dir / "index").string();

  const auto indexed = run_fundstelle({"index", "--db", db, pages.string()});
  // Two articles; the empty page and the one with nothing but its frame are reported, and exit 2 says so.
  CHECK(indexed.exit_code == 2);
  CHECK(indexed.out.find("2 added") != std::string::npos);
  CHECK(indexed.err.find("leer.html") != std::string::npos);
  CHECK(indexed.err.find("rahmen.html: no article text") != std::string::npos);

  // The page's text is found, with its title, date and id (its path under the folder).
  auto found = run_fundstelle({"search", "--db", db, "--json", "Wasserbedarf Zellfertigung"});
  REQUIRE(found.exit_code == 0);
  const auto hit = nlohmann::json::parse(found.out.substr(0, found.out.find('\n')));
  CHECK(hit["article"] == "2024/batterie.HTM");
  CHECK(hit["title"] == "Batteriefabrik in der Lausitz: Zulieferer eröffnet Entwicklungszentrum");
  CHECK(hit["published"].get<std::string>().starts_with("2024-03-12"));
  // So are its reader comments, as comments with their authors.
  found = run_fundstelle({"search", "--db", db, "--json", "--kind", "comment", "Wasser"});
  REQUIRE(found.exit_code == 0);
  CHECK(found.out.find("Sabine") != std::string::npos);
  // Its frame is not: the cookie banner, the navigation, the ad, the newsletter box, the comment form.
  for (const char* clutter : {"Cookies", "Stromtarif", "Newsletter", "Kommentar abschicken", "Impressum"})
    CHECK(run_fundstelle({"search", "--db", db, clutter}).exit_code == 1);

  // Indexed again: unchanged. Named directly, the page is the same article (one file, one id).
  const auto again = run_fundstelle({"index", "--db", db, pages.string()});
  CHECK(again.out.find("0 added, 0 replaced, 2 unchanged") != std::string::npos);
  const auto direct = run_fundstelle({"index", "--db", db, (pages / "2024" / "batterie.HTM").string()});
  CHECK(direct.exit_code == 0);
  CHECK(direct.out.find("0 added, 0 replaced, 1 unchanged") != std::string::npos);
}

TEST_CASE("cli: a 50 MB page is skipped unread and the pages beside it are indexed", "[e2e][html][bad-input]") {
  TempDir dir;
  const auto pages = dir / "seiten";
  std::filesystem::create_directories(pages);
  std::filesystem::copy_file(fundstelle::test::source_dir() / "bench" / "extraction" / "01_regionalzeitung.html",
                             pages / "gut.html");
  {
    // 50 MB of well-formed markup, one paragraph after another: the size is the only thing wrong with it.
    std::ofstream huge(pages / "riesig.html", std::ios::binary);
    huge << "<html><body><article><h1>Riesig</h1>";
    const std::string paragraph = "<p>Der Gemeinderat berät über den Haushalt des kommenden Jahres.</p>\n";
    for (std::size_t written = 0; written < (std::size_t{50} << 20); written += paragraph.size()) huge << paragraph;
    huge << "</article></body></html>";
  }
  const std::string db = (dir / "index").string();
  const auto indexed = run_fundstelle({"index", "--db", db, pages.string()});
  CHECK(indexed.exit_code == 2);
  CHECK(indexed.out.find("1 added") != std::string::npos);
  CHECK(indexed.err.find("riesig.html: too large for one article") != std::string::npos);
  CHECK(run_fundstelle({"search", "--db", db, "Wasserbedarf"}).exit_code == 0);
  CHECK(run_fundstelle({"search", "--db", db, "Haushalt"}).exit_code == 1);
}

TEST_CASE("cli: RSS and Atom feeds in a folder give one article per item", "[e2e][feeds]") {
  TempDir dir;
  const auto feeds = dir / "feeds";
  std::filesystem::create_directories(feeds);
  for (const char* name : {"nachrichten.rss", "blog.atom", "rdf.xml"})
    std::filesystem::copy_file(fundstelle::test::source_dir() / "tests" / "data" / "feeds" / name, feeds / name);
  fundstelle::test::write_text(feeds / "einstellungen.xml", "<?xml version=\"1.0\"?><config/>");
  const std::string db = (dir / "index").string();

  const auto indexed = run_fundstelle({"index", "--db", db, feeds.string()});
  // 2 + 3 + 1 items; the two items that cannot be articles are reported (exit 2); a .xml that is no feed in
  // a folder is not an input at all.
  CHECK(indexed.exit_code == 2);
  CHECK(indexed.out.find("6 added") != std::string::npos);
  CHECK(indexed.err.find("item 3: no guid, id or link") != std::string::npos);
  CHECK(indexed.err.find("einstellungen.xml") == std::string::npos);

  auto found = run_fundstelle({"search", "--db", db, "--json", "Mechatroniker"});
  REQUIRE(found.exit_code == 0);
  auto hit = nlohmann::json::parse(found.out.substr(0, found.out.find('\n')));
  CHECK(hit["article"] == "stadtbote-101");
  CHECK(hit["title"] == "Solarfabrik in Frankfurt (Oder) stellt ein");
  CHECK(run_fundstelle({"search", "--db", db, "Wärmepumpen Altbau"}).exit_code == 0);
  CHECK(run_fundstelle({"search", "--db", db, "Straßenbahn München"}).exit_code == 0);
  CHECK(run_fundstelle({"search", "--db", db, "tracking"}).exit_code == 1);  // the script in an item's HTML

  // Read again: unchanged. A .xml named by itself that is no feed is an error.
  CHECK(run_fundstelle({"index", "--db", db, feeds.string()}).out.find("0 added, 0 replaced, 6 unchanged") !=
        std::string::npos);
  const auto named = run_fundstelle({"index", "--db", db, (feeds / "einstellungen.xml").string()});
  CHECK(named.exit_code == 2);
  CHECK(named.err.find("not an RSS or Atom feed (its root element is <config>)") != std::string::npos);
}

TEST_CASE("cli: --watch indexes HTML pages and feeds written into the folder", "[e2e][html][feeds][watch]") {
  TempDir dir;
  const auto inbox = dir / "eingang";
  std::filesystem::create_directories(inbox);
  const std::string db = (dir / "index").string();
  const auto finds = [&](const std::string& q) {
    return run_fundstelle({"search", "--db", db, "--exact", q}).exit_code == 0;
  };
  fundstelle::test::Background watcher({"index", "--watch", "--prune", "--db", db, inbox.string()});
  REQUIRE(fundstelle::test::Background::wait_for([&] { return watcher.err().find("watching") != std::string::npos; }));

  std::filesystem::copy_file(fundstelle::test::source_dir() / "bench" / "extraction" / "01_regionalzeitung.html",
                             inbox / "seite.html");
  CHECK(fundstelle::test::Background::wait_for([&] { return finds("Wasserbedarf"); }));
  std::filesystem::copy_file(fundstelle::test::source_dir() / "tests" / "data" / "feeds" / "blog.atom",
                             inbox / "blog.atom");
  CHECK(fundstelle::test::Background::wait_for([&] { return finds("Großspeicher"); }));
  CHECK_FALSE(finds("Stromtarif"));  // the page's ad, now as before

  // Deleted: gone (with --prune), the feed's items with it.
  std::filesystem::remove(inbox / "blog.atom");
  CHECK(fundstelle::test::Background::wait_for([&] { return !finds("Großspeicher"); }));
  CHECK(finds("Wasserbedarf"));
  watcher.signal(SIGINT);
  CHECK(watcher.wait() == 0);
}
