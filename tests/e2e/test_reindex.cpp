// Reindexing you can trust: the writer lock names its holder, --watch, Ctrl-C, `check`, read-only folders
// and a full disk (the kills are in test_kill.cpp); export and what a rebuild does with the articles that have
// no file.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <xapian.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <functional>

#include "e2e/synthetic.h"
#include "fundstelle/fundstelle.h"
#include "index/passage_record.h"
#include "test_support.h"

using namespace fundstelle;
using fundstelle::test::Background;
using fundstelle::test::run_fundstelle;
using fundstelle::test::TempDir;

namespace {

bool finds(const std::string& db, const std::string& query) {
  return run_fundstelle({"search", "--db", db, "--exact", query}).exit_code == 0;
}

// Runs a command as an ordinary user when the tests run as root (root ignores file permissions).
std::string as_unprivileged() { return ::geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups" : ""; }

std::size_t articles_in(const std::string& db) { return Searcher(db).stats().articles; }

// Changes the stored data of the first passage holding `term` in the index at `db` (committed); its docid.
Xapian::docid change_passage_data(const std::string& db, const std::string& term,
                                  const std::function<std::string(std::string)>& change) {
  Xapian::WritableDatabase raw(db);
  const Xapian::docid id = *raw.postlist_begin(term);
  Xapian::Document doc = raw.get_document(id);
  doc.set_data(change(doc.get_data()));
  raw.replace_document(id, doc);
  raw.commit();
  return id;
}

// Puts one article about a Zeppelin into the index at `db` through the library, without a source file (as
// if posted over HTTP), then the seed articles from their files through the CLI.
void zeppelin_and_seeds(const std::string& db, const std::string& id, std::vector<std::string> paragraphs) {
  {
    Indexer indexer(db);
    Article a;
    a.id = id;
    a.title = "Zeppelin";
    a.paragraphs = std::move(paragraphs);
    indexer.put(a);
    indexer.commit();
  }
  REQUIRE(run_fundstelle({"index", "-q", "--db", db, test::corpus_dir().string()}).exit_code == 0);
}

}  // namespace

TEST_CASE("a second writer is told which process holds the index", "[e2e][reindex]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  Indexer first(db);
  CHECK_THROWS_WITH(Indexer(db), Catch::Contains("locked by process " + std::to_string(::getpid())));
}

TEST_CASE("cli: --watch indexes new, changed and deleted files until Ctrl-C, the lock names it",
          "[e2e][reindex][watch]") {
  TempDir dir;
  const auto news = dir / "news";
  std::filesystem::create_directories(news);
  std::filesystem::copy_file(test::seed("003_"), news / "003.txt");
  const std::string db = (dir / "index").string();
  Background watcher({"index", "--watch", "--prune", "--db", db, news.string()});
  REQUIRE(Background::wait_for([&] { return watcher.err().find("watching") != std::string::npos; }));
  CHECK(finds(db, "Nürburgring"));

  // The watcher is the index's writer: a second one is told its PID, and searching goes on.
  const auto second = run_fundstelle({"index", "--db", db, news.string()});
  CHECK(second.exit_code == 2);
  CHECK_THAT(second.err, Catch::Contains("locked by process " + std::to_string(watcher.pid())));

  test::write_text(news / "neu.txt",
                   "Zeppelinwerft in Friedrichshafen\n\nDie Zeppelinwerft baut ein neues Luftschiff.\n");
  CHECK(Background::wait_for([&] { return finds(db, "Zeppelinwerft"); }));
  test::write_text(news / "neu.txt", "Zeppelinwerft in Friedrichshafen\n\nDie Zeppelinwerft baut einen Ballon.\n");
  CHECK(Background::wait_for([&] { return finds(db, "Ballon") && !finds(db, "Luftschiff"); }));

  // A folder made later is watched too; a file moved in counts like one written.
  test::write_text(dir / "draft.txt", "Werftbericht\n\nDie Hafenmeisterei meldet drei Fähren.\n");
  std::filesystem::create_directories(news / "regional");
  std::filesystem::rename(dir / "draft.txt", news / "regional" / "faehren.txt");
  CHECK(Background::wait_for([&] { return finds(db, "Hafenmeisterei"); }));
  test::write_text(news / "regional" / "zweite.txt", "Zweiter Bericht\n\nDer Leuchtturmwärter zählt Möwen.\n");
  CHECK(Background::wait_for([&] { return finds(db, "Leuchtturmwärter"); }));
  // Ids are those a full run gives: the path under the watched folder.
  CHECK(Searcher(db).article("regional/zweite.txt"));
  CHECK_FALSE(Searcher(db).article("zweite.txt"));
  test::write_text(news / "agentur.ndjson", R"({"id": "dpa-7", "body": "Die Seilbahn am Feldberg fährt wieder."})"
                                            "\n");
  CHECK(Background::wait_for([&] { return finds(db, "Seilbahn"); }));

  // A comment added later to an article of a feed shows up.
  const std::string line = R"({"id": "feed-1", "title": "Fährverkehr", "body": "Der Fährverkehr ruht wegen Sturm.")";
  test::write_text(news / "feed.jsonl", line + "}\n");
  CHECK(Background::wait_for([&] { return finds(db, "Fährverkehr"); }));
  test::write_text(news / "feed.jsonl", line + R"(, "comments": [{"text": "Endlich Windstille am Deich."}]})" + "\n");
  CHECK(Background::wait_for([&] { return finds(db, "Windstille"); }));

  // Deleted files and folders go (with --prune).
  std::filesystem::remove(news / "neu.txt");
  std::filesystem::remove_all(news / "regional");
  CHECK(Background::wait_for([&] { return !finds(db, "Zeppelinwerft") && !finds(db, "Leuchtturmwärter"); }));
  CHECK(finds(db, "Nürburgring"));

  watcher.signal(SIGINT);
  CHECK(watcher.wait() == 0);
  CHECK_THAT(watcher.err(), Catch::Contains("stopped watching"));
  CHECK_THAT(watcher.out(), Catch::Contains("removed"));
  CHECK(check_index(db).ok());
  CHECK(articles_in(db) == 3);  // 003, feed-1 and dpa-7
  // The lock went with the watcher.
  CHECK(run_fundstelle({"index", "--db", db, news.string()}).exit_code == 0);
}

TEST_CASE("cli: Ctrl-C while indexing commits what is done, exits 130, and a rerun finishes", "[e2e][reindex]") {
  TempDir dir;
  const auto feed = dir / "feed.jsonl";
  constexpr int kArticles = 5000;
  test::write_text(feed, test::synthetic_feed(kArticles, "A"));
  const std::string db = (dir / "index").string();
  // One writer, whose batches become visible one by one (a first import on several threads becomes visible
  // at its end; its Ctrl-C is in test_parallel_build.cpp).
  Background indexer({"index", "--threads", "1", "--batch", "20", "--db", db, feed.string()});
  // Once a first batch is committed, interrupt.
  REQUIRE(Background::wait_for([&] {
    try {
      return articles_in(db) > 0;
    } catch (const Error&) {
      return false;
    }
  }));
  indexer.signal(SIGINT);
  REQUIRE(indexer.wait() == 130);
  CHECK_THAT(indexer.err(), Catch::Contains("interrupted"));
  const auto done = articles_in(db);
  CHECK(done > 0);
  CHECK(done < kArticles);
  CHECK(check_index(db).ok());
  const auto rerun = run_fundstelle({"index", "--db", db, feed.string()});
  CHECK(rerun.exit_code == 0);
  CHECK_THAT(rerun.out, Catch::Contains(std::to_string(done) + " unchanged"));
  CHECK(articles_in(db) == kArticles);
}

TEST_CASE("a rebuild keeps the articles of inputs it could not read, and put() + commit() end it", "[e2e][reindex]") {
  TempDir dir;
  const auto in = dir / "in";
  std::filesystem::copy(test::corpus_dir(), in);
  const std::string db = (dir / "index").string();
  REQUIRE(Indexer(db).index_paths({in.string()}).added == 5);
  test::write_text(in / test::seed("003_").filename(), "");
  {
    Indexer indexer(db, true);
    const auto r = indexer.index_paths({in.string()});
    CHECK(r.skipped == 1);  // the emptied file
    CHECK(r.replaced == 4);
    CHECK(r.removed == 0);  // its article stays, as --prune would keep it
  }
  CHECK(Searcher(db).stats().articles == 5);
  CHECK(check_index(db).ok());
  {
    // Through the API: articles put again stay, the rest goes at commit().
    Indexer indexer(db, true);
    Article a;
    a.id = "neu";
    a.paragraphs = {"Ein Artikel, geschrieben während eines Neuaufbaus."};
    indexer.put(a);
    indexer.commit();
  }
  CHECK(Searcher(db).stats().articles == 1);
  CHECK(check_index(db).ok());
}

// The word of passage `id` that the fewest passages hold (an exact form as written): a search for it finds
// that passage among the first.
std::string rarest_word(const Xapian::Database& db, Xapian::docid id) {
  std::string best;
  Xapian::doccount fewest = 0;
  for (auto t = db.termlist_begin(id); t != db.termlist_end(id); ++t) {
    const std::string term = *t;
    if (term.size() < 6 || term[0] != 'E' || !std::islower(static_cast<unsigned char>(term[1]))) continue;
    if (best.empty() || t.get_termfreq() < fewest) {
      best = term.substr(1);
      fewest = t.get_termfreq();
    }
  }
  return best;
}

// A search for the rarest word of passage `id` (damaged) warns that a matching passage was left out.
void check_search_warns(const std::string& db, Xapian::docid id) {
  const std::string word = rarest_word(Xapian::Database(db), id);
  REQUIRE(!word.empty());
  INFO("searched: " << word);
  const auto r = run_fundstelle({"search", "--db", db, "--limit", "50", word});
  CHECK_THAT(r.err, Catch::Contains("warning: 1 matching passage was left out") && Catch::Contains("damaged"));
  SearchOptions o;
  o.limit = 50;
  const auto results = Searcher(db).search(word, o);
  REQUIRE(results.warnings.size() == 1);
  CHECK_THAT(results.warnings[0], Catch::Contains("damaged"));
}

TEST_CASE("cli: check says an index is sound, and names what is wrong in a damaged one", "[e2e][reindex][check]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  REQUIRE(run_fundstelle({"index", "--db", db, test::corpus_dir().string()}).exit_code == 0);
  const auto sound = run_fundstelle({"check", "--db", db});
  CHECK(sound.exit_code == 0);
  CHECK_THAT(sound.out, Catch::Contains("articles: 5, passages: 42"));
  CHECK_THAT(sound.out, Catch::Contains("Xapian check: ok"));
  CHECK_THAT(sound.out, Catch::Contains("the index is sound"));

  SECTION("a passage missing") {
    Xapian::WritableDatabase raw(db);
    auto it = raw.postlist_begin("XKarticle");
    raw.delete_document(*it);
    raw.commit();
    const auto r = run_fundstelle({"check", "--db", db});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("passages in the index") || Catch::Contains("not numbered"));
    CHECK_THAT(r.out, Catch::Contains("the index has problems"));
  }
  SECTION("a passage of an older version of its article") {
    change_passage_data(db, "XKcomment", [](std::string stored) {
      auto data = schema::decode_passage(stored);
      REQUIRE(data);
      data->revision = 0;
      return schema::encode_passage(*data);
    });
    const auto r = run_fundstelle({"check", "--db", db});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("1 of") && Catch::Contains("another version of the article"));
  }
  SECTION("a passage whose stored data is damaged") {
    const Xapian::docid id = change_passage_data(
        db, "XKarticle", [](std::string) { return "{\"text\": \"not a passage of this schema\"}"; });
    const auto r = run_fundstelle({"check", "--db", db});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("1 passages are damaged"));
    check_search_warns(db, id);
  }
  SECTION("a byte flipped in a passage's stored text") {
    change_passage_data(db, "XKarticle", [](std::string data) {
      data[data.size() - 3] = static_cast<char>(data[data.size() - 3] ^ 0x01);  // in the text, still valid UTF-8
      return data;
    });
    const auto r = run_fundstelle({"check", "--db", db});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("1 passages are damaged"));
    // The article's text is stored once, partly in that passage: its stored text cannot be read back, and
    // export leaves the article out rather than write it with a hole or a changed word, and says so.
    CHECK_THAT(r.out, Catch::Contains("the stored text of article") && Catch::Contains("cannot be read back"));
    const auto e = run_fundstelle({"export", "--db", db});
    CHECK(e.exit_code == 2);
    CHECK(std::count(e.out.begin(), e.out.end(), '\n') == 4);
    CHECK_THAT(e.err, Catch::Contains("1 articles not exported") && Catch::Contains("damaged"));
  }
  SECTION("a byte flipped in an article's stored text") {
    Xapian::WritableDatabase raw(db);
    REQUIRE(raw.metadata_keys_begin("T:") != raw.metadata_keys_end("T:"));
    const std::string key = *raw.metadata_keys_begin("T:");
    std::string text = raw.get_metadata(key);
    text[text.size() / 2] = static_cast<char>(text[text.size() / 2] ^ 0x01);
    raw.set_metadata(key, text);
    raw.commit();
    const auto r = run_fundstelle({"check", "--db", db});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("the stored text of article") && Catch::Contains("cannot be read back"));
  }
  SECTION("a byte flipped in an article's record") {
    Xapian::WritableDatabase raw(db);
    REQUIRE(raw.metadata_keys_begin("A:") != raw.metadata_keys_end("A:"));
    const std::string key = *raw.metadata_keys_begin("A:");
    std::string record = raw.get_metadata(key);
    const std::size_t title = record.find("\"title\":\"");
    REQUIRE(title != std::string::npos);
    const std::size_t at = title + 10;  // the title's first letter: the JSON stays valid, only the checksum tells
    record[at] = static_cast<char>(record[at] ^ 0x01);
    REQUIRE(nlohmann::json::accept(record.substr(9)));
    raw.set_metadata(key, record);
    raw.commit();
    const auto r = run_fundstelle({"check", "--db", db});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("the record of article") && Catch::Contains("is damaged"));
    // A passage of that article (its key follows "A:") whose word only it holds, or few others.
    const Xapian::docid id = *raw.postlist_begin("XA" + key.substr(2));
    check_search_warns(db, id);
  }
  SECTION("passages without an article record") {
    Xapian::WritableDatabase raw(db);
    for (auto it = raw.metadata_keys_begin("A:"); it != raw.metadata_keys_end("A:"); ++it) {
      raw.set_metadata(*it, "");
      break;
    }
    raw.commit();
    const auto r = run_fundstelle({"check", "--db", db});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("but no article record"));
  }
  SECTION("a damaged table") {
    // Overwrite the middle of the postings table: Xapian's own check must notice.
    const auto table = std::filesystem::path(db) / "postlist.glass";
    std::fstream f(table, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(table) / 2));
    const std::string junk(4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    f.close();
    const auto r = run_fundstelle({"check", "--db", db});
    CHECK(r.exit_code != 0);
    CHECK(r.out.find("the index is sound") == std::string::npos);
  }
  const auto missing = run_fundstelle({"check", "--db", (dir / "none").string()});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("no index at"));
}

