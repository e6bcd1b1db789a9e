// Bad input of every kind the reindexing issue lists: each is reported with its file and line or byte offset
// and skipped (or repaired), and everything around it is indexed. Hostile queries get a clear error or bounded
// work.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "fundstelle/fundstelle.h"
#include "test_support.h"

using namespace fundstelle;
using fundstelle::test::run_fundstelle;
using fundstelle::test::TempDir;

namespace {

bool finds(const std::string& db, const std::string& query) {
  return run_fundstelle({"search", "--db", db, "--exact", query}).exit_code == 0;
}

// The line of standard error that mentions `where` (a file, or file:line), or "".
std::string line_about(const std::string& err, const std::string& where) {
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);)
    if (line.find(where) != std::string::npos) return line;
  return {};
}

}  // namespace

TEST_CASE("cli: every kind of bad input is reported where it is, and the rest is indexed", "[e2e][bad-input]") {
  TempDir dir;
  const auto in = dir / "input";
  std::filesystem::create_directories(in);
  test::write_text(in / "good.txt", "Gute Nachricht\n\nDie Fähre zur Zugspitzbahn fährt wieder.\n");
  test::write_text(in / "bad-utf8.txt", "Kaputte Zeichen\n\nDer Bergführer \xff\xfe Xaverl grüßt.\n");
  test::write_text(in / "late-nul.txt", "Langer Text\n\n" + std::string(9000, 'a') + " Ende.\n\nDanach ein" +
                                            std::string(1, '\0') + " Nullbyte beim Wendelstein.\n");
  test::write_text(in / "binary.txt", std::string("\x7f"
                                                  "ELF\0\0\0\x01\x02",
                                                  9) +
                                          "Maschinencode");
  test::write_text(in / "empty.txt", "");
  {
    // 100 MB on one line.
    std::ofstream huge(in / "huge.txt", std::ios::binary);
    const std::string chunk = std::string(1 << 20, 'x');
    for (int i = 0; i < 100; ++i) huge << chunk;
  }
  std::filesystem::create_directory_symlink(".", in / "loop");
  std::filesystem::create_symlink("self.txt", in / "self.txt");
  test::write_text(in / "unreadable.txt", "Geheim\n\nDer Tresor im Keller.\n");
  ::chmod((in / "unreadable.txt").c_str(), 0);

  nlohmann::json many = {{"id", "f6"}, {"title", "Leserbriefe"}, {"body", "Zehntausend Leserbriefe zum Brückenbau."}};
  many["comments"] = nlohmann::json::array();
  for (int i = 0; i < 9999; ++i) many["comments"].push_back({{"text", "Kommentar Nummer " + std::to_string(i) + "."}});
  many["comments"].push_back({{"text", "Der Schlusskommentar zum Brückenbau."}});
  const std::string feed = R"({"id": "f1", "body": "Der Fährmann Quirin rudert."})"
                           "\n"  // 1
                           R"({"id": "f2", "body": "kaputt")"
                           "\n"  // 2: broken JSON
                           R"({"id": "f3", "body": 5})"
                           "\n"  // 3: wrong type
                           R"({"id": "f4", "body": "Vier", "comments": "keine Liste"})"
                           "\n"  // 4: wrong type
                           R"({"id": "f5", "body": "Fünf", "tags": [1, 2]})"
                           "\n"  // 5: wrong type
                           + many.dump() +
                           "\n"  // 6: 10,000 comments
                           R"({"id": "f1", "body": "Der Fährmann Quirin segelt."})"
                           "\n"  // 7: f1 again, wins
                           R"({"id": "f8", "body": ")" +
                           std::string(17 << 20, 'y') +
                           "\"}\n"  // 8: 17 MiB
                           R"({"id": "f9", "body": "Mit NUL \u0000 beim Nullmeridian"})"
                           "\n"                                     // 9: an escaped NUL
                           R"({"id": "f10", "body": "abgeschnit)";  // 10: truncated
  test::write_text(in / "feed.jsonl", feed);

  const std::string db = (dir / "index").string();
  std::filesystem::create_directories(db);
  ::chmod(db.c_str(), 0777);
  // As an ordinary user when run as root: root would read the unreadable file.
  const std::string user = ::geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups" : "";
  const auto r = run_fundstelle({"index", "--db", db, in.string()}, user);
  INFO(r.err);
  CHECK(r.exit_code == 2);  // something was skipped

  const std::string root = in.string() + "/";
  CHECK_THAT(line_about(r.err, root + "bad-utf8.txt"),
             Catch::StartsWith("warning:") && Catch::Contains("(byte 33)") && Catch::Contains("invalid UTF-8"));
  CHECK_THAT(line_about(r.err, root + "late-nul.txt"),
             Catch::StartsWith("warning:") && Catch::Contains("(byte 9031)") && Catch::Contains("NUL"));
  CHECK_THAT(line_about(r.err, root + "binary.txt"),
             Catch::StartsWith("skipped:") && Catch::Contains("(byte 4)") && Catch::Contains("binary"));
  CHECK_THAT(line_about(r.err, root + "empty.txt"), Catch::StartsWith("skipped:") && Catch::Contains("empty file"));
  CHECK_THAT(line_about(r.err, root + "huge.txt"), Catch::StartsWith("skipped:") && Catch::Contains("104857600 bytes"));
  CHECK_THAT(line_about(r.err, root + "self.txt"),
             Catch::StartsWith("skipped:") && Catch::Contains("cannot follow the link"));
  CHECK_THAT(line_about(r.err, root + "loop"), Catch::StartsWith("warning:") && Catch::Contains("not followed"));
  CHECK_THAT(line_about(r.err, root + "unreadable.txt"),
             Catch::StartsWith("skipped:") && Catch::Contains("cannot open"));
  const std::string jsonl = root + "feed.jsonl:";
  CHECK_THAT(line_about(r.err, jsonl + "1:"), Catch::StartsWith("warning:") && Catch::Contains("line 7"));
  CHECK_THAT(line_about(r.err, jsonl + "2:"), Catch::StartsWith("skipped:") && Catch::Contains("not valid JSON"));
  CHECK_THAT(line_about(r.err, jsonl + "3:"), Catch::StartsWith("skipped:") && Catch::Contains("body"));
  CHECK_THAT(line_about(r.err, jsonl + "4:"), Catch::StartsWith("skipped:") && Catch::Contains("comments"));
  CHECK_THAT(line_about(r.err, jsonl + "5:"), Catch::StartsWith("skipped:") && Catch::Contains("tags"));
  CHECK(line_about(r.err, jsonl + "6:").empty());
  CHECK_THAT(line_about(r.err, jsonl + "8:"), Catch::StartsWith("skipped:") && Catch::Contains("too long"));
  CHECK(line_about(r.err, jsonl + "9:").empty());
  CHECK_THAT(line_about(r.err, jsonl + "10:"), Catch::StartsWith("skipped:") && Catch::Contains("not valid JSON"));

  // Everything around the bad input is indexed, and the index is sound.
  CHECK(finds(db, "Zugspitzbahn"));
  CHECK(finds(db, "Xaverl"));
  CHECK(finds(db, "Wendelstein"));
  CHECK(finds(db, "segelt"));
  CHECK_FALSE(finds(db, "rudert"));
  CHECK(finds(db, "Schlusskommentar"));  // the last of 10,000 comments
  CHECK(finds(db, "Nullmeridian"));
  CHECK_FALSE(finds(db, "Maschinencode"));
  CHECK_FALSE(finds(db, "Tresor"));
  const auto stored = Searcher(db).article("f6");
  REQUIRE(stored);
  CHECK(stored->passages.size() >= 10000);
  CHECK(check_index(db).ok());
}

