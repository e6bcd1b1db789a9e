// An index in shards (`fundstelle index --shards N`, index/layout.h): articles routed by a stable
// hash of their id, written one thread per shard, searched as one index, merged by compaction; the layout
// recorded and checked. (Remote shards: tests/shards_test.py.)
#include <catch2/catch.hpp>

#include <xapian.h>

#include <filesystem>
#include <set>
#include <string>

#include "e2e/compare.h"
#include "e2e/synthetic.h"
#include "fundstelle/fundstelle.h"
#include "test_support.h"

using namespace fundstelle;
using fundstelle::test::make_sources;
using fundstelle::test::results;
using fundstelle::test::same_ranking;
using fundstelle::test::TempDir;

namespace {

const std::vector<std::string> kQueries = {"Beteiligung",         "Entwicklungszentrum München",
                                           "Batterie Zulieferer", "Ladesäule",
                                           "FassungB Reichweite", "Zentrum",
                                           "Kommentar Akku",      "Muenchen",
                                           "\"Fabrik Werk\"",     "Anteil -Software"};

std::size_t articles_in(const std::string& folder) { return Searcher(folder).stats().articles; }

std::string shard(const std::string& db, int k) { return db + "/shard-" + std::to_string(k); }

// The ids of the articles recorded in one shard (its metadata).
std::set<std::string> ids_in(const std::string& folder) {
  std::set<std::string> ids;
  const Xapian::Database db(folder);
  for (auto it = db.metadata_keys_begin("A:"); it != db.metadata_keys_end("A:"); ++it) ids.insert((*it).substr(2));
  return ids;
}

}  // namespace

TEST_CASE("an index in three shards ranks as one index, and compacts into one", "[e2e][shards]") {
  TempDir dir;
  const auto src = make_sources(dir);
  const std::string one = (dir / "one").string(), sharded = (dir / "sharded").string();
  IndexOptions single_thread;
  single_thread.threads = 1;
  const auto r1 = Indexer(one).index_paths({src.string()}, single_thread);
  const auto r3 = Indexer(sharded, false, 3).index_paths({src.string()});
  REQUIRE(r1.added == 405);
  CHECK(r3.added == r1.added);
  CHECK(r3.passages == r1.passages);
  CHECK(r3.comments == r1.comments);
  CHECK(std::filesystem::is_regular_file(dir / "sharded" / "XAPIANDB"));

  // Every shard holds a part, the parts are disjoint, and each article is in the shard its id picks.
  std::size_t total = 0;
  std::set<std::string> seen;
  for (int k = 0; k < 3; ++k) {
    const auto ids = ids_in(shard(sharded, k));
    CHECK(ids.size() > 60);  // 405 articles over 3 shards by a hash: none nearly empty
    total += ids.size();
    seen.insert(ids.begin(), ids.end());
  }
  CHECK(total == 405);
  CHECK(seen.size() == 405);
  CHECK(check_index(sharded).ok());

  Searcher s1(one), s3(sharded);
  CHECK(s3.stats().shards == 3);
  CHECK(s3.stats().articles == 405);
  CHECK(s3.stats().passages == s1.stats().passages);
  for (const auto& q : kQueries) {
    INFO(q);
    const auto a = results(s1, q);
    CHECK(!a.empty());
    CHECK(same_ranking(a, results(s3, q)));
  }
  // Spelling data, collapse by article and stored articles work across the shards.
  CHECK(s1.search("Reichweitte").suggestion == "Reichweite");
  CHECK(s3.search("Reichweitte").suggestion == "Reichweite");
  SearchOptions per_article;
  per_article.per_article = 1;
  per_article.limit = 50;
  std::set<std::string> articles;
  for (const auto& h : s3.search("Batterie", per_article).hits) CHECK(articles.insert(h.article).second);
  CHECK(articles.size() == s1.search("Batterie", per_article).hits.size());
  for (const std::string id : {"artikel-1", "artikel-2", "artikel-3", "artikel-4"}) {
    INFO(id);
    const auto a = s1.article(id), b = s3.article(id);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(b->title == a->title);
    CHECK(b->passages.size() == a->passages.size());
  }

  // One compacted index from the shards: the same articles, passages, ranking and spelling data.
  const std::string merged = (dir / "merged").string();
  const auto c = compact_index(sharded, merged);
  CHECK(c.shards == 3);
  CHECK(c.articles == 405);
  CHECK(c.passages == s1.stats().passages);
  CHECK(c.bytes_after > 0);
  CHECK_FALSE(std::filesystem::exists(dir / "merged" / "XAPIANDB"));
  CHECK(check_index(merged).ok());
  Searcher sm(merged);
  CHECK(sm.stats().shards == 1);
  for (const auto& q : kQueries) {
    INFO(q);
    CHECK(same_ranking(results(s1, q), results(sm, q)));
  }
  CHECK(sm.search("Reichweitte").suggestion == "Reichweite");
  // The merged index is a single index: it is updated as one, not as a shard.
  CHECK(Indexer(merged).index_paths({src.string()}).unchanged == 405);
  CHECK_THROWS_WITH(compact_index(sharded, merged), Catch::Contains("exists"));
}