TEST_CASE("cli: a read-only index folder gives a clear error and stays as it was", "[e2e][reindex]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  REQUIRE(run_fundstelle({"index", "--db", db, test::seed("003_").string()}).exit_code == 0);
  std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                               std::filesystem::perms::group_exec |
                                               std::filesystem::perms::others_read |
                                               std::filesystem::perms::others_exec);
  ::chmod(db.c_str(), 0555);
  const auto r = run_fundstelle({"index", "--db", db, test::corpus_dir().string()}, as_unprivileged());
  ::chmod(db.c_str(), 0755);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("cannot write to the index") && Catch::Contains("read-only"));
  CHECK(articles_in(db) == 1);
  CHECK(check_index(db).ok());
}

TEST_CASE("cli: a full disk (ulimit -f) gives a clear error and leaves the last commit intact", "[e2e][reindex]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  REQUIRE(run_fundstelle({"index", "--db", db, test::corpus_dir().string()}).exit_code == 0);
  std::uintmax_t largest = 0;
  for (const auto& e : std::filesystem::directory_iterator(db)) largest = std::max(largest, e.file_size());
  const auto feed = dir / "big.jsonl";
  test::write_text(feed, test::synthetic_feed(3000, "A"));
  // Room for the files as they are plus a little: the feed cannot fit. (dash, Debian's sh, counts 512-byte
  // blocks; bash 1024-byte ones: either way far too little for the feed.)
  const std::string limit = "ulimit -f " + std::to_string(largest / 512 + 128) + ";";
  const auto r = run_fundstelle({"index", "--db", db, feed.string()}, limit);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("File too large") && Catch::Contains("last commit"));
  CHECK(articles_in(db) == 5);
  CHECK(check_index(db).ok());
  CHECK(finds(db, "Nürburgring"));
  // With room again, the same run completes.
  CHECK(run_fundstelle({"index", "--db", db, feed.string()}).exit_code == 0);
  CHECK(articles_in(db) == 3005);
}