TEST_CASE("hostile queries get a clear error or bounded work", "[e2e][bad-input][query]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  Indexer(db).index_paths({test::corpus_dir().string()});
  Searcher s(db);
  const auto error_at = [&](const std::string& q) -> std::string {
    try {
      s.search(q);
      return "no error";
    } catch (const QueryError& e) {
      return e.what() + std::string(" @") + std::to_string(e.position());
    }
  };
  std::string long_query;
  while (long_query.size() < 100000) long_query += "Ferrari ";
  CHECK_THAT(error_at(long_query), Catch::Contains("too long"));
  CHECK_THAT(error_at(std::string(10000, '(') + "Ferrari" + std::string(10000, ')')), Catch::Contains("too long"));
  CHECK_THAT(error_at(std::string(4000, '(') + "Ferrari" + std::string(4000, ')')),
             Catch::Contains("nested too deeply"));
  CHECK(error_at(std::string(60, '(') + "Ferrari" + std::string(60, ')')) == "no error");
  CHECK_THAT(error_at("\"Samsung SDI"), Catch::Contains("quote") && Catch::EndsWith("@0"));
  CHECK_THAT(error_at("Samsung SDI\""), Catch::Contains("quote"));
  CHECK_THAT(error_at("(Ferrari"), Catch::Contains("'('"));
  CHECK_THAT(error_at("Ferrari)"), Catch::Contains("')'"));
  for (const char* lone : {"AND", "OR", "NOT", "-", "+", "AND OR NOT", "Ferrari AND", "OR Ferrari", "( )", "title:"})
    CHECK_THAT(error_at(lone), !Catch::Contains("no error"));
  CHECK_THAT(error_at("Ferr\xff"
                      "ari"),
             Catch::Contains("not valid UTF-8") && Catch::EndsWith("@4"));
  CHECK_THAT(error_at(std::string("Ferrari\0China", 13)), Catch::Contains("NUL") && Catch::EndsWith("@7"));
  // Control characters separate words like spaces.
  CHECK_FALSE(s.search("Ferrari\x01\x1b[31mChina\x7f").hits.empty());

  // A wildcard on one letter stands for a bounded number of the most frequent words that begin with it.
  SearchOptions explain;
  explain.explain = true;
  explain.per_article = 0;
  explain.limit = 100;
  const auto a = s.search("a*", explain);
  REQUIRE_FALSE(a.hits.empty());
  std::set<std::string> terms;
  for (const auto& h : a.hits)
    if (h.explanation)
      for (const auto& t : h.explanation->terms) terms.insert(t.term);
  CHECK(terms.size() <= 64);
  for (const auto& t : terms) CHECK(t.front() == 'a');
  // A longer prefix finds its words, highlighted.
  const auto batt = s.search("Batterie*");
  REQUIRE_FALSE(batt.hits.empty());
  CHECK_FALSE(batt.hits.front().highlights.empty());
  // Umlauts and their spellings: the index holds stems without them.
  for (const char* q : {"Münch*", "Muench*", "münch*"}) {
    const auto m = s.search(q);
    REQUIRE_FALSE(m.hits.empty());
    CHECK(m.hits.front().text.find("München") != std::string::npos);
  }
  CHECK_THAT(error_at("*"), Catch::Contains("no words"));
  CHECK_THAT(error_at("El*ktro*"), Catch::Contains("end of a word"));
}

