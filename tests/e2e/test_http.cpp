// The service through HTTP: a real `fundstelle serve` on a free loopback port, and cpp-httplib's client.
#include <catch2/catch.hpp>

#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "fundstelle/fundstelle.h"
#include "test_support.h"

extern char** environ;

namespace {

using nlohmann::json;

// Starts `fundstelle serve` on a free port and stops it at the end of the test.
class Server {
 public:
  Server(const std::string& db, const std::string& token) {
    log_ = db + ".serve.log";
    std::vector<std::string> args = {FUNDSTELLE_BINARY, "serve", "--db", db, "--port", "0", "--max-body", "100000"};
    if (!token.empty()) args.insert(args.end(), {"--write-token", token});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    REQUIRE(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    // The port is in the first line: "... listening on http://127.0.0.1:PORT/ ..."
    for (int i = 0; i < 200 && port_ == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
      const std::string text = fundstelle::test::read_text(log_);
      const auto at = text.find("127.0.0.1:");
      if (at != std::string::npos) port_ = std::atoi(text.c_str() + at + 10);
    }
    REQUIRE(port_ > 0);
  }
  ~Server() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(20, 0);
    return c;
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = 0;
  int port_ = 0;
  std::string log_;
};

std::string encode(const std::string& s) { return httplib::detail::encode_query_param(s); }

// The demo corpus indexed into `dir`; returns the index path.
std::string index_corpus(const fundstelle::test::TempDir& dir) {
  const std::string db = (dir / "index").string();
  fundstelle::Indexer(db).index_paths({fundstelle::test::corpus_dir().string()});
  return db;
}

json body_of(const httplib::Result& r) {
  REQUIRE(r);
  return json::parse(r->body);
}

}  // namespace

TEST_CASE("http: search, articles, health, stats", "[e2e][http]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "");
  auto c = server.client();

  const auto health = c.Get("/health");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(body_of(health)["status"] == "ok");

  const auto r = c.Get("/search?q=" + encode("Entwicklungszentrum München") + "&limit=3");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type").find("application/json") != std::string::npos);
  const json j = body_of(r);
  REQUIRE(j["hits"].size() >= 1);
  CHECK(j["hits"][0]["article"].get<std::string>().starts_with("003_"));
  for (const char* field : {"rank", "score", "article", "title", "kind", "text", "highlights"})
    CHECK(j["hits"][0].contains(field));
  CHECK(j["total_estimate"].get<int>() >= 1);
  CHECK(j.contains("expansions"));

  const json typo = body_of(c.Get("/search?q=Entwiklungszentrum"));
  CHECK(typo["corrected"] == true);
  CHECK(typo["suggestion"] == "Entwicklungszentrum");
  const json syn = body_of(c.Get("/search?q=Beteiligung"));
  REQUIRE(syn["expansions"].size() == 1);
  CHECK(body_of(c.Get("/search?q=Beteiligung&exact=1"))["hits"].empty());
  const json comments = body_of(c.Get("/search?q=China&kind=comment&per_article=0"));
  for (const auto& h : comments["hits"]) CHECK(h["kind"] == "comment");
  const json page2 = body_of(c.Get("/search?q=Xiaomi&limit=2&offset=2"));
  REQUIRE(page2["hits"].size() == 2);
  CHECK(page2["hits"][0]["rank"] == 3);

  const auto article = c.Get("/articles/" + encode(fundstelle::test::seed("003_").filename().string()));
  REQUIRE(article);
  CHECK(article->status == 200);
  CHECK(body_of(article)["passages"].size() >= 5);

  const json stats = body_of(c.Get("/stats"));
  CHECK(stats["articles"] == 5);
  CHECK(stats["passages"].get<int>() > 20);
  CHECK(stats["index_bytes"].get<long>() > 0);
  CHECK_FALSE(stats["last_commit"].get<std::string>().empty());

  const auto page = c.Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->body.find("<form") != std::string::npos);
}