TEST_CASE("cli: export writes every article as a feed line that index reads back: export, index, export agree",
          "[e2e][reindex][export]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  // Every field of the feed format, escapes, a comment with all its fields, a body of three paragraphs.
  const auto feed = dir / "feed.jsonl";
  test::write_text(feed, R"({"id":"voll","title":"Über \"alles\"","url":"https://example.org/a?b=1","published":)"
                         R"("2025-03-22T10:15:00+01:00","author":"Ä. Autor","tags":["Auto","E-Mobilität"],"body":)"
                         R"("Erster Absatz.\n\nZweiter\tAbsatz.\n\nDritter Absatz.","comments":[{"id":"c1","author":)"
                         R"("leser","published":"2025-03-23","text":"Zeile eins\nZeile zwei"},{"text":"Kurz."}],)"
                         R"("unbekannt":1})"
                         "\n");
  REQUIRE(run_fundstelle({"index", "-q", "--db", db, test::corpus_dir().string(), feed.string()}).exit_code == 0);
  const auto first = run_fundstelle({"export", "--db", db});
  REQUIRE(first.exit_code == 0);
  // One line per article; the feed's article as given (its unknown field left out, as the index never had it).
  CHECK(std::count(first.out.begin(), first.out.end(), '\n') == 6);
  CHECK_THAT(first.out,
             Catch::Contains(R"({"id":"voll","title":"Über \"alles\"","url":"https://example.org/a?b=1",)"
                             R"("published":"2025-03-22T10:15:00+01:00","author":"Ä. Autor","tags":["Auto",)"
                             R"("E-Mobilität"],"body":"Erster Absatz.\n\nZweiter\tAbsatz.\n\nDritter Absatz.",)"
                             R"("comments":[{"id":"c1","author":"leser","published":"2025-03-23","text":)"
                             R"("Zeile eins\nZeile zwei"},{"text":"Kurz."}]})"));
  // A .txt article comes out as read: its title, its paragraphs and its comments, the page clutter left out.
  CHECK_THAT(first.out, Catch::Contains(R"({"id":"000_66cfcd6311f7813d.txt","title":"Ferrari: )"));
  CHECK_THAT(first.out, !Catch::Contains("Schreibe einen Kommentar"));
  const auto exported = dir / "export.jsonl";
  test::write_text(exported, first.out);
  const std::string again = (dir / "again").string();
  REQUIRE(run_fundstelle({"index", "-q", "--db", again, exported.string()}).exit_code == 0);
  const auto second = run_fundstelle({"export", "--db", again});
  CHECK(second.exit_code == 0);
  CHECK(second.out == first.out);
  // The same articles, searched the same.
  for (const std::string q : {"Entwicklungszentrum München", "Beteiligung", "Zeile zwei"}) {
    INFO(q);
    const auto a = Searcher(db).search(q), b = Searcher(again).search(q);
    REQUIRE(a.hits.size() == b.hits.size());
    for (std::size_t i = 0; i < a.hits.size(); ++i) CHECK(a.hits[i].text == b.hits[i].text);
  }
  // An empty index: nothing to export, exit 1.
  const std::string empty = (dir / "empty").string();
  { Indexer make(empty); }
  const auto none = run_fundstelle({"export", "--db", empty});
  CHECK(none.exit_code == 1);
  CHECK(none.out.empty());
}