TEST_CASE("a link to a file outside the folder is not indexed unless --follow-links", "[e2e][bad-input][links]") {
  TempDir dir;
  const auto in = dir / "corpus";
  const auto outside = dir / "geheim";
  std::filesystem::create_directories(in / "sub");
  std::filesystem::create_directories(outside);
  test::write_text(outside / "passwort.txt", "Geheim\n\nDas Passwort lautet Schwertfisch.\n");
  test::write_text(in / "sub" / "echt.txt", "Echt\n\nDer Leuchtturm von Westerhever.\n");
  std::filesystem::create_symlink(outside / "passwort.txt", in / "passwort.txt");                  // outside: skipped
  std::filesystem::create_symlink(std::filesystem::path("sub") / "echt.txt", in / "verweis.txt");  // inside
  const std::string db = (dir / "index").string();
  const auto r = run_fundstelle({"index", "--db", db, in.string()});
  CHECK(r.exit_code == 2);  // a skipped input
  CHECK_THAT(r.err, Catch::Contains("passwort.txt"));
  CHECK_THAT(r.err, Catch::Contains("--follow-links"));
  CHECK_THAT(r.out, Catch::Contains("articles: 2 added"));  // echt.txt, and the link to it inside the folder
  CHECK(run_fundstelle({"search", "--db", db, "Schwertfisch"}).exit_code == 1);
  // Asked for, it is followed.
  const auto followed = run_fundstelle({"index", "--db", db, "--follow-links", in.string()});
  CHECK(followed.exit_code == 0);
  CHECK(run_fundstelle({"search", "--db", db, "Schwertfisch"}).exit_code == 0);
}

TEST_CASE("file names that are not UTF-8 give distinct, stable ids", "[e2e][bad-input][names]") {
  TempDir dir;
  const auto in = dir / "corpus";
  std::filesystem::create_directories(in);
  // Two Latin-1 names that repair_utf8 would both turn into M\uFFFDller.txt.
  test::write_text(in / "M\xfcller.txt", "Müller\n\nDer Müller mahlt das Korn.\n");
  test::write_text(in / "M\xf6ller.txt", "Möller\n\nDer Möller mahlt das Korn auch.\n");
  test::write_text(in / "100%.txt", "Prozent\n\nHundert Prozent Korn.\n");
  const std::string db = (dir / "index").string();
  const auto first = run_fundstelle({"index", "--db", db, in.string()});
  CHECK(first.exit_code == 0);
  CHECK_THAT(first.out, Catch::Contains("articles: 3 added"));
  const auto found = run_fundstelle({"search", "--db", db, "--json", "--per-article", "0", "--limit", "10", "Korn"});
  std::set<std::string> ids;
  std::istringstream lines(found.out);
  for (std::string line; std::getline(lines, line);)
    if (const auto row = nlohmann::json::parse(line); row["type"] == "hit")
      ids.insert(row["article"].get<std::string>());
  CHECK(ids == std::set<std::string>{"M%FCller.txt", "M%F6ller.txt", "100%.txt"});
  // Stable: a second run with --prune finds the same ids, changes nothing and removes nothing.
  const auto again = run_fundstelle({"index", "--db", db, "--prune", in.string()});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains("0 added, 0 replaced, 3 unchanged, 0 removed"));
  CHECK(run_fundstelle({"check", "--db", db}).exit_code == 0);
}
