// The fundstelle command: `index`, `search`, `check` and `serve` over the public API. Exit codes: 0 found /
// done, 1 nothing found (check: problems found), 2 usage, input or index error, 130 indexing interrupted.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>

#include "base/dates.h"
#include "base/edit_distance.h"
#include "errors.h"
#include "fundstelle/fundstelle.h"
#include "manual.h"
#include "output.h"
#include "serve.h"
#include "watch.h"

namespace {

constexpr int kFound = 0, kNothing = 1, kError = 2, kInterrupted = 130;

// Ctrl-C (or SIGTERM) while indexing: the first one asks the indexer to commit what it has done and stop (a
// first import keeps what its shards committed beside the index, for the next run); a second one leaves at
// once (the index then stays as it was at its last commit).
volatile std::sig_atomic_t g_stop = 0;
int g_wake[2] = {-1, -1};  // written on a stop signal, to wake `--watch` from waiting

extern "C" void on_stop_signal(int) {
  // A second signal stops at once: like a kill, which leaves the index as of its last commit (a first
  // import: the empty index, and its shards as they last committed, which the next run takes up).
  if (g_stop) ::_exit(kInterrupted);
  g_stop = 1;
  static const char kNote[] =
      "\nfundstelle: stopping: committing what is indexed so far (press Ctrl-C again to stop at once)\n";
  [[maybe_unused]] const ssize_t w = ::write(STDERR_FILENO, kNote, sizeof kNote - 1);
  if (g_wake[1] >= 0) [[maybe_unused]]
    const ssize_t n = ::write(g_wake[1], "x", 1);
}

void catch_stop_signals() {
  if (::pipe2(g_wake, O_CLOEXEC | O_NONBLOCK) != 0) g_wake[0] = g_wake[1] = -1;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

std::string default_index() {
  if (const char* env = std::getenv("FUNDSTELLE_INDEX"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::string(xdg) + "/fundstelle/index";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.local/share/fundstelle/index";
  return ".fundstelle/index";
}

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* term = std::getenv("TERM");
  return isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR") && !(term && std::string(term) == "dumb");
}

std::string describe(const fundstelle::Problem& p) {
  std::string where = p.source;
  if (p.line) where += ":" + std::to_string(p.line);
  if (p.has_offset && !p.line) where += " (byte " + std::to_string(p.offset) + ")";
  return where + ": " + p.message;
}

void print_problems(const fundstelle::IndexReport& report) {
  for (const auto& p : report.problems) std::cerr << (p.skipped ? "skipped: " : "warning: ") << describe(p) << '\n';
}

std::string counts(const fundstelle::IndexReport& r) {
  return std::to_string(r.added) + " added, " + std::to_string(r.replaced) + " replaced, " +
         std::to_string(r.unchanged) + " unchanged, " + std::to_string(r.removed) + " removed, " +
         std::to_string(r.skipped) + " skipped";
}

// One line for a URL of the run: "https://... : 25 items, 3 pages fetched" or "... not modified".
std::string fetch_line(const fundstelle::FetchReport& f) {
  using Outcome = fundstelle::FetchReport::Outcome;
  std::string line = f.url + ": ";
  if (f.outcome == Outcome::NotModified) return line + "not modified since the last run";
  if (f.outcome == Outcome::Failed) {
    line += "failed";
    if (f.retry_after_seconds > 0)
      line += " (the server asks to wait " + std::to_string(static_cast<long>(f.retry_after_seconds)) + " s)";
    return line;
  }
  line += std::to_string(f.items) + (f.items == 1 ? " item" : " items");
  if (f.pages + f.pages_refused + f.pages_failed > 0)
    line += ", " + std::to_string(f.pages) + " pages read, " + std::to_string(f.pages_refused) +
            " refused by robots.txt, " + std::to_string(f.pages_failed) + " not read";
  return line;
}

struct IndexCommand {
  std::vector<std::string> paths;
  bool prune = false, rebuild = false, quiet = false, watch = false, follow_links = false;
  std::string progress = "auto";  // auto (text on a terminal unless --quiet), text, json, none
  std::size_t batch = fundstelle::IndexOptions{}.batch_articles;
  std::size_t memory_mb = fundstelle::IndexOptions{}.memory_mb;
  unsigned threads = 0;
  unsigned shards = 0;
  fundstelle::FetchOptions fetch;
  double poll_seconds = 900;
};

int run_index(const IndexCommand& cmd, const std::string& db) {
  std::error_code ec;
  std::filesystem::create_directories(
      std::filesystem::path(db).parent_path().empty() ? "." : std::filesystem::path(db).parent_path(), ec);
  catch_stop_signals();
  fundstelle::Indexer indexer(db, cmd.rebuild, cmd.shards);
  // With --watch, watching starts before the first run, so that nothing changed meanwhile is missed.
  fundstelle::cli::WatchOptions watch_options;
  watch_options.prune = cmd.prune;
  watch_options.follow_links = cmd.follow_links;
  watch_options.batch_articles = cmd.batch;
  watch_options.memory_mb = cmd.memory_mb;
  watch_options.fetch = cmd.fetch;
  watch_options.poll_seconds = cmd.poll_seconds;
  std::unique_ptr<fundstelle::cli::Watcher> watcher;
  if (cmd.watch)
    watcher = std::make_unique<fundstelle::cli::Watcher>(
        cmd.paths, watch_options, [](const std::string& w) { std::cerr << "warning: " << w << '\n'; });
  fundstelle::IndexOptions options;
  options.prune = cmd.prune;
  options.follow_links = cmd.follow_links;
  options.batch_articles = cmd.batch;
  options.memory_mb = cmd.memory_mb;
  options.threads = cmd.threads;
  options.fetch = cmd.fetch;
  options.stop = [] { return g_stop != 0; };
  // Progress on standard error: a line rewritten in place on a terminal, or JSON Lines for other programs.
  const std::string mode = cmd.progress != "auto" ? cmd.progress
                                                  : (!cmd.quiet && isatty(STDERR_FILENO) ? "text" : "none");
  if (mode == "text")
    options.progress = [](const fundstelle::IndexProgress& p) {
      if (p.phase == fundstelle::IndexProgress::Phase::Done) return;
      std::cerr << "\r\x1b[K" << fundstelle::cli::progress_line(p) << std::flush;
    };
  else if (mode == "json")
    options.progress = [](const fundstelle::IndexProgress& p) {
      std::cerr << fundstelle::cli::dump(fundstelle::cli::progress_json(p)) << std::endl;
    };
  const auto report = [&] {
    // The progress line is cleared however the run ends: an error message does not go on after it.
    struct ClearLine {
      bool on;
      ~ClearLine() {
        if (on) std::cerr << "\r\x1b[K";
      }
    } clear{mode == "text"};
    return indexer.index_paths(cmd.paths, options);
  }();
  print_problems(report);
  if (!cmd.quiet) {
    for (const auto& f : report.fetches) std::cout << fetch_line(f) << '\n';
    std::cout << "articles: " << counts(report) << '\n'
              << "passages: " << report.passages << " indexed (" << report.comments << " comments) in ";
    std::cout.precision(2);
    std::cout << std::fixed << report.seconds << " s\nindex: " << db << std::endl;
  }
  if (report.first_import_kept) {
    std::cerr << "interrupted: the first import keeps the " << report.kept_articles
              << " articles it had written beside the index (not yet searchable: the index stays empty); run the "
                 "same command again to go on from there\n";
    return kInterrupted;
  }
  if (report.interrupted) {
    std::cerr << "interrupted: what was indexed so far is committed; run the same command again to finish\n";
    return kInterrupted;
  }
  if (!watcher) return report.skipped ? kError : kFound;
  watcher->fetched(report);

  std::cerr << "watching for new and changed files" << (report.fetches.empty() ? "" : " and feeds")
            << " (Ctrl-C to stop)" << std::endl;
  watcher->run(
      indexer, [] { return g_stop != 0; },
      [&](const fundstelle::IndexReport& r) {
        print_problems(r);
        if (cmd.quiet) return;
        const std::time_t now = std::time(nullptr);
        char stamp[16];
        std::strftime(stamp, sizeof stamp, "%H:%M:%S", std::localtime(&now));
        for (const auto& f : r.fetches)
          if (f.outcome != fundstelle::FetchReport::Outcome::NotModified)
            std::cout << stamp << ' ' << fetch_line(f) << '\n';
        if (r.added + r.replaced + r.removed + r.skipped == 0) return;
        std::cout << stamp << " articles: " << counts(r) << std::endl;
      },
      g_wake[0]);
  std::cerr << "stopped watching; everything indexed is committed\n";
  return report.skipped ? kError : kFound;
}

int run_check(const std::string& db) {
  const auto report = fundstelle::check_index(db);
  std::cout << "index: " << db << "\narticles: " << report.articles << ", passages: " << report.passages
            << "\nXapian check: "
            << (report.xapian_errors
                    ? std::to_string(report.xapian_errors) + (report.xapian_errors == 1 ? " error" : " errors")
                    : "ok")
            << '\n';
  constexpr std::size_t kShown = 50;
  for (std::size_t i = 0; i < report.problems.size() && i < kShown; ++i)
    std::cout << "problem: " << report.problems[i] << '\n';
  if (report.problems.size() > kShown) std::cout << "... and " << report.problems.size() - kShown << " more problems\n";
  if (report.rebuild_needed) std::cout << "to fix this: run `fundstelle index --rebuild` over all sources\n";
  for (const auto& note : report.notes) std::cout << "note: " << note << '\n';
  std::cout << (report.ok() ? "the index is sound\n" : "the index has problems (see above)\n");
  return report.ok() ? kFound : kNothing;
}

int run_compact(const std::string& db, const std::string& destination) {
  const auto r = fundstelle::compact_index(db, destination);
  const auto mb = [](std::uint64_t bytes) {
    std::ostringstream s;
    s.precision(1);
    s << std::fixed << bytes / 1048576.0 << " MB";
    return s.str();
  };
  std::cout << "compacted " << db << (r.shards > 1 ? " (" + std::to_string(r.shards) + " shards)" : std::string())
            << " into " << destination << ": " << r.articles << " articles, " << r.passages << " passages, "
            << mb(r.bytes_before) << " -> " << mb(r.bytes_after) << " in ";
  std::cout.precision(2);
  std::cout << std::fixed << r.seconds << " s" << std::endl;
  return kFound;
}

// The source folders the index remembers, or one of them moved.
int run_sources(const std::string& db, const std::vector<std::string>& move, const std::string& forget) {
  if (move.size() == 2 || !forget.empty()) {
    if (!std::filesystem::exists(db)) {  // (the Indexer would make one)
      std::cerr << "fundstelle: there is no index at " << db << " (create one with `fundstelle index`)\n";
      return kError;
    }
    fundstelle::Indexer indexer(db);
    if (!forget.empty()) {
      indexer.forget_source_folder(forget);
      std::cout << "forgot " << forget << " (its articles stay)\n";
      return kFound;
    }
    const std::size_t moved = indexer.move_source_folder(move[0], move[1]);
    std::cout << "moved " << move[0] << " to " << move[1] << ": " << moved << " articles\n";
    return kFound;
  }
  const auto folders = fundstelle::Searcher(db).source_folders();
  for (const auto& f : folders) std::cout << f << '\n';
  return folders.empty() ? kNothing : kFound;
}

// Every article as one JSON Lines feed line on standard output (`index` reads it back unchanged).
int run_export(const std::string& db) {
  fundstelle::Searcher searcher(db);
  std::ios::sync_with_stdio(false);
  const auto report = searcher.export_articles([](std::string_view line) {
    std::cout.write(line.data(), static_cast<std::streamsize>(line.size()));
    std::cout.put('\n');
  });
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "fundstelle: writing the export to standard output failed (disk full, or the reader gone?)\n";
    return kError;
  }
  if (!report.without_text.empty()) {
    std::cerr << "fundstelle: warning: " << report.without_text.size()
              << " articles not exported: an earlier version indexed them without keeping their text (`fundstelle "
                 "index --rebuild` over all sources keeps it), e.g. \""
              << report.without_text.front() << "\"\n";
  }
  if (!report.damaged.empty()) {
    std::cerr << "fundstelle: " << report.damaged.size()
              << " articles not exported: their stored text or a passage holding part of it is damaged "
                 "(`fundstelle check` reports it; index their sources again), e.g. \""
              << report.damaged.front() << "\"\n";
    return kError;
  }
  if (report.articles == 0) {
    std::cerr << "no articles to export in " << db << '\n';
    return kNothing;
  }
  return kFound;
}

int run_search(const std::vector<std::string>& words, const std::string& db, const fundstelle::SearchOptions& options,
               const fundstelle::OpenOptions& open, bool json, const std::string& color,
               const fundstelle::cli::SnippetTags& tags) {
  std::string query;
  for (const auto& w : words) query += (query.empty() ? "" : " ") + w;
  fundstelle::Searcher searcher(db, open);
  for (const auto& w : searcher.warnings()) std::cerr << "fundstelle: warning: " << w << '\n';
  fundstelle::SearchResults results;
  const auto started = std::chrono::steady_clock::now();
  try {
    results = searcher.search(query, options);
    for (const auto& w : results.warnings) std::cerr << "fundstelle: warning: " << w << '\n';
  } catch (const fundstelle::QueryError& e) {
    std::cerr << "fundstelle: query error at character " << e.position() + 1 << ": " << e.what() << '\n'
              << fundstelle::cli::query_with_caret(query, e.position()) << '\n';
    return kError;
  }
  const double milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (results.hits.empty()) {
    if (json) fundstelle::cli::print_summary_json(std::cout, query, options, results, milliseconds);
    std::cerr << "no matches for \"" << fundstelle::cli::one_line(query) << "\""
              << (options.offset ? " on this page" : "")
              << (options.sort != fundstelle::SortOrder::Relevance
                      ? " (sorted by date: only dated passages with every word of the query)"
                      : "")
              << '\n';
    // What was searched instead or as well, and the words the index holds nowhere, as above hits.
    if (!json) fundstelle::cli::print_notes_terminal(std::cerr, results, false, false);
    return kNothing;
  }
  const bool colored = !json && use_color(color);
  if (!json) fundstelle::cli::print_notes_terminal(std::cout, results, colored);
  for (const auto& hit : results.hits) {
    if (json) fundstelle::cli::print_hit_json(std::cout, hit, results, tags);
    else fundstelle::cli::print_hit_terminal(std::cout, hit, colored);
  }
  if (json) {
    fundstelle::cli::print_summary_json(std::cout, query, options, results, milliseconds);
  } else {
    std::cout << "about " << results.total_estimate << " matching passages; shown " << results.hits.front().rank << "-"
              << results.hits.back().rank << '\n';
    fundstelle::cli::print_facets_terminal(std::cout, results, colored);
  }
  return kFound;
}

// After a parse error: a line for each word that is not a command or option, with the one likely meant
// ("did you mean"), where CLI11 would say only "A subcommand is required" or "argument was not expected";
// false if there is none (the error is another one).
bool explain_mistypes(const CLI::App& app, int argc, char** argv) {
  std::vector<std::string> commands;  // those --help lists
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* c) { return !c->get_group().empty(); }))
    commands.push_back(sub->get_name());
  // The command is the first word that is not an option (the program's own options take no value): in
  // `fundstelle serch index`, "serch" is the mistyped command, not a word before the command index.
  const CLI::App* chosen = nullptr;
  int first = 1;
  while (first < argc && std::string_view(argv[first]).starts_with("-")) ++first;
  if (first == argc) return false;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (sub->get_name() == argv[first]) chosen = sub;
  if (!chosen) {
    std::string all;
    for (const auto& c : commands) all += (all.empty() ? "" : ", ") + c;
    const std::string meant = fundstelle::base::closest_name(argv[first], commands);
    std::cerr << "fundstelle: unknown command \"" << argv[first] << "\""
              << (meant.empty() ? "" : "; did you mean \"" + meant + "\"?") << " (commands: " << all << ")\n";
    return true;
  }
  std::vector<std::string> options;
  for (const CLI::App* owner : {&app, chosen})
    for (const CLI::Option* o : owner->get_options())
      for (const auto& name : o->get_lnames()) options.push_back("--" + name);
  bool told = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--") break;
    if (!a.starts_with("--")) continue;
    const std::string name = a.substr(0, a.find('='));
    if (std::find(options.begin(), options.end(), name) != options.end()) continue;
    const std::string meant = fundstelle::base::closest_name(name, options);
    std::cerr << "fundstelle " << chosen->get_name() << ": unknown option " << name
              << (meant.empty() ? "" : "; did you mean " + meant + "?") << '\n';
    told = true;
  }
  return told;
}

}  // namespace