TEST_CASE("an article's text is stored once when a file holds it too, whole when the index is its only copy",
          "[e2e][reindex][export]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  zeppelin_and_seeds(db, "gepostet", {"Der Zeppelin landet in Friedrichshafen.", "Er startet morgen wieder."});
  const auto before = run_fundstelle({"export", "--db", db});
  REQUIRE(before.exit_code == 0);
  {
    Xapian::Database raw(db);
    std::size_t residues = 0;
    for (auto it = raw.metadata_keys_begin("T:"); it != raw.metadata_keys_end("T:"); ++it) {
      const std::string stored = raw.get_metadata(*it);
      REQUIRE_FALSE(stored.empty());
      INFO(*it);
      // The seed articles' files hold their text: the record keeps what their passages do not. The posted
      // article's only copy is the index's: whole, apart from its passages.
      CHECK(stored.front() == (*it == "T:gepostet" ? 'z' : 'r'));
      residues += stored.front() == 'r';
    }
    CHECK(residues == 5);
  }
  // A passage of the posted article damaged: its text still reads back whole.
  change_passage_data(db, "XAgepostet", [](std::string) { return std::string("damaged"); });
  const auto after = run_fundstelle({"export", "--db", db});
  CHECK(after.exit_code == 0);
  CHECK(after.out == before.out);
}

