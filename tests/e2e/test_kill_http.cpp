// `fundstelle serve` killed with SIGKILL at random moments while clients POST and DELETE articles. After every
// kill: the index checks clean, every acknowledged write is there (a posted article whole, a deleted one
// gone), and a write that was under way when the kill came is either wholly there or not at all. Hidden from
// the default run ([.]); CTest runs it (tests/CMakeLists.txt). Scale: FUNDSTELLE_HTTP_KILLS (default 20);
// FUNDSTELLE_KILL_SEED repeats a run.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "fundstelle/fundstelle.h"
#include "index/article_record.h"
#include "test_support.h"

using namespace fundstelle;
using fundstelle::test::Background;
using fundstelle::test::env_or;
using fundstelle::test::TempDir;

namespace {

// The ids of the articles in the index; `wrong` gets the first whose passages are fewer or more than its
// record says (an article half written).
std::set<std::string> whole_articles(const std::string& db, std::string& wrong) {
  std::set<std::string> out;
  Xapian::Database x(db);
  for (auto it = x.metadata_keys_begin("A:"); it != x.metadata_keys_end("A:"); ++it) {
    const auto record = schema::decode_article(x.get_metadata(*it));
    REQUIRE(record);  // (one that cannot be read is damaged)
    const auto& rec = *record;
    const std::string key = (*it).substr(2);
    std::size_t passages = 0;
    for (auto p = x.postlist_begin("XA" + key); p != x.postlist_end("XA" + key); ++p) ++passages;
    if (wrong.empty() && passages != rec.passages)
      wrong = "article " + rec.id + " has " + std::to_string(passages) + " passages, not " +
              std::to_string(rec.passages);
    out.insert(rec.id);
  }
  return out;
}

// An article of three paragraphs (three passages).
std::string article_line(const std::string& id) {
  return nlohmann::json{{"id", id},
                        {"title", "Meldung " + id},
                        {"body", "Der Zeppelin " + id + " landet in Friedrichshafen.\n\nDie Passagiere steigen aus " +
                                     "und gehen zum Hafen.\n\nAm Abend startet er wieder nach Konstanz."}}
      .dump();
}

}  // namespace

TEST_CASE("SIGKILL of the server during POSTs and DELETEs loses no acknowledged write", "[.][kill-http]") {
  const long kills = env_or("FUNDSTELLE_HTTP_KILLS", 20);
  const auto seed = static_cast<unsigned>(env_or("FUNDSTELLE_KILL_SEED", static_cast<long>(std::random_device{}())));
  std::cout << "http kill test: " << kills << " kills, FUNDSTELLE_KILL_SEED=" << seed << std::endl;
  std::mt19937 rng(seed);
  TempDir dir;
  const std::string db = (dir / "index").string();
  REQUIRE(test::run_fundstelle({"index", "-q", "--db", db, test::corpus_dir().string()}).exit_code == 0);

  std::set<std::string> present;  // acknowledged as posted and not acknowledged as deleted since
  std::set<std::string> absent;   // acknowledged as deleted
  long posts = 0, deletes = 0, unacknowledged = 0, next_id = 0, refused = 0;
  std::string first_refusal;  // the first answer other than 200 from a server still up
  for (long k = 0; k < kills; ++k) {
    Background server({"serve", "--db", db, "--port", "0", "--write-token", "t", "--access-log", "none"});
    int port = 0;
    REQUIRE(Background::wait_for([&] {
      const std::string err = server.err();
      const auto at = err.find("127.0.0.1:");
      if (at != std::string::npos) port = std::atoi(err.c_str() + at + 10);
      return port > 0;
    }));
    std::mutex mutex;  // guards present, absent, the counters and next_id
    std::set<std::string> in_flight;
    std::atomic<bool> down{false};
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c)
      clients.emplace_back([&, c] {
        httplib::Client http("127.0.0.1", port);
        http.set_read_timeout(30, 0);
        const httplib::Headers auth = {{"Authorization", "Bearer t"}};
        std::mt19937 mine(seed + static_cast<unsigned>(k * 10 + c));
        while (!down) {
          bool remove = false;
          const std::string id = [&] {
            std::lock_guard lock(mutex);
            remove = !present.empty() && mine() % 3 == 0;
            std::string chosen = std::to_string(next_id) + "z";  // (no "z" + ...: GCC 12 -Wrestrict, bug 105329)
            if (remove) {
              auto it = present.begin();
              std::advance(it, static_cast<long>(mine() % present.size()));
              chosen = *it;
              present.erase(it);  // in flight now: neither acknowledged present nor absent
            } else {
              ++next_id;
            }
            in_flight.insert(chosen);
            return chosen;
          }();
          const auto r = remove ? http.Delete("/articles/" + id, auth)
                                : http.Post("/articles", auth, article_line(id), "application/x-ndjson");
          std::lock_guard lock(mutex);
          if (r && r->status == 200) {
            in_flight.erase(id);
            (remove ? absent : present).insert(id);
            ++(remove ? deletes : posts);
          } else if (r) {  // refused by a server that is up: not acknowledged, and counted (none expected)
            if (!refused++) first_refusal = std::to_string(r->status) + " " + r->body;
          } else {
            down = true;  // the server is gone: this write stays unacknowledged
          }
        }
      });
    std::uniform_real_distribution<double> moment(0.05, 1.0);
    std::this_thread::sleep_for(std::chrono::duration<double>(moment(rng)));
    server.signal(SIGKILL);
    REQUIRE(server.wait() == 128 + SIGKILL);
    down = true;
    for (auto& t : clients) t.join();

    std::string wrong;
    const auto in_index = whole_articles(db, wrong);
    INFO("after kill " << k + 1 << " (seed " << seed << "): " << wrong);
    REQUIRE(wrong.empty());
    const auto report = check_index(db);
    INFO((report.problems.empty() ? "" : report.problems.front()));
    REQUIRE(report.ok());
    for (const auto& id : present) {
      INFO("acknowledged as posted: " << id);
      REQUIRE(in_index.count(id));
    }
    for (const auto& id : absent) {
      INFO("acknowledged as deleted: " << id);
      REQUIRE_FALSE(in_index.count(id));
    }
    // Writes under way at the kill: whichever way they went, they are whole (checked above); from now on
    // their state is what the index says.
    for (const auto& id : in_flight) {
      ++unacknowledged;
      if (in_index.count(id)) present.insert(id);
      else absent.insert(id);
    }
  }
  std::cout << "http kill test: " << kills << " kills; " << posts << " POSTs and " << deletes
            << " DELETEs acknowledged, all there; " << unacknowledged
            << " writes under way at a kill, each wholly done or not at all" << std::endl;
  CHECK(posts > 0);
  CHECK(deletes > 0);
  CHECK(unacknowledged > 0);  // kills came while writes were under way
  INFO("first refusal: " << first_refusal);
  CHECK(refused == 0);
}
