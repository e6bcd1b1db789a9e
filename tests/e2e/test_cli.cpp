// The acceptance points through the `fundstelle` binary: output, JSON Lines, exit codes, errors.
#include <catch2/catch.hpp>

#include <cctype>

#include <nlohmann/json.hpp>

#include "test_support.h"

using fundstelle::test::run_fundstelle;
using fundstelle::test::TempDir;

namespace {

struct CliIndex {
  TempDir dir;
  std::string db = (dir / "index").string();
  fundstelle::test::RunResult indexed;
  CliIndex() { indexed = run_fundstelle({"index", "--db", db, fundstelle::test::corpus_dir().string()}); }
  fundstelle::test::RunResult search(std::vector<std::string> args) {
    args.insert(args.begin(), {"search", "--db", db});
    return run_fundstelle(args);
  }
};

// Every line of `search --json` output.
std::vector<nlohmann::json> all_json_lines(const std::string& out) {
  std::vector<nlohmann::json> rows;
  std::size_t start = 0;
  while (start < out.size()) {
    const auto nl = out.find('\n', start);
    const auto line = out.substr(start, nl - start);
    if (!line.empty()) rows.push_back(nlohmann::json::parse(line));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return rows;
}

// Its hit lines (not the closing summary).
std::vector<nlohmann::json> json_lines(const std::string& out) {
  std::vector<nlohmann::json> hits;
  for (auto& row : all_json_lines(out))
    if (row["type"] == "hit") hits.push_back(std::move(row));
  return hits;
}

}  // namespace

TEST_CASE("cli: index reports a summary, and everything unchanged the second time", "[e2e][cli]") {
  CliIndex ix;
  CHECK(ix.indexed.exit_code == 0);
  CHECK(ix.indexed.out.find("5 added") != std::string::npos);
  const auto again = run_fundstelle({"index", "--db", ix.db, fundstelle::test::corpus_dir().string()});
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("0 added, 0 replaced, 5 unchanged, 0 removed, 0 skipped") != std::string::npos);
}

TEST_CASE("cli: search prints ranked passages, JSON Lines with highlight spans", "[e2e][cli][acceptance]") {
  CliIndex ix;
  const auto plain = ix.search({"Entwicklungszentrum", "München"});
  CHECK(plain.exit_code == 0);
  // The rewrite first: the compound's parts are searched too.
  CHECK(plain.out.starts_with("also searched: Entwicklungszentrum \xE2\x86\x92 Entwicklung + Zentrum (near each "
                              "other)\n\n1. "));
  CHECK(plain.out.find("003_") != std::string::npos);
  CHECK(plain.out.find("\x1b[") == std::string::npos);  // no colour when not on a terminal
  const auto colored = ix.search({"--color", "always", "München"});
  CHECK(colored.out.find("\x1b[1;33mMünchen\x1b[0m") != std::string::npos);

  // With --exact, exactly the typed words (and the compounds' parts) are highlighted.
  const auto r = ix.search({"--json", "--exact", "Entwicklungszentrum München"});
  REQUIRE(r.exit_code == 0);
  const auto rows = json_lines(r.out);
  REQUIRE_FALSE(rows.empty());
  const auto& top = rows.front();
  CHECK(top["rank"] == 1);
  CHECK(top["article"].get<std::string>().starts_with("003_"));
  for (const char* field : {"score", "title", "kind", "text", "highlights", "ordinal", "span"})
    CHECK(top.contains(field));
  for (const auto& row : rows) {
    for (const auto& span : row["highlights"]) {
      const std::string word = fundstelle::test::slice_code_points(row["text"], span[0], span[1]);
      CHECK((word == "Entwicklungszentrum" || word == "München" || word.find("Entwicklung") != std::string::npos ||
             word.find("entwicklung") != std::string::npos || word.find("zentrum") != std::string::npos));
    }
  }
}