TEST_CASE("cli: articles an earlier version indexed without their text: export names them, a rebuild keeps them",
          "[e2e][reindex][export]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  zeppelin_and_seeds(db, "alt", {"Der Zeppelin landet in Friedrichshafen."});
  {  // What an index written before the text was kept looks like.
    Xapian::WritableDatabase w(db, Xapian::DB_OPEN);
    w.set_metadata("T:alt", "");
    w.commit();
  }
  const auto r = run_fundstelle({"export", "--db", db});
  CHECK(r.exit_code == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 5);
  CHECK_THAT(r.err, Catch::Contains("1 articles not exported") && Catch::Contains("\"alt\""));
  const auto rebuilt = run_fundstelle({"index", "--rebuild", "--db", db, test::corpus_dir().string()});
  CHECK(rebuilt.exit_code == 0);
  CHECK_THAT(rebuilt.err, Catch::Contains("kept 1 articles that have no source file"));
  CHECK(finds(db, "Zeppelin"));
  CHECK(check_index(db).ok());
}

TEST_CASE("cli: one file is one article whatever path it was given by, a moved source folder keeps its ids",
          "[e2e][reindex][sources]") {
  TempDir dir;
  const auto news = dir / "news";
  std::filesystem::create_directories(news / "corpus");
  for (const auto& e : std::filesystem::directory_iterator(test::corpus_dir()))
    std::filesystem::copy_file(e.path(), news / "corpus" / e.path().filename());
  std::filesystem::create_directories(news / "extra");
  test::write_text(news / "extra" / "zeppelin.txt", "Zeppelin\n\nDer Zeppelin landet in Friedrichshafen.\n");
  const std::string db = (dir / "index").string();
  const auto index = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"index", "--db", db});
    const auto r = run_fundstelle(args);
    CHECK(r.exit_code == 0);
    return r.out;
  };
  // A first import on two threads (built beside the index, which it then replaces: the folders must stay).
  CHECK_THAT(index({"--threads", "2", (news / "corpus").string() + "/"}), Catch::Contains("5 added"));
  // The folder above: the five files keep their ids, only the new one is added.
  CHECK_THAT(index({news.string()}), Catch::Contains("1 added, 0 replaced, 5 unchanged"));
  // A file by itself, and through a path with a detour: the same article.
  CHECK_THAT(index({(news / "corpus" / "003_ce834fd1b3523358.txt").string()}), Catch::Contains("1 unchanged"));
  CHECK_THAT(index({(news / "extra" / ".." / "corpus").string()}), Catch::Contains("5 unchanged"));
  CHECK_THAT(index({"--prune", news.string()}), Catch::Contains("6 unchanged, 0 removed"));
  CHECK(articles_in(db) == 6);
  CHECK(Searcher(db).article("003_ce834fd1b3523358.txt"));
  CHECK(Searcher(db).article("extra/zeppelin.txt"));
  const auto listed = run_fundstelle({"sources", "--db", db});
  CHECK(listed.exit_code == 0);
  CHECK(listed.out == (news / "corpus").string() + "\n" + news.string() + "\n");  // no trailing '/'
  // Listing needs no writer lock: it works while a writer holds it.
  {
    Indexer writer(db);
    CHECK(run_fundstelle({"sources", "--db", db}).out == listed.out);
  }

  // The folder renamed and the index told: indexing it again changes nothing, and --prune keeps all.
  std::filesystem::rename(news / "corpus", news / "archiv");
  const auto moved =
      run_fundstelle({"sources", "--db", db, "--move", (news / "corpus").string() + "/", (news / "archiv").string()});
  CHECK(moved.exit_code == 0);
  CHECK_THAT(moved.out, Catch::Contains("5 articles"));
  CHECK_THAT(index({"--prune", news.string()}), Catch::Contains("0 added, 0 replaced, 6 unchanged, 0 removed"));
  CHECK(articles_in(db) == 6);
  CHECK(check_index(db).ok());
  // The outer folder moved: the one remembered inside it moves with it, and stays first.
  std::filesystem::rename(news, dir / "zeitung");
  const auto outer = run_fundstelle({"sources", "--db", db, "--move", news.string(), (dir / "zeitung").string()});
  CHECK(outer.exit_code == 0);
  CHECK_THAT(outer.out, Catch::Contains("6 articles"));
  CHECK(run_fundstelle({"sources", "--db", db}).out ==
        (dir / "zeitung" / "archiv").string() + "\n" + (dir / "zeitung").string() + "\n");
  CHECK_THAT(index({"--prune", (dir / "zeitung").string()}),
             Catch::Contains("0 added, 0 replaced, 6 unchanged, 0 removed"));
  // Moving what is not a source folder is an error.
  const auto wrong = run_fundstelle({"sources", "--db", db, "--move", (dir / "nirgends").string(), news.string()});
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.err, Catch::Contains("is not a source folder"));

  // An index from before the folders were remembered learns them from its articles.
  {
    Xapian::WritableDatabase w(db, Xapian::DB_OPEN);
    w.set_metadata("fundstelle:sources", "");
    w.commit();
  }
  CHECK_THAT(run_fundstelle({"sources", "--db", db}).out,
             Catch::StartsWith((dir / "zeitung" / "archiv").string() + "\n"));
  CHECK_THAT(index({(dir / "zeitung" / "archiv").string()}), Catch::Contains("5 unchanged"));
  CHECK(articles_in(db) == 6);
}