int main(int argc, char** argv) {
  // Past `ulimit -f`, writes fail with EFBIG (reported as an error, the last commit intact) instead of the
  // process being killed by SIGXFSZ.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"Fundstelle: full-text search for German news, by passage"};
  app.set_version_flag("--version", std::string("fundstelle ") + FUNDSTELLE_VERSION_STRING);
  app.require_subcommand(1);
  std::string db = default_index();

  auto* index = app.add_subcommand("index", "Index articles, pages and feeds (files, folders or feed URLs)");
  IndexCommand index_cmd;
  index->add_option("paths", index_cmd.paths, "Files or folders to index, or http(s):// feed URLs")->required();
  index->add_option("--db", db, "Index folder (default: $FUNDSTELLE_INDEX or ~/.local/share/fundstelle/index)");
  index->add_flag("--prune", index_cmd.prune, "Remove articles whose source under PATHS is gone");
  index->add_flag("--follow-links", index_cmd.follow_links,
                  "Index files that links in PATHS point to outside PATHS (default: skipped, with a warning)");
  index->add_flag("--rebuild", index_cmd.rebuild,
                  "Index everything anew and drop what is not in PATHS (after an upgrade)");
  index->add_flag(
      "--watch", index_cmd.watch,
      "After indexing, keep indexing new and changed files under PATHS, and fetching feed URLs every --poll "
      "seconds, until Ctrl-C");
  index
      ->add_option("--batch", index_cmd.batch,
                   "Commit after this many changed articles (default: " + std::to_string(index_cmd.batch) + ")")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  index
      ->add_option("--memory", index_cmd.memory_mb,
                   "MiB for the writers' buffers: a commit comes before they outgrow it (default: " +
                       std::to_string(index_cmd.memory_mb) + ")")
      ->check(CLI::Range(std::size_t{16}, std::size_t{1} << 20));
  index
      ->add_option("--threads", index_cmd.threads,
                   "Threads for a first import into an empty index (default: 0, every core)")
      ->check(CLI::Range(0u, 256u));
  index
      ->add_option("--shards", index_cmd.shards,
                   "A new index in N shards, written in parallel, one thread each (an existing index keeps "
                   "its layout; see README, Shards)")
      ->check(CLI::Range(1u, 256u));
  index->add_flag("--fetch-pages", index_cmd.fetch.pages,
                  "For feed URLs: index the page each new item links to instead of the feed's text (robots.txt "
                  "respected)");
  index
      ->add_option("--poll", index_cmd.poll_seconds,
                   "With --watch: fetch feed URLs again every this many seconds (default: 900; after an error "
                   "later, twice as long each time, up to a day)")
      ->check(CLI::Range(1.0, 86400.0 * 7));
  index
      ->add_option("--fetch-timeout", index_cmd.fetch.timeout_seconds,
                   "Seconds one request for a URL may take (default: 30)")
      ->check(CLI::Range(0.1, 3600.0));
  index
      ->add_option("--fetch-max", index_cmd.fetch.max_bytes,
                   "Largest answer to a request for a URL, in bytes (default: 64 MiB)")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 32));
  index
      ->add_option("--fetch-delay", index_cmd.fetch.delay_seconds,
                   "Seconds between two requests to one host (default: 1; longer if its robots.txt says so)")
      ->check(CLI::Range(0.0, 3600.0));
  index->add_flag("-q,--quiet", index_cmd.quiet, "No progress and no summary");
  index
      ->add_option("--progress", index_cmd.progress,
                   "Progress on standard error: auto (a line on a terminal, the default), text, json (JSON Lines "
                   "for other programs) or none")
      ->check(CLI::IsMember({"auto", "text", "json", "none"}));

  auto* check = app.add_subcommand("check", "Verify the index: Xapian's check plus Fundstelle's invariants");
  check->add_option("--db", db, "Index folder (default: $FUNDSTELLE_INDEX or ~/.local/share/fundstelle/index)");

  auto* compact = app.add_subcommand(
      "compact", "Write the index as one compacted index into a new folder (merging the shards of a sharded one)");
  std::string compact_to;
  compact->add_option("destination", compact_to, "The new index folder (must not exist)")->required();
  compact->add_option("--db", db, "Index folder (default: $FUNDSTELLE_INDEX or ~/.local/share/fundstelle/index)");

  auto* export_cmd = app.add_subcommand(
      "export", "Write every article of the index to standard output as JSON Lines, the feed format `index` reads");
  bool export_json = true;
  export_cmd->add_flag("--json", export_json, "JSON Lines in the feed format (the default, and the only format)");
  export_cmd->add_option("--db", db, "Index folder (default: $FUNDSTELLE_INDEX or ~/.local/share/fundstelle/index)");

  auto* sources = app.add_subcommand(
      "sources", "List the source folders the index remembers (a .txt file's id is its path under the first that "
                 "holds it), or move one");
  std::vector<std::string> move_folder;
  sources->add_option("--move", move_folder, "A source folder was moved from FROM to TO: its articles keep their ids")
      ->expected(2)
      ->type_name("FROM TO");
  std::string forget_folder;
  sources->add_option("--forget", forget_folder, "Forget a source folder given by mistake (its articles stay)")
      ->excludes("--move");
  sources->add_option("--db", db, "Index folder (default: $FUNDSTELLE_INDEX or ~/.local/share/fundstelle/index)");

  auto* search = app.add_subcommand("search", "Search passages");
  std::vector<std::string> words;
  fundstelle::SearchOptions options;
  std::string kind, color = "auto";
  bool json = false;
  search->add_option("query", words, "The query (see README: words, \"phrases\", -word, AND/OR/NOT, title:)")
      ->required();
  search->add_option("--db", db, "Index folder (default: $FUNDSTELLE_INDEX or ~/.local/share/fundstelle/index)");
  search->add_option("-n,--limit", options.limit, "Passages to show")->check(CLI::Range(1, 1000));
  search->add_option("--offset", options.offset, "Skip this many passages (paging)")->check(CLI::Range(0, 100000));
  search->add_option("--kind", kind, "Only passages of this kind")->check(CLI::IsMember({"article", "comment"}));
  search->add_option("--per-article", options.per_article, "At most N passages per article (0: no limit)")
      ->check(CLI::Range(0, 1000));
  search->add_flag("--json", json, "JSON Lines, one passage per line");
  search->add_flag("--exact", options.exact,
                   "Only the words typed: no synonyms, no spelling correction, no compound parts, joins or "
                   "respellings, no noun in its other number, no stopword left out");
  search->add_option("--from", options.published_from,
                     "Only articles published on or after this date: 2025, 2025-01, 2025-01-10, 10.01.2025, "
                     "heute, gestern, 7d");
  search->add_option("--to", options.published_to, "Only articles published on or before this date (the same forms)");
  search->add_option("--author", options.authors,
                     "Only passages by this author (a comment's own author for comments); repeated: by any of them");
  search->add_option("--tag", options.tags, "Only articles with this tag; repeated: with every one of them");
  search
      ->add_option("--facets", options.facets,
                   "Count the passages with every query word by author, tag, month or year (comma-separated)")
      ->delimiter(',')
      ->check(CLI::IsMember({"author", "tag", "month", "year"}));
  search->add_option("--facet-limit", options.facet_limit, "Values per facet, the most frequent first (0: all)")
      ->check(CLI::Range(0, 100000));
  search->add_flag("--explain", options.explain,
                   "Show per passage the matched terms, their weights and the rerank features");
  fundstelle::cli::SnippetTags tags;
  search->add_flag("--snippet", tags.wanted,
                   "With --json: each hit's text also as HTML, the highlights tagged (\"snippet\")");
  auto* pre = search->add_option("--pre-tag", tags.pre, "The tag before each highlight in \"snippet\" (<mark>)");
  auto* post = search->add_option("--post-tag", tags.post, "The tag after each highlight in \"snippet\" (</mark>)");
  std::string sort = "relevance";
  search
      ->add_option("--sort", sort,
                   "relevance (default), newest or oldest: by date, the passages with every query word, dated")
      ->check(CLI::IsMember({"relevance", "newest", "oldest"}));
  std::string synonyms = "domain";
  search->add_option("--synonyms", synonyms, "Synonym sources: none, domain (default) or all (+ OpenThesaurus)")
      ->check(CLI::IsMember({"none", "domain", "all"}));
  fundstelle::OpenOptions open_options;
  const auto shard_options = [&](CLI::App* cmd) {
    cmd->add_flag("--allow-partial", open_options.allow_partial,
                  "Sharded index: leave out shards that cannot be reached, with a warning, instead of failing");
    cmd->add_option("--shard-timeout", open_options.timeout_ms,
                    "Remote shards: milliseconds to connect and per exchange (default: 10000)")
        ->check(CLI::Range(1, 3600000));
  };
  shard_options(search);
  search->add_option("--color", color, "Highlight with colour")->check(CLI::IsMember({"auto", "always", "never"}));

  auto* serve = app.add_subcommand("serve", "Serve the index over HTTP/JSON, with a search page at /");
  fundstelle::cli::ServeOptions serve_options;
  serve->add_option("--db", db, "Index folder (default: $FUNDSTELLE_INDEX or ~/.local/share/fundstelle/index)");
  serve->add_option("--host", serve_options.host, "Address to listen on (default: 127.0.0.1, this machine only)");
  serve->add_option("--port", serve_options.port, "Port (default: 8080; 0: any free port)")
      ->check(CLI::Range(0, 65535));
  auto* token_option =
      serve->add_option("--write-token", serve_options.write_token,
                        "Allow POST /articles for requests with 'Authorization: Bearer TOKEN' (default: read-only; "
                        "visible to other users in ps: prefer --write-token-file or $FUNDSTELLE_WRITE_TOKEN)");
  std::string token_file;
  serve->add_option("--write-token-file", token_file, "Read the write token from the first line of this file")
      ->excludes(token_option);
  serve
      ->add_option("--cors", serve_options.cors_origin,
                   "Let web pages from ORIGIN (https://app.example, or *) call the service (default: off)")
      ->check(
          [](const std::string& origin) -> std::string {
            // One origin as browsers send it (scheme://host[:port], no path), or *: a list, a path or a line
            // break would be sent back in every answer's header and match no browser's Origin.
            if (origin == "*") return {};
            const auto scheme = origin.find("://");
            bool ok = scheme != std::string::npos && scheme > 0 && scheme + 3 < origin.size();
            for (std::size_t i = 0; ok && i < origin.size(); ++i) {
              const unsigned char c = static_cast<unsigned char>(origin[i]);
              ok = std::isalnum(c) || c == '.' || c == '-' || c == '+' || c == ':' || c == '[' || c == ']' ||
                   (c == '/' && i > scheme && i < scheme + 3);
            }
            return ok ? std::string()
                      : "not one origin: give scheme://host[:port] (https://app.example) or * (got \"" + origin + "\")";
          },
          "ORIGIN");
  serve
      ->add_option("--max-response", serve_options.max_response,
                   "Largest answer in bytes; a larger one is replaced by an error (default: 32 MiB)")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 32));
  serve->add_option("--max-body", serve_options.max_body, "Largest request body in bytes (default: 16 MiB)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30));
  serve
      ->add_option("--timeout", serve_options.timeout_seconds,
                   "Seconds a connection may stay silent before it is closed (default: 10)")
      ->check(CLI::Range(1, 3600));
  double write_wait = 10;
  serve
      ->add_option("--write-wait", write_wait,
                   "Seconds a write waits while another process writes the index, then 503 (default: 10)")
      ->check(CLI::Range(0.0, 3600.0));
  serve->add_option("--access-log", serve_options.access_log,
                    "Where one line per request goes: - (standard error, the default), none, or a file");
  serve->add_option("--log-format", serve_options.log_format, "Access log lines as text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  serve
      ->add_option("--threads", serve_options.threads,
                   "Threads that answer reads, first come first served across all connections, and as many "
                   "that move the connections' bytes (default: one per core, at least 2)")
      ->check(CLI::Range(1, 256));
  serve
      ->add_option("--max-connections", serve_options.max_connections,
                   "Connections served at once; a request on one beyond is answered 503 (default: 1000)")
      ->check(CLI::Range(1, 100000));
  serve
      ->add_option("--max-writes", serve_options.max_writes,
                   "Writes taken at once (being received, waiting or written); one beyond is answered 503 "
                   "(default: 16)")
      ->check(CLI::Range(1, 10000));
  shard_options(serve);

  auto* completion = app.add_subcommand("completion", "Print a shell completion script: bash or zsh");
  std::string shell;
  completion->add_option("shell", shell, "The shell: bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
  // (Not in --help: the build makes the installed manual page with it.)
  auto* manpage = app.add_subcommand("manpage", "Print the manual page fundstelle(1) in roff")->group("");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (explain_mistypes(app, argc, argv)) std::cerr << "Run with --help for more information.\n";
    else app.exit(e);
    return kError;
  }

  try {
    if (*completion) {
      std::cout << (shell == "zsh" ? fundstelle::cli::zsh_completion(app) : fundstelle::cli::bash_completion(app));
      return kFound;
    }
    if (*manpage) {
      std::cout << fundstelle::cli::man_page(app, FUNDSTELLE_VERSION_STRING);
      return kFound;
    }
    if (*index) return run_index(index_cmd, db);
    if (*check) return run_check(db);
    if (*compact) return run_compact(db, compact_to);
    if (*export_cmd) return run_export(db);
    if (*sources) return run_sources(db, move_folder, forget_folder);
    if (*serve) {
      serve_options.db = db;
      serve_options.open = open_options;
      serve_options.write_wait_ms = static_cast<int>(write_wait * 1000);
      if (!token_file.empty()) {
        std::ifstream in(token_file);
        if (!in || !std::getline(in, serve_options.write_token)) {
          std::cerr << "fundstelle: cannot read the write token from " << token_file << '\n';
          return kError;
        }
        const auto end = serve_options.write_token.find_last_not_of(" \t\r");
        serve_options.write_token.erase(end == std::string::npos ? 0 : end + 1);
        if (serve_options.write_token.empty()) {
          std::cerr << "fundstelle: the write token file " << token_file << " is empty\n";
          return kError;
        }
      } else if (serve_options.write_token.empty()) {
        if (const char* env = std::getenv("FUNDSTELLE_WRITE_TOKEN")) serve_options.write_token = env;
      }
      return fundstelle::cli::serve(serve_options);
    }
    // Dates as people write them (base/dates.h), a bad one named by its option.
    using fundstelle::base::DateRangeProblem;
    const DateRangeProblem dates = fundstelle::base::date_range_problem(options.published_from, options.published_to);
    switch (dates) {
      case DateRangeProblem::None: break;
      case DateRangeProblem::BadFrom:
      case DateRangeProblem::BadTo: {
        const bool from = dates == DateRangeProblem::BadFrom;
        std::cerr << "fundstelle search: " << (from ? "--from" : "--to") << " \""
                  << (from ? options.published_from : options.published_to) << "\" is not a date ("
                  << fundstelle::base::kDateForms << ")\n";
        return kError;
      }
      case DateRangeProblem::Reversed:
        std::cerr << "fundstelle search: --to \"" << options.published_to << "\" is before --from \""
                  << options.published_from << "\": no day is in that range\n";
        return kError;
    }
    if (!kind.empty())
      options.kind = kind == "comment" ? fundstelle::PassageKind::Comment : fundstelle::PassageKind::Article;
    options.sort = sort == "newest"   ? fundstelle::SortOrder::Newest
                   : sort == "oldest" ? fundstelle::SortOrder::Oldest
                                      : fundstelle::SortOrder::Relevance;
    options.synonyms = synonyms == "none"  ? fundstelle::SynonymMode::None
                       : synonyms == "all" ? fundstelle::SynonymMode::All
                                           : fundstelle::SynonymMode::Domain;
    if (*pre || *post) tags.wanted = true;
    return run_search(words, db, options, open_options, json, color, tags);
  } catch (const fundstelle::Error& e) {
    std::cerr << "fundstelle: " << fundstelle::cli::describe(e, db) << '\n';
    return kError;
  } catch (const std::exception& e) {
    std::cerr << "fundstelle: internal error: " << e.what() << '\n';
    return kError;
  } catch (...) {
    // Nothing else should leave the library (its errors are fundstelle::Error); should one, say so and
    // exit as for any error rather than abort.
    std::cerr << "fundstelle: internal error: an unexpected exception left the library (please report it)\n";
    return kError;
  }
}