TEST_CASE("cli: acceptance queries through the binary", "[e2e][cli][acceptance]") {
  CliIndex ix;
  for (const std::string q : {"Muenchen", "munchen"}) {
    const auto r = ix.search({"--json", q});
    REQUIRE(r.exit_code == 0);
    CHECK(json_lines(r.out).front()["text"].get<std::string>().find("München") != std::string::npos);
  }
  for (const std::string q : {"Partnerschaften", "Nürburgring", "\"Samsung SDI\"", "SU7", "293.724"}) {
    INFO(q);
    CHECK(ix.search({q}).exit_code == 0);
  }
  const auto comments = ix.search({"--json", "--kind", "comment", "China"});
  REQUIRE(comments.exit_code == 0);
  for (const auto& row : json_lines(comments.out)) {
    CHECK(row["kind"] == "comment");
    CHECK(row["article"].get<std::string>().starts_with("001_"));
  }
  for (const std::string q : {"E-Mail-Adresse", "Werbung"}) {
    INFO(q);
    const auto r = ix.search({"--kind", "article", q});
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
  }
  // Beteiligung is not in the corpus: found through its synonyms, said so; exactly, nothing (exit 1).
  const auto expanded = ix.search({"Beteiligung"});
  CHECK(expanded.exit_code == 0);
  CHECK(expanded.out.find("also searched: Beteiligung") != std::string::npos);
  CHECK(expanded.out.find("Anteilseigner von Leapmotor") != std::string::npos);
  const auto none = ix.search({"--exact", "Beteiligung"});
  CHECK(none.exit_code == 1);
  CHECK(none.out.empty());
  CHECK(none.err.find("no matches") != std::string::npos);
}