TEST_CASE("http: bad requests get JSON errors with the right status", "[e2e][http]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "");
  auto c = server.client();
  const auto status = [&](const httplib::Result& r) { return r ? r->status : -1; };

  const auto malformed = c.Get("/search?q=" + encode("\"Samsung SDI"));
  CHECK(status(malformed) == 400);
  CHECK(body_of(malformed)["position"] == 0);
  CHECK(status(c.Get("/search")) == 400);
  CHECK(status(c.Get("/search?q=Ferrari&limit=0")) == 400);
  CHECK(status(c.Get("/search?q=Ferrari&limit=abc")) == 400);
  CHECK(status(c.Get("/search?q=Ferrari&kind=tweet")) == 400);
  const auto too_long = c.Get("/search?q=" + encode(std::string(20000, 'a')));  // the URI itself is too long
  CHECK(status(too_long) == 414);
  CHECK(body_of(too_long).contains("error"));
  CHECK(status(c.Get("/search?q=" + encode(std::string(4000, 'a') + " ("))) == 400);
  const auto missing = c.Get("/articles/nicht-da");
  CHECK(status(missing) == 404);
  CHECK(body_of(missing)["error"].get<std::string>().find("nicht-da") != std::string::npos);
  CHECK(status(c.Get("/nirgends")) == 404);
  const auto wrong = c.Post("/search", "x", "text/plain");
  CHECK(status(wrong) == 405);
  CHECK(wrong->get_header_value("Allow") == "GET");
  CHECK(status(c.Delete("/articles")) == 405);
  // Writing without a configured token is refused.
  CHECK(status(c.Post("/articles", R"({"id":"x","body":"y"})", "application/x-ndjson")) == 403);
  // Still answering after all that.
  CHECK(status(c.Get("/health")) == 200);
}

TEST_CASE("http: writes need the token; search keeps working while articles are posted", "[e2e][http]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "geheim");
  auto c = server.client();
  const std::string feed = R"({"id":"z1","title":"Zeppelin","body":"Der Zeppelin landet in Friedrichshafen."})";
  CHECK(c.Post("/articles", feed, "application/x-ndjson")->status == 403);
  httplib::Headers wrong = {{"Authorization", "Bearer falsch"}};
  CHECK(c.Post("/articles", wrong, feed, "application/x-ndjson")->status == 403);
  CHECK(c.Post("/articles", std::string(200000, 'x'), "application/x-ndjson")->status == 413);

  // Searchers in other threads while articles are posted and committed.
  std::atomic<bool> done{false};
  std::atomic<int> ok{0}, bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t)
    readers.emplace_back([&] {
      auto rc = server.client();
      for (int i = 0; i < 400 && !done; ++i) {
        const auto r = rc.Get("/search?q=Xiaomi");
        (r && r->status == 200 && !json::parse(r->body)["hits"].empty()) ? ++ok : ++bad;
      }
    });
  httplib::Headers auth = {{"Authorization", "Bearer geheim"}};
  for (int b = 0; b < 8; ++b) {
    const std::string line = R"({"id":"z)" + std::to_string(b) +
                             R"(","title":"Zeppelin","body":"Der Zeppelin Nummer )" + std::to_string(b) +
                             R"( landet in Friedrichshafen."})";
    const auto r = c.Post("/articles", auth, line + "\n{kaputt}\n", "application/x-ndjson");
    REQUIRE(r);
    CHECK(r->status == 200);
    const json report = json::parse(r->body);
    CHECK(report["added"] == 1);
    CHECK(report["skipped"] == 1);  // the broken line is reported, the good one indexed
  }
  done = true;
  for (auto& t : readers) t.join();
  CHECK(bad == 0);
  CHECK(ok > 0);
  const json all = body_of(c.Get("/search?q=Zeppelin&per_article=0&limit=50"));
  CHECK(all["hits"].size() == 8);
}

TEST_CASE("http: a write while another writer holds the index is 409, by the error's kind", "[e2e][http]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "geheim");
  auto c = server.client();
  httplib::Headers auth = {{"Authorization", "Bearer geheim"}};
  const std::string feed = R"({"id":"z1","title":"Zeppelin","body":"Der Zeppelin landet in Friedrichshafen."})";
  {
    fundstelle::Indexer holder(db);  // this process holds the writer lock
    const auto r = c.Post("/articles", auth, feed, "application/x-ndjson");
    REQUIRE(r);
    CHECK(r->status == 409);
    const json body = json::parse(r->body);
    CHECK(body["status"] == 409);
    CHECK_THAT(body["error"].get<std::string>(), Catch::Contains("locked by process " + std::to_string(getpid())));
  }
  CHECK(c.Post("/articles", auth, feed, "application/x-ndjson")->status == 200);  // free again
}
