// Searching from several threads while an indexer commits: no errors, and every searcher sees new commits
// without being reopened. Run under ThreadSanitizer by scripts/test.sh.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "fundstelle/fundstelle.h"
#include "test_support.h"

using namespace fundstelle;

TEST_CASE("many threads search while an indexer commits", "[e2e][threads]") {
  test::TempDir dir;
  const std::string db = (dir / "index").string();
  Indexer indexer(db);
  indexer.index_paths({test::corpus_dir().string()});

  constexpr int kSearchers = 3, kBatches = 12;
  std::atomic<bool> done{false};
  std::atomic<int> searches{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kSearchers; ++t) {
    threads.emplace_back([&, t] {
      try {
        Searcher searcher(db);  // one per thread
        const char* queries[] = {"Entwicklungszentrum München", "Zeppelin", "Xiaomi SU7", "Beteiligung"};
        for (int i = 0; !done.load() || i < 20; ++i) {
          const auto r = searcher.search(queries[(i + t) % 4]);
          if ((i + t) % 4 != 1 && r.hits.empty()) ++failures;  // the corpus queries always match
          ++searches;
          if (i > 5000) break;  // bounded even if the writer stalls
        }
      } catch (const std::exception& e) {
        ++failures;
        WARN("search thread failed: " << e.what());
      }
    });
  }
  for (int b = 0; b < kBatches; ++b) {
    Article a;
    a.id = "zeppelin-" + std::to_string(b);
    a.title = "Zeppelin " + std::to_string(b);
    a.paragraphs = {"Der Zeppelin Nummer " + std::to_string(b) + " landet in Friedrichshafen am Bodensee."};
    indexer.put(a);
    indexer.commit();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // commits in quick succession, not a flood
  }
  done = true;
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  CHECK(searches >= kSearchers * 20);

  // A searcher opened before the last commits sees them on its next search.
  Searcher early(db);
  Article late;
  late.id = "late";
  late.paragraphs = {"Ein Luftschiff namens Hindenburg."};
  indexer.put(late);
  CHECK(early.search("Hindenburg").hits.empty());
  indexer.commit();
  CHECK(early.search("Hindenburg").hits.size() == 1);
  SearchOptions all;
  all.per_article = 0;
  all.limit = 100;
  CHECK(early.search("Zeppelin", all).hits.size() == kBatches);
}