TEST_CASE("cli: errors have exit code 2 and say what is wrong", "[e2e][cli]") {
  CliIndex ix;
  const auto bad = ix.search({"\"Samsung SDI"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("query error at character 1") != std::string::npos);
  CHECK(bad.err.find("^") != std::string::npos);
  const auto unbalanced = ix.search({"(Ferrari OR Xiaomi"});
  CHECK(unbalanced.exit_code == 2);
  CHECK(unbalanced.err.find("'('") != std::string::npos);

  // A long query is shown around the error, with the caret under it.
  const auto long_query = ix.search({std::string(300, 'x') + " (Ferrari " + std::string(300, 'y')});
  CHECK(long_query.exit_code == 2);
  CHECK(long_query.err.size() < 400);
  CHECK(long_query.err.find("(Ferrari") != std::string::npos);
  CHECK(long_query.err.find("character 302") != std::string::npos);

  TempDir empty;
  const auto missing = run_fundstelle({"search", "--db", (empty / "none").string(), "Ferrari"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("fundstelle index") != std::string::npos);

  CHECK(run_fundstelle({}).exit_code == 2);
  CHECK(run_fundstelle({"search"}).exit_code == 2);
  CHECK(run_fundstelle({"search", "--kind", "tweet", "x"}).exit_code == 2);
  CHECK(run_fundstelle({"frobnicate"}).exit_code == 2);
  CHECK(run_fundstelle({"--help"}).exit_code == 0);
  const auto version = run_fundstelle({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.find("fundstelle 0.") != std::string::npos);

  // A date bound that is no date is named by its option (not compared as text and silently empty).
  const auto date = ix.search({"--from", "2025-13-45", "Ferrari"});
  CHECK(date.exit_code == 2);
  CHECK_THAT(date.err, Catch::Contains("--from \"2025-13-45\" is not a date (2025, 2025-01"));
  CHECK_THAT(ix.search({"--to", "morgen", "Ferrari"}).err, Catch::Contains("--to \"morgen\" is not a date"));
  const auto reversed = ix.search({"--from", "2025-06", "--to", "1.1.25", "Ferrari"});
  CHECK(reversed.exit_code == 2);
  CHECK_THAT(reversed.err, Catch::Contains("--to \"1.1.25\" is before --from \"2025-06\""));

  // A mistyped command or option is named, with the one likely meant.
  const auto command = run_fundstelle({"serch", "Ferrari"});
  CHECK(command.exit_code == 2);
  CHECK_THAT(command.err, Catch::Contains("unknown command \"serch\"; did you mean \"search\"?"));
  CHECK_THAT(command.err,
             Catch::Contains("(commands: index, check, compact, export, sources, search, serve, completion)"));
  // A mistyped command before a word that is a command: the mistyped one is named.
  const auto before = run_fundstelle({"serch", "index"});
  CHECK(before.exit_code == 2);
  CHECK_THAT(before.err, Catch::Contains("unknown command \"serch\"; did you mean \"search\"?"));
  const auto far = run_fundstelle({"frobnicate"});
  CHECK_THAT(far.err, Catch::Contains("unknown command \"frobnicate\" (commands:"));
  CHECK_THAT(far.err, !Catch::Contains("did you mean"));
  const auto option = run_fundstelle({"search", "--db", ix.db, "--limt", "3", "Ferrari"});
  CHECK(option.exit_code == 2);
  CHECK_THAT(option.err, Catch::Contains("fundstelle search: unknown option --limt; did you mean --limit?"));
  CHECK_THAT(run_fundstelle({"index", "--prnue", "x"}).err, Catch::Contains("did you mean --prune?"));

  const auto missing_input = run_fundstelle({"index", "--db", ix.db, (empty / "nope").string()});
  CHECK(missing_input.exit_code == 2);
  CHECK(missing_input.err.find("no such file or folder") != std::string::npos);
}

TEST_CASE("cli: the manual page and the shell completions list every command and option --help gives",
          "[e2e][cli][manual]") {
  const auto man = run_fundstelle({"manpage"});
  REQUIRE(man.exit_code == 0);
  CHECK(man.out.starts_with(".\\\" fundstelle(1)"));
  const auto bash = run_fundstelle({"completion", "bash"});
  REQUIRE(bash.exit_code == 0);
  CHECK_THAT(bash.out, Catch::Contains("complete -F _fundstelle fundstelle"));
  const auto zsh = run_fundstelle({"completion", "zsh"});
  REQUIRE(zsh.exit_code == 0);
  CHECK(zsh.out.starts_with("#compdef fundstelle\n"));
  CHECK(run_fundstelle({"completion", "fish"}).exit_code == 2);
  // The manual page is made by the build, not a command for people: --help does not list it.
  CHECK_THAT(run_fundstelle({"--help"}).out, !Catch::Contains("manpage"));
  for (const char* command : {"index", "check", "compact", "export", "sources", "search", "serve", "completion"}) {
    INFO(command);
    CHECK_THAT(man.out, Catch::Contains(std::string(".SS ") + command + "\n"));
    CHECK_THAT(bash.out, Catch::Contains(std::string("    ") + command + ")\n"));
    CHECK_THAT(zsh.out, Catch::Contains(std::string("'") + command + ":"));
    // Every long option the command's --help names.
    const std::string help = run_fundstelle({command, "--help"}).out;
    for (std::size_t at = help.find("--"); at != std::string::npos; at = help.find("--", at + 2)) {
      std::size_t end = at + 2;
      while (end < help.size() && (std::isalnum(static_cast<unsigned char>(help[end])) || help[end] == '-')) ++end;
      const std::string option = help.substr(at, end - at);
      if (option.size() < 4 || option == "--help") continue;
      INFO(option);
      std::string in_roff;
      for (const char c : option) in_roff += c == '-' ? std::string("\\-") : std::string(1, c);
      CHECK_THAT(man.out, Catch::Contains("\\fB" + in_roff + "\\fR"));
      CHECK_THAT(bash.out, Catch::Contains(" " + option));
      CHECK_THAT(zsh.out, Catch::Contains(option));
    }
  }
  // An option with a few values completes them.
  CHECK_THAT(bash.out,
             Catch::Contains("--sort) COMPREPLY=($(compgen -W 'relevance newest oldest' -- \"$cur\")); return ;;"));
  CHECK_THAT(zsh.out, Catch::Contains(":(relevance newest oldest)'"));
  // So does a positional argument with a few values; a query is typed (no files offered), paths are files.
  CHECK_THAT(bash.out, Catch::Contains("options='-h --help' values='bash zsh' files=\n"));
  CHECK_THAT(bash.out, Catch::Contains(" --shard-timeout --color' values='' files=\n"));  // search
  CHECK_THAT(bash.out, Catch::Contains(" -q --quiet --progress' values='' files=1\n"));   // index
  CHECK_THAT(zsh.out, Catch::Contains("'1:shell:(bash zsh)'"));
  // A value with a name of its own is shown with it.
  CHECK_THAT(man.out, Catch::Contains("\\fB\\-\\-move\\fR \\fIFROM TO\\fR"));
}

TEST_CASE("cli: a corrected query says what it corrected, on the terminal and in JSON", "[e2e][cli][spelling]") {
  CliIndex ix;
  const auto plain = ix.search({"--color", "never", "Entwicklungszentrum", "Münchn"});
  CHECK(plain.exit_code == 0);
  CHECK(plain.out.rfind("showing results for: Entwicklungszentrum München (corrected from: Münchn)\n", 0) == 0);
  const auto rows = json_lines(ix.search({"--json", "Entwicklungszentrum Münchn"}).out);
  REQUIRE_FALSE(rows.empty());
  CHECK(rows[0]["corrected"] == true);
  CHECK(rows[0]["suggestion"] == "Entwicklungszentrum München");
  CHECK(rows[0]["corrections"] == nlohmann::json::parse(R"([{"word": "Münchn", "corrected": "München"}])"));
  // --exact corrects nothing: the misspelt word finds nothing, the other word finds its passages.
  const auto exact = json_lines(ix.search({"--json", "--exact", "Entwicklungszentrum Münchn"}).out);
  REQUIRE_FALSE(exact.empty());
  CHECK_FALSE(exact[0].contains("corrected"));
  CHECK(exact[0]["unknown"] == nlohmann::json::parse(R"(["Münchn"])"));  // and says so
}

TEST_CASE("cli: words left out and words the index does not hold are said, not dropped silently",
          "[e2e][cli][understanding]") {
  CliIndex ix;
  const auto plain = ix.search({"--color", "never", "Merkel", "und", "der", "Leapmotor"});
  CHECK(plain.exit_code == 0);  // Leapmotor finds passages
  CHECK(plain.out.find("not in the index: Merkel\n") != std::string::npos);
  CHECK(plain.out.find("ignored (too common): und, der\n") != std::string::npos);
  const auto rows = json_lines(ix.search({"--json", "Merkel und der Leapmotor"}).out);
  REQUIRE_FALSE(rows.empty());
  CHECK(rows[0]["unknown"] == nlohmann::json::parse(R"(["Merkel"])"));
  CHECK(rows[0]["ignored"] == nlohmann::json::parse(R"(["und", "der"])"));
  CHECK_FALSE(rows[0].contains("corrected"));  // a capitalised name is no typo of a word the index holds
  const auto exact = json_lines(ix.search({"--json", "--exact", "Merkel und der Leapmotor"}).out);
  REQUIRE_FALSE(exact.empty());
  CHECK(exact[0]["ignored"].empty());  // --exact leaves no word out
  const auto known = json_lines(ix.search({"--json", "Leapmotor"}).out);
  REQUIRE_FALSE(known.empty());
  CHECK(known[0]["unknown"].empty());
  CHECK(known[0]["ignored"].empty());
  // A name alone that the index does not hold: nothing found, exit code 1.
  CHECK(ix.search({"--color", "never", "Merkel"}).exit_code == 1);
}

TEST_CASE("cli: --json ends with a summary record, also when nothing is found", "[e2e][cli]") {
  CliIndex ix;
  const auto r = ix.search({"--json", "--limit", "3", "--offset", "1", "Xiaomi"});
  REQUIRE(r.exit_code == 0);
  const auto rows = all_json_lines(r.out);
  REQUIRE(rows.size() == 4);
  for (std::size_t i = 0; i + 1 < rows.size(); ++i) CHECK(rows[i]["type"] == "hit");
  const auto& summary = rows.back();
  CHECK(summary["type"] == "summary");
  CHECK(summary["query"] == "Xiaomi");
  CHECK(summary["returned"] == 3);
  CHECK(summary["offset"] == 1);
  CHECK(summary["limit"] == 3);
  CHECK(summary["total_estimate"].get<int>() >= 4);
  CHECK(summary["milliseconds"].get<double>() >= 0);
  CHECK(summary["unknown"].empty());
  // Nothing found: exit code 1, and the summary alone says so (returned 0), with what was corrected or unknown.
  const auto none = ix.search({"--json", "--exact", "Beteiligung"});
  CHECK(none.exit_code == 1);
  const auto only = all_json_lines(none.out);
  REQUIRE(only.size() == 1);
  CHECK(only[0]["type"] == "summary");
  CHECK(only[0]["returned"] == 0);
  CHECK(only[0]["unknown"] == nlohmann::json::parse(R"(["Beteiligung"])"));
  // A usage error prints nothing on stdout: no summary, so a script tells it from an empty answer.
  const auto bad = ix.search({"--json", "\"Samsung SDI"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.out.empty());
}

TEST_CASE("cli: --sort newest and oldest order dated passages by date", "[e2e][cli][sort]") {
  TempDir dir;
  fundstelle::test::write_text(
      dir / "feed.jsonl",
      R"({"id":"alt","title":"Alt","published":"2024-05-01","url":"http://[::1]:8080/alt",)"
      R"("body":"Der Zeppelin landet."})"
      "\n"
      R"({"id":"neu","title":"Neu","published":"2025-05-01","url":"https://leser@www.example.org:8080/z?a=1",)"
      R"("body":"Ein Zeppelin landet."})"
      "\n"
      R"({"id":"ohne","title":"Ohne","body":"Zeppelin ohne Datum."})"
      "\n");
  const std::string db = (dir / "index").string();
  REQUIRE(run_fundstelle({"index", "--db", db, (dir / "feed.jsonl").string()}).exit_code == 0);
  const auto order = [&](const char* sort) {
    std::vector<std::string> ids;
    for (const auto& row : json_lines(run_fundstelle({"search", "--db", db, "--json", "--sort", sort, "Zeppelin"}).out))
      ids.push_back(row["article"]);
    return ids;
  };
  CHECK(order("newest") == std::vector<std::string>{"neu", "alt"});
  CHECK(order("oldest") == std::vector<std::string>{"alt", "neu"});
  CHECK(order("relevance").size() == 3);
  const auto none = run_fundstelle({"search", "--db", db, "--sort", "newest", "Datum"});
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.err, Catch::Contains("sorted by date: only dated passages"));
  CHECK(run_fundstelle({"search", "--db", db, "--sort", "neueste", "Zeppelin"}).exit_code == 2);
  // The terminal shows each hit's date and source (the host of its URL) after the article id.
  const auto shown = run_fundstelle({"search", "--db", db, "--color", "never", "--sort", "newest", "Zeppelin"});
  CHECK_THAT(shown.out, Catch::Contains("   neu \xC2\xB7 2025-05-01 \xC2\xB7 www.example.org \xC2\xB7 article"));
  CHECK_THAT(shown.out, Catch::Contains("   alt \xC2\xB7 2024-05-01 \xC2\xB7 [::1] \xC2\xB7 article"));
}

TEST_CASE("cli: --json gives highlights in code points and in UTF-8 bytes, and an HTML snippet", "[e2e][cli]") {
  TempDir dir;
  fundstelle::test::write_text(
      dir / "feed.jsonl", R"({"id":"z","title":"Z","body":"Über München: ein Zeppelin & Co. <Luftschiff> \"landet\"."})"
                          "\n");
  const std::string db = (dir / "index").string();
  REQUIRE(run_fundstelle({"index", "--db", db, (dir / "feed.jsonl").string()}).exit_code == 0);
  CHECK_FALSE(json_lines(run_fundstelle({"search", "--db", db, "--json", "Zeppelin"}).out)[0].contains("snippet"));
  const auto rows = json_lines(run_fundstelle({"search", "--db", db, "--json", "--snippet", "Zeppelin"}).out);
  REQUIRE(rows.size() == 1);
  const std::string text = rows[0]["text"];
  REQUIRE(rows[0]["highlights"].size() == 1);
  const auto cp = rows[0]["highlights"][0], bytes = rows[0]["highlights_bytes"][0];
  CHECK(cp[0] == 18);  // Ü and ü are one code point, two bytes each
  CHECK(bytes[0] == 20);
  CHECK(text.substr(bytes[0], bytes[1].get<std::size_t>() - bytes[0].get<std::size_t>()) == "Zeppelin");
  CHECK(rows[0]["snippet"] ==
        "Über München: ein <mark>Zeppelin</mark> &amp; Co. &lt;Luftschiff&gt; &quot;landet&quot;.");
  const auto tagged =
      json_lines(run_fundstelle({"search", "--db", db, "--json", "--pre-tag", "[", "--post-tag", "]", "Zeppelin"}).out);
  REQUIRE(tagged.size() == 1);
  CHECK(tagged[0]["snippet"].get<std::string>().starts_with("Über München: ein [Zeppelin] &amp; Co."));
}

TEST_CASE("cli: paging with --limit and --offset", "[e2e][cli]") {
  CliIndex ix;
  const auto first = json_lines(ix.search({"--json", "--limit", "3", "Xiaomi"}).out);
  const auto second = json_lines(ix.search({"--json", "--limit", "3", "--offset", "3", "Xiaomi"}).out);
  REQUIRE(first.size() == 3);
  REQUIRE_FALSE(second.empty());
  CHECK(second.front()["rank"] == 4);
  CHECK(second.front()["text"] != first.back()["text"]);
}

TEST_CASE("cli: control characters in indexed text do not reach the terminal", "[e2e][cli]") {
  TempDir dir;
  fundstelle::test::write_text(dir / "in" / "esc.txt",
                               "Titel \x1b]0;PWNED\x07 hier\nDer Zeppelin \x1b[31mlandet\x1b[0m in Friedrichshafen.\n");
  const std::string db = (dir / "index").string();
  REQUIRE(run_fundstelle({"index", "--db", db, (dir / "in").string()}).exit_code == 0);
  const auto r = run_fundstelle({"search", "--db", db, "--color", "always", "Zeppelin"});
  REQUIRE(r.exit_code == 0);
  // Only our own colour sequences (ESC [ ... m around the highlight and the heading) remain.
  std::string without_ours = r.out;
  for (const char* seq : {"\x1b[1;33m", "\x1b[0m", "\x1b[1m", "\x1b[2m"}) {
    for (auto at = without_ours.find(seq); at != std::string::npos; at = without_ours.find(seq))
      without_ours.erase(at, std::string(seq).size());
  }
  CHECK(without_ours.find('\x1b') == std::string::npos);
  CHECK(without_ours.find('\x07') == std::string::npos);
  CHECK(r.out.find("Zeppelin") != std::string::npos);
}

TEST_CASE("cli: --author, --tag and --facets: hits show author and a comment's own date", "[e2e][cli][facets]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  const auto indexed =
      run_fundstelle({"index", "--db", db, (fundstelle::test::source_dir() / "tests/data/newsroom.jsonl").string()});
  REQUIRE(indexed.exit_code == 0);
  // A comment date that is no date is named and left out; the comment is indexed.
  CHECK_THAT(indexed.err, Catch::Contains("field 'comments[0].published' is not an ISO 8601 date (\"2025-13-45\")"));
  const auto shown = run_fundstelle({"search", "--db", db, "--color", "never", "--per-article", "0", "--facets",
                                     "author,month", "--tag", "Sachsen", "Batteriewerk"});
  REQUIRE(shown.exit_code == 0);
  CHECK_THAT(shown.out,
             Catch::Contains("   werk-sachsen \xC2\xB7 2025-01-10 \xC2\xB7 www.example.org \xC2\xB7 by Anna Meier "
                             "\xC2\xB7 article"));
  CHECK_THAT(shown.out, Catch::Contains("\xC2\xB7 comment 1 (leser1, 2025-01-12) \xC2\xB7"));
  CHECK_THAT(shown.out, Catch::Contains("\nauthor: Anna Meier (2), leser1 (1)\nmonth: 2025-01 (4)\n"));
  // JSON: the hit's author and tags, the facets in the summary.
  const auto rows = all_json_lines(
      run_fundstelle({"search", "--db", db, "--json", "--author", "leser1", "--facets", "tag", "Batteriewerk"}).out);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0]["author"] == "leser1");
  CHECK(rows[0]["kind"] == "comment");
  CHECK(rows[0].contains("tags"));
  const auto& summary = rows.back();
  REQUIRE(summary["type"] == "summary");
  CHECK(summary["facets"] == nlohmann::json::parse(R"([{"name":"tag","passages":2,"values":[
      {"value":"Elektromobilität","count":2},{"value":"Bayern","count":1},{"value":"Sachsen","count":1}]}])"));
  const auto bad = run_fundstelle({"search", "--db", db, "--facets", "autor", "Batteriewerk"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("autor"));
  // Nobody by that name: nothing found.
  CHECK(run_fundstelle({"search", "--db", db, "--author", "Niemand", "Batteriewerk"}).exit_code == 1);
}