TEST_CASE("cli: a source folder given by mistake is forgotten, its articles kept", "[e2e][reindex][sources]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "home" / "news");
  test::write_text(dir / "home" / "notiz.txt", "Notiz\n\nEin Zettel über den Zeppelin.\n");
  test::write_text(dir / "home" / "news" / "a.txt", "Luftschiff\n\nDer Zeppelin landet in Friedrichshafen.\n");
  const std::string db = (dir / "index").string();
  REQUIRE(run_fundstelle({"index", "-q", "--db", db, (dir / "home").string()}).exit_code == 0);
  CHECK(Searcher(db).article("news/a.txt"));
  const auto forgot = run_fundstelle({"sources", "--db", db, "--forget", (dir / "home").string()});
  CHECK(forgot.exit_code == 0);
  CHECK(run_fundstelle({"sources", "--db", db}).exit_code == 1);  // none left
  CHECK(articles_in(db) == 2);
  // The folder meant is named by itself from now on.
  REQUIRE(run_fundstelle({"index", "-q", "--db", db, (dir / "home" / "news").string()}).exit_code == 0);
  CHECK(Searcher(db).article("a.txt"));
  CHECK(run_fundstelle({"sources", "--db", db}).out == (dir / "home" / "news").string() + "\n");
  const auto wrong = run_fundstelle({"sources", "--db", db, "--forget", (dir / "home").string()});
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.err, Catch::Contains("is not a source folder"));
}