TEST_CASE("a sharded index is updated in place: an article indexed again replaces itself in its shard",
          "[e2e][shards]") {
  TempDir dir;
  const auto src = make_sources(dir);
  const std::string db = (dir / "index").string();
  REQUIRE(Indexer(db, false, 4).index_paths({src.string()}).added == 405);
  std::vector<std::set<std::string>> before;
  for (int k = 0; k < 4; ++k) before.push_back(ids_in(shard(db, k)));

  // Again, without --shards: the layout is read from the index; nothing changed.
  const auto again = Indexer(db).index_paths({src.string()});
  CHECK(again.unchanged == 405);
  CHECK(again.added + again.replaced == 0);

  // Version C of three articles, the rest of the feed gone: replaced where they were, the rest pruned.
  test::write_text(src / "feed.jsonl", test::synthetic_feed(3, "C", 10));
  IndexOptions prune;
  prune.prune = true;
  const auto update = Indexer(db).index_paths({src.string()}, prune);
  CHECK(update.replaced == 3);
  CHECK(update.removed == 397);
  for (int k = 0; k < 4; ++k) {
    const auto now = ids_in(shard(db, k));
    for (const auto& id : now) CHECK(before[k].count(id) == 1);  // nothing moved to another shard
  }
  Searcher searcher(db);
  CHECK(searcher.stats().articles == 8);
  SearchOptions exact;  // no spelling correction towards FassungC
  exact.exact = true;
  CHECK(searcher.search("FassungC", exact).hits.size() > 0);
  CHECK(searcher.search("FassungA", exact).hits.empty());
  CHECK(check_index(db).ok());

  // Removing and putting single articles goes to their shards as well.
  {
    Indexer indexer(db);
    CHECK(indexer.remove("artikel-11"));
    CHECK_FALSE(indexer.remove("artikel-11"));
    indexer.commit();
  }
  CHECK(Searcher(db).stats().articles == 7);
  CHECK_FALSE(Searcher(db).article("artikel-11"));

  // A rebuild over the seed articles only: everything written anew, the synthetic ones dropped in every shard.
  const auto rebuilt = Indexer(db, true).index_paths({test::corpus_dir().string()});
  CHECK(rebuilt.replaced == 5);
  CHECK(rebuilt.removed == 2);
  CHECK(Searcher(db).stats().articles == 5);
  CHECK(check_index(db).ok());
}

TEST_CASE("the shard layout is recorded and checked", "[e2e][shards]") {
  TempDir dir;
  const std::string db = (dir / "index").string(), single = (dir / "single").string();
  REQUIRE(Indexer(db, false, 3).index_paths({test::corpus_dir().string()}).added == 5);
  REQUIRE(Indexer(single).index_paths({test::corpus_dir().string()}).added == 5);

  CHECK_THROWS_WITH(Indexer(db, false, 2), Catch::Contains("3 shards, not 2"));
  CHECK_NOTHROW(Indexer(db, false, 3));
  CHECK_THROWS_WITH(Indexer(single, false, 2), Catch::Contains("is one index, not shards"));
  // A shard's own folder is not written directly (its articles would be in the wrong shard for the others).
  CHECK_THROWS_WITH(Indexer(shard(db, 1)), Catch::Contains("is shard-1 of 3"));
  // A shard list not written by Fundstelle (remote shards) is searched, not written.
  test::write_text(dir / "stub", "remote 127.0.0.1:1\n");
  CHECK_THROWS_WITH(Indexer((dir / "stub").string()), Catch::Contains("searched, not written"));
  CHECK_THROWS_WITH(compact_index((dir / "stub").string(), (dir / "out").string()), Catch::Contains("remote"));

  // Two shards swapped: refused before anything is written, and `check` names the mix-up.
  std::filesystem::rename(shard(db, 0), dir / "tmp");
  std::filesystem::rename(shard(db, 1), shard(db, 0));
  std::filesystem::rename(dir / "tmp", shard(db, 1));
  CHECK_THROWS_WITH(Indexer(db), Catch::Contains("mixed up"));
  const auto report = check_index(db);
  CHECK_FALSE(report.ok());
  CHECK(report.problems.size() >= 2);
  CHECK(report.problems.front().rfind("shard-0: ", 0) == 0);
  bool named = false;
  for (const auto& p : report.problems) named = named || p.find("belong in another shard") != std::string::npos;
  CHECK(named == (articles_in(shard(db, 0)) + articles_in(shard(db, 1)) > 0));
}

TEST_CASE("cli: index --shards, search, check and compact", "[e2e][shards][cli]") {
  TempDir dir;
  const auto db = (dir / "index").string(), merged = (dir / "merged").string();
  const auto corpus = test::corpus_dir().string();
  auto r = test::run_fundstelle({"index", "--db", db, "--shards", "2", corpus});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("5 added") != std::string::npos);
  r = test::run_fundstelle({"search", "--db", db, "--json", "Entwicklungszentrum München"});
  CHECK(r.exit_code == 0);
  CHECK(!r.out.empty());
  r = test::run_fundstelle({"check", "--db", db});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("articles: 5") != std::string::npos);
  r = test::run_fundstelle({"index", "--db", db, "--shards", "3", corpus});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("2 shards, not 3") != std::string::npos);
  r = test::run_fundstelle({"compact", "--db", db, merged});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("(2 shards)") != std::string::npos);
  CHECK(r.out.find("5 articles") != std::string::npos);
  r = test::run_fundstelle({"compact", "--db", db, merged});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("exists") != std::string::npos);
  const auto a = test::run_fundstelle({"search", "--db", db, "--json", "Zentrum"});
  const auto b = test::run_fundstelle({"search", "--db", merged, "--json", "Zentrum"});
  CHECK(a.exit_code == 0);
  CHECK(b.exit_code == 0);
  CHECK(std::count(a.out.begin(), a.out.end(), '\n') == std::count(b.out.begin(), b.out.end(), '\n'));
}