TEST_CASE("cli: index --progress json tells the progress as JSON Lines on standard error, text as one line",
          "[e2e][cli][progress]") {
  TempDir dir;
  std::uint64_t total = 0;
  for (const auto& f : std::filesystem::directory_iterator(fundstelle::test::corpus_dir()))
    if (f.path().extension() == ".txt") total += f.file_size();
  const std::string db = (dir / "index").string();
  const auto run = run_fundstelle({"index", "--db", db, "--progress", "json", fundstelle::test::corpus_dir().string()});
  REQUIRE(run.exit_code == 0);
  std::vector<nlohmann::json> told;
  for (const auto& line : all_json_lines(run.err)) told.push_back(line);
  REQUIRE(told.size() >= 2);
  for (const auto& p : told) {
    CHECK(p["type"] == "progress");
    CHECK(p["bytes_total"] == total);
    for (const char* key : {"phase", "articles_read", "articles_written", "passages_written", "bytes_read", "percent",
                            "seconds", "bytes_per_second", "seconds_left", "source"})
      CHECK(p.contains(key));
  }
  CHECK(told.front()["phase"] == "reading");
  CHECK(told.back()["phase"] == "done");
  CHECK(told.back()["articles_written"] == 5);
  CHECK(told.back()["bytes_read"] == total);
  CHECK(told.back()["percent"] == 100.0);
  CHECK_THAT(run.out, Catch::Contains("articles: 5 added"));  // the summary stays on standard output
  // As text (what a terminal gets): one line rewritten in place.
  const auto text = run_fundstelle(
      {"index", "--db", (dir / "index2").string(), "--progress", "text", fundstelle::test::corpus_dir().string()});
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.err, Catch::Contains("\r\x1b[Kreading 0% \xC2\xB7 0.0 of "));
  CHECK_THAT(text.err, Catch::Contains(" articles read, "));
  CHECK(run_fundstelle({"index", "--db", db, "--progress", "loud", "x"}).exit_code == 2);
}