TEST_CASE("a rebuild stopped while it writes posted articles anew stays unfinished and loses nothing",
          "[e2e][reindex][export]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  {
    Indexer indexer(db);
    for (int i = 0; i < 30; ++i) {
      Article a;
      a.id = "post-" + std::to_string(i);
      a.paragraphs = {"Der Zeppelin Nummer " + std::to_string(i) + " landet in Friedrichshafen."};
      indexer.put(a);  // no source file, as if posted
    }
    indexer.commit();
  }
  REQUIRE(Indexer(db).index_paths({test::corpus_dir().string()}).added == 5);
  // How often a whole rebuild asks whether to stop: the last 30 times are for the posted articles.
  std::size_t asked = 0;
  IndexOptions counting;
  counting.stop = [&] { return ++asked, false; };
  REQUIRE(Indexer(db, true).index_paths({test::corpus_dir().string()}, counting).replaced == 35);
  const std::size_t whole = asked;
  REQUIRE(whole > 30);
  // Stopped halfway through the posted articles.
  asked = 0;
  IndexOptions stopping;
  stopping.stop = [&] { return ++asked > whole - 15; };
  const auto stopped = Indexer(db, true).index_paths({test::corpus_dir().string()}, stopping);
  CHECK(stopped.interrupted);
  CHECK(stopped.replaced > 5);  // the five files, and some posted articles written anew before the stop
  CHECK(stopped.replaced < 35);
  CHECK(articles_in(db) == 35);
  CHECK(finds(db, "Zeppelin"));
  // The rebuild is not finished: a plain run refuses, a rebuild completes it.
  CHECK_THROWS_AS(Indexer(db), IndexError);
  const auto again = Indexer(db, true).index_paths({test::corpus_dir().string()});
  CHECK_FALSE(again.interrupted);
  CHECK(again.replaced == 35);
  CHECK(articles_in(db) == 35);
  CHECK(check_index(db).ok());
}
