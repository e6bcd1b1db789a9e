// The indexer killed with SIGKILL at random moments during large reindexing runs. After every kill: the index
// opens, check_index is clean, no article is lost, and every article is wholly in its old or its new version;
// a rerun completes the job. Hidden from the default run ([.]); CTest runs it on the normal build (see
// tests/CMakeLists.txt). Scale: FUNDSTELLE_KILLS (default 50), FUNDSTELLE_KILL_ARTICLES (default 2000);
// FUNDSTELLE_KILL_SEED repeats a run.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "e2e/synthetic.h"
#include "fundstelle/fundstelle.h"
#include "index/article_record.h"
#include "index/passage_record.h"
#include "test_support.h"

using namespace fundstelle;
using fundstelle::test::Background;
using fundstelle::test::env_or;
using fundstelle::test::TempDir;

namespace {

// The version ("A", "B") each article of the index is in. `wrong` gets the first article whose record and
// passages are not all of one version, or whose passages are fewer or more than recorded.
std::map<std::string, std::string> versions_in(const std::string& db, std::string& wrong) {
  std::map<std::string, std::string> out;
  Xapian::Database x(db);
  for (auto it = x.metadata_keys_begin("A:"); it != x.metadata_keys_end("A:"); ++it) {
    const auto record = schema::decode_article(x.get_metadata(*it));
    REQUIRE(record);  // (one that cannot be read is damaged)
    const auto& rec = *record;
    const std::string title = rec.title;
    const std::string version = title.substr(title.rfind("Fassung") + 7);
    const std::string other = version == "A" ? "FassungB" : "FassungA";
    const std::string key = (*it).substr(2);
    std::size_t passages = 0;
    for (auto p = x.postlist_begin("XA" + key); p != x.postlist_end("XA" + key); ++p, ++passages) {
      const auto data = schema::decode_passage(x.get_document(*p).get_data());
      const std::string text = data ? data->text : "(damaged)";
      // Every passage is of the recorded version, and none of another.
      if (wrong.empty() &&
          (text.find("Fassung" + version) == std::string::npos || text.find(other) != std::string::npos))
        wrong = "article " + key + " is recorded as version " + version + " but has the passage: " + text;
    }
    if (wrong.empty() && passages != rec.passages)
      wrong = "article " + key + " has " + std::to_string(passages) + " passages, not " + std::to_string(rec.passages);
    out[rec.id] = version;
  }
  return out;
}

std::map<std::string, std::string> versions_in(const std::string& db) {
  std::string wrong;
  auto out = versions_in(db, wrong);
  INFO(wrong);
  REQUIRE(wrong.empty());
  return out;
}

}  // namespace

TEST_CASE("SIGKILL at random moments during reindexing loses nothing and leaves nothing half-written", "[.][kill]") {
  const long kills = env_or("FUNDSTELLE_KILLS", 50);
  const int articles = static_cast<int>(env_or("FUNDSTELLE_KILL_ARTICLES", 2000));
  const auto seed = static_cast<unsigned>(env_or("FUNDSTELLE_KILL_SEED", static_cast<long>(std::random_device{}())));
  std::cout << "kill test: " << kills << " kills, " << articles << " articles, FUNDSTELLE_KILL_SEED=" << seed
            << std::endl;
  std::mt19937 rng(seed);

  TempDir dir;
  const std::string db = (dir / "index").string();
  const auto feed = dir / "feed.jsonl";
  test::write_text(feed, test::synthetic_feed(articles, "A"));
  const auto started = std::chrono::steady_clock::now();
  REQUIRE(test::run_fundstelle({"index", "-q", "--db", db, feed.string()}).exit_code == 0);
  const double full_run = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::string old_version = "A", target = "B";
  test::write_text(feed, test::synthetic_feed(articles, target));
  bool rebuilding = false;  // an interrupted --rebuild must be finished with --rebuild
  long survived = 0, mixed = 0, finished_first = 0, completions = 0;
  while (survived < kills) {
    if (!rebuilding && rng() % 5 == 0) rebuilding = true;
    std::vector<std::string> args{"index", "-q", "--batch", "50", "--db", db, feed.string()};
    if (rebuilding) args.insert(args.begin() + 1, "--rebuild");
    Background run(args);
    // A moment anywhere in a full run (it gets shorter as more articles are already done).
    std::uniform_real_distribution<double> moment(0.0, full_run * 1.1);
    ::usleep(static_cast<useconds_t>(moment(rng) * 1e6));
    run.signal(SIGKILL);
    const int code = run.wait();
    const auto versions = versions_in(db);
    REQUIRE(versions.size() == static_cast<std::size_t>(articles));  // nothing lost
    const auto report = check_index(db);
    INFO("after kill " << survived + 1 << ": " << (report.problems.empty() ? "" : report.problems.front()));
    if (code != 128 + SIGKILL) {  // it was done before the kill came
      REQUIRE(code == 0);
      REQUIRE(report.ok());
      ++finished_first;
    } else {
      ++survived;
      // The only problem allowed after a kill is the reminder to finish an interrupted rebuild.
      for (const auto& p : report.problems) REQUIRE(p.find("rebuild") != std::string::npos);
      std::size_t old_count = 0, new_count = 0, other = 0;
      for (const auto& [id, v] : versions) {
        if (v == target) ++new_count;
        else if (v == old_version) ++old_count;
        else ++other;
      }
      REQUIRE(other == 0);
      if (old_count && new_count) ++mixed;
    }
    // Now and then, and when a run got through anyway: a rerun completes the job, then the next version.
    if (code == 0 || rng() % 4 == 0) {
      if (code != 0) {
        std::vector<std::string> rerun{"index", "-q", "--db", db, feed.string()};
        if (rebuilding) rerun.insert(rerun.begin() + 1, "--rebuild");
        REQUIRE(test::run_fundstelle(rerun).exit_code == 0);
      }
      rebuilding = false;
      std::size_t behind = 0;
      for (const auto& [id, v] : versions_in(db)) behind += v == target ? 0 : 1;
      REQUIRE(behind == 0);
      REQUIRE(check_index(db).ok());
      ++completions;
      std::swap(old_version, target);
      test::write_text(feed, test::synthetic_feed(articles, target));
    }
  }
  std::cout << "kill test: " << survived << " kills survived (" << mixed
            << " left old and new articles side by side), 0 articles lost or half-indexed; " << finished_first
            << " runs finished before their kill; " << completions << " reruns completed the job" << std::endl;
  CHECK(mixed > 0);  // the kills did land in the middle of runs
}
