// The service through HTTP: a real `fundstelle serve` on a free loopback port, and cpp-httplib's client.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "base/utf8.h"
#include "fundstelle/fundstelle.h"
#include "index/schema.h"
#include "test_support.h"

extern char** environ;

namespace {

using nlohmann::json;

// Starts `fundstelle serve` on a free port and stops it at the end of the test.
class Server {
 public:
  // `extra`: more arguments; `env`: more NAME=VALUE entries of its environment.
  Server(const std::string& db, const std::string& token, const std::vector<std::string>& extra = {},
         std::vector<std::string> env = {}) {
    log_ = db + ".serve.log";
    std::vector<std::string> args = {FUNDSTELLE_BINARY, "serve", "--db", db, "--port", "0", "--max-body", "100000"};
    if (!token.empty()) args.insert(args.end(), {"--write-token", token});
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (char** e = environ; *e; ++e) envp.push_back(*e);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    REQUIRE(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data()) == 0);
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
    // Stopped cleanly: exit code 0 (under the sanitizers also no leak or error reported at exit).
    const bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!clean)
      UNSCOPED_INFO("fundstelle serve stopped with status " << status << ":\n" << fundstelle::test::read_text(log_));
    CHECK(clean);
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(20, 0);
    return c;
  }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // What it wrote to standard error so far.
  std::string log() const { return fundstelle::test::read_text(log_); }
  // The server process's resident memory, in KiB: now (VmRSS) or at its peak so far (VmHWM).
  long rss_kib(std::string_view which = "VmRSS:") const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    for (std::string line; std::getline(status, line);)
      if (line.starts_with(which)) return std::atol(line.c_str() + which.size());
    return -1;
  }
  // A plain TCP connection to the server (closed by the caller).
  int connect_raw() const {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port_));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    return fd;
  }

 private:
  pid_t pid_ = 0;
  int port_ = 0;
  std::string log_;
};

std::string encode(const std::string& s) { return httplib::detail::encode_query_param(s); }

// Sends all of `data` on `fd`; false once the peer has closed.
bool send_all(int fd, const std::string& data) {
  for (std::size_t at = 0; at < data.size();) {
    const ssize_t n = send(fd, data.data() + at, data.size() - at, MSG_NOSIGNAL);
    if (n <= 0) return false;
    at += static_cast<std::size_t>(n);
  }
  return true;
}

// What the peer sends until it closes or is silent for two seconds.
std::string receive(int fd) {
  timeval tv{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

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
  for (const char* field : {"rank", "score", "article", "kind", "text", "highlights"})
    CHECK(j["hits"][0].contains(field));
  // The article's fields once, under its id, not with each hit.
  CHECK_FALSE(j["hits"][0].contains("title"));
  CHECK(j["articles"][j["hits"][0]["article"].get<std::string>()]["title"].get<std::string>().starts_with(
      "Laut einem Bericht des Nikkei"));
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

  // The answers are written without a JSON library (cli/json_writer.h) in the form nlohmann::json writes:
  // compact, members sorted by key, its escapes and number forms; parsed and written again, they are the same
  // bytes. (Comments, highlights, explanations, snippets, facets, corrections and an article's page.)
  for (const std::string& path :
       {"/search?q=" + encode("Entwicklungszentrum München") + "&explain=1&snippet=1&facets=author,tag,month,year",
        std::string("/search?q=China&kind=comment&per_article=0&explain=1"),
        std::string("/search?q=Entwiklungszentrum"),
        "/articles/" + encode(fundstelle::test::seed("003_").filename().string())}) {
    const auto answer = c.Get(path);
    REQUIRE(answer);
    INFO(path);
    CHECK(answer->status == 200);
    CHECK(answer->body == json::parse(answer->body).dump());
  }

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

TEST_CASE("http: the page answers a query with its results in it, for a browser without JavaScript",
          "[e2e][http][page]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "geheim");
  auto c = server.client();
  const auto empty = c.Get("/");
  REQUIRE(empty);
  CHECK(empty->body.find("<ol id=\"hits\"></ol>") != std::string::npos);  // no query: the page as it is

  const auto r = c.Get("/?q=" + encode("Entwicklungszentrum München"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK_THAT(r->body, Catch::Contains("name=\"q\" value=\"Entwicklungszentrum München\""));
  CHECK_THAT(r->body, Catch::Contains("<title>Entwicklungszentrum München – Fundstelle</title>"));
  const auto first = r->body.find("<ol id=\"hits\"><li class=\"hit\" data-article=\"003_");
  REQUIRE(first != std::string::npos);
  const std::string hit = r->body.substr(first, r->body.find("</li>", first) - first);
  CHECK_THAT(hit, Catch::Contains("<mark>München</mark>"));
  CHECK_THAT(hit, Catch::Contains("<span class=\"kind article\">Artikel</span>"));
  const std::string notes_open = "<p class=\"notes\" id=\"notes\" aria-live=\"polite\">";
  const auto notes = r->body.find(notes_open);
  REQUIRE(notes != std::string::npos);
  CHECK_THAT(r->body.substr(notes + notes_open.size(), r->body.find("</p>", notes) - notes - notes_open.size()),
             Catch::Matches("1–[0-9]+ von ~?[0-9]+ Treffern"));
  CHECK(r->body.find("<noscript><nav>") == std::string::npos);  // one page of hits: no paging

  // Paging by links, keeping what the search was asked with.
  const auto many = c.Get("/?q=Xiaomi&per_article=0");
  REQUIRE(many);
  CHECK_THAT(many->body, Catch::Contains("<noscript><nav><a href=\"?q=Xiaomi&amp;per_article=0&amp;offset=10\">"
                                         "Weiter →</a></nav></noscript>"));
  // (The demo corpus has no dates: a date order finds nothing, and says so, with the order chosen.)
  const auto sorted = c.Get("/?q=Xiaomi&sort=oldest");
  REQUIRE(sorted);
  CHECK_THAT(sorted->body, Catch::Contains("<option value=\"oldest\" selected>"));
  CHECK_THAT(sorted->body, Catch::Contains(">Keine Treffer.</p>"));
  const auto second = c.Get("/?q=Xiaomi&per_article=0&offset=10");
  REQUIRE(second);
  CHECK_THAT(second->body, Catch::Contains("\">← Zurück</a>"));
  CHECK_THAT(second->body, Catch::Contains(">11–"));

  // What the query or an article holds is text, never markup: not the query, not a javascript: URL.
  const auto evil = c.Get("/?q=" + encode("<script>alert(1)</script> Xiaomi"));
  REQUIRE(evil);
  CHECK(evil->body.find("<script>alert(1)") == std::string::npos);
  CHECK_THAT(evil->body, Catch::Contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt; Xiaomi\""));
  httplib::Headers auth = {{"Authorization", "Bearer geheim"}};
  REQUIRE(c.Post("/articles", auth,
                 std::string(R"J({"id":"trick","title":"<b>Trick</b>","url":"javascript:alert(1)",)J"
                             R"J("body":"Ein Zeppelinhafen <img src=x onerror=alert(1)> am See."})J"),
                 "application/x-ndjson")
              ->status == 200);
  const auto trick = c.Get("/?q=Zeppelinhafen");
  REQUIRE(trick);
  CHECK_THAT(trick->body, Catch::Contains("<h2>&lt;b&gt;Trick&lt;/b&gt;</h2>"));
  CHECK_THAT(trick->body, Catch::Contains("&lt;img src=x onerror=alert(1)&gt;"));
  CHECK(trick->body.find("javascript:alert") == std::string::npos);  // no link to it

  // A failed search says why, in German, with the status of /search.
  const auto bad = c.Get("/?q=" + encode("\"Samsung"));
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK_THAT(bad->body, Catch::Contains("<span class=\"error\">Die Suchanfrage ist fehlerhaft (bei Zeichen 1)"));
  const auto date = c.Get("/?q=Xiaomi&from=morgen");
  REQUIRE(date);
  CHECK(date->status == 400);
  CHECK_THAT(date->body, Catch::Contains("Die Angabe „from“ ist ungültig."));
}

TEST_CASE("http: the page offers no next page beyond the deepest offset a search takes", "[e2e][http][page]") {
  fundstelle::test::TempDir dir;
  const std::string db = (dir / "index").string();
  {
    fundstelle::Indexer indexer(db);
    for (int i = 0; i < 1020; ++i) {
      fundstelle::Article a;
      a.id = "zeppelin-" + std::to_string(i);
      a.paragraphs = {"Der Zeppelin Nummer " + std::to_string(i) + " landet."};
      indexer.put(a);
    }
    indexer.commit();
  }
  Server server(db, "");
  auto c = server.client();
  const auto near_end = c.Get("/?q=Zeppelin&per_article=0&offset=990");
  REQUIRE(near_end);
  CHECK_THAT(near_end->body, Catch::Contains("offset=1000\">Weiter →</a>"));
  const auto last = c.Get("/?q=Zeppelin&per_article=0&offset=1000");
  REQUIRE(last);
  CHECK(last->status == 200);
  CHECK_THAT(last->body, Catch::Contains(">1001–1010 von"));
  CHECK_THAT(last->body, Catch::Contains("\">← Zurück</a>"));
  CHECK_THAT(last->body, !Catch::Contains("Weiter →</a>"));  // offset 1010 would be refused
  CHECK(c.Get("/search?q=Zeppelin&offset=1010")->status == 400);
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
  // Bytes that make no UTF-8, in any parameter of any resource, and %00 (which would end a C string early and
  // leave the rest unread): 400, not another question.
  for (const char* target : {"/suggest?q=%FF", "/search?q=Xiaomi&author=%FF", "/search?q=Xiaomi&tag=%C3",
                             "/search?q=Xiao%00mi", "/articles/nicht%00da", "/search?q=%00"}) {
    INFO(target);
    const auto r = c.Get(target);
    CHECK(status(r) == 400);
    if (r) CHECK(body_of(r)["error"].get<std::string>().find("UTF-8") != std::string::npos);
  }
  // A yes/no parameter takes yes or no, a one-value parameter one value; an empty name (?&q=) asks nothing.
  CHECK(status(c.Get("/search?q=Xiaomi&explain=ture")) == 400);
  CHECK(status(c.Get("/search?q=Xiaomi&exact=2")) == 400);
  CHECK(status(c.Get("/search?q=Xiaomi&explain=0")) == 200);
  CHECK(status(c.Get("/search?q=Xiaomi&snippet=yes")) == 200);
  const auto twice = c.Get("/search?q=Xiaomi&limit=1&limit=abc");
  CHECK(status(twice) == 400);
  if (twice) CHECK(body_of(twice)["parameter"] == "limit");
  CHECK(status(c.Get("/search?q=Xiaomi&q=Ferrari")) == 400);
  CHECK(status(c.Get("/search?q=Xiaomi&author=a&author=b")) == 200);
  CHECK(status(c.Get("/search?&q=Xiaomi&&limit=1")) == 200);
  // Still answering after all that.
  CHECK(status(c.Get("/health")) == 200);
}

TEST_CASE("http: writes need the token, and search keeps working while articles are posted", "[e2e][http]") {
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
  std::mutex first_bad_lock;
  std::string first_bad;  // what the first failed search got, for the report
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t)
    readers.emplace_back([&] {
      auto rc = server.client();
      for (int i = 0; i < 400 && !done; ++i) {
        const auto r = rc.Get("/search?q=Xiaomi");
        if (r && r->status == 200 && !json::parse(r->body)["hits"].empty()) {
          ++ok;
          continue;
        }
        ++bad;
        const std::lock_guard<std::mutex> hold(first_bad_lock);
        if (first_bad.empty())
          first_bad = r ? "status " + std::to_string(r->status) + ": " + r->body.substr(0, 500)
                        : "no answer: " + httplib::to_string(r.error());
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
  INFO("first failed search: " << first_bad);
  CHECK(bad == 0);
  CHECK(ok > 0);
  const json all = body_of(c.Get("/search?q=Zeppelin&per_article=0&limit=50"));
  CHECK(all["hits"].size() == 8);
}

TEST_CASE("http: writes wait for another writer, up to --write-wait, then 503 with Retry-After", "[e2e][http]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "geheim", {"--write-wait", "3"});
  auto c = server.client();
  httplib::Headers auth = {{"Authorization", "Bearer geheim"}};
  const std::string feed = R"({"id":"z1","title":"Zeppelin","body":"Der Zeppelin landet in Friedrichshafen."})";
  {
    fundstelle::Indexer holder(db);  // this process holds the writer lock, longer than the server waits
    const auto r = c.Post("/articles", auth, feed, "application/x-ndjson");
    REQUIRE(r);
    CHECK(r->status == 503);
    CHECK(r->get_header_value("Retry-After") == "5");
    const json body = json::parse(r->body);
    CHECK(body["status"] == 503);
    CHECK_THAT(body["error"].get<std::string>(), Catch::Contains("locked by process " + std::to_string(getpid())));
    // Four writes at once, queued behind each other: the bound counts from each one's arrival, so all four
    // are answered 503 after about one bound, not one bound after another (3, 6, 9, 12 s).
    const auto sent = std::chrono::steady_clock::now();
    std::vector<std::thread> writers;
    std::atomic<int> refused{0};
    for (int i = 0; i < 4; ++i)
      writers.emplace_back([&] {
        const auto w = server.client().Post("/articles", auth, feed, "application/x-ndjson");
        if (w && w->status == 503) ++refused;
      });
    for (auto& t : writers) t.join();
    CHECK(refused == 4);
    CHECK(std::chrono::steady_clock::now() - sent < std::chrono::milliseconds(5500));
  }
  {
    // Held for less than the wait: the write waits, counted in /metrics as waiting, and succeeds.
    auto holder = std::make_unique<fundstelle::Indexer>(db);
    int status = 0;
    std::thread post([&] {
      const auto r = server.client().Post("/articles", auth, feed, "application/x-ndjson");
      status = r ? r->status : -1;
    });
    const auto waiting = [&](int n) {
      const auto m = c.Get("/metrics");
      return m && m->body.find("\nfundstelle_writes_waiting " + std::to_string(n) + "\n") != std::string::npos;
    };
    bool seen = false;
    for (int i = 0; i < 25 && !seen; ++i) {  // (at most a second or so: the server waits three)
      seen = waiting(1);
      if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    holder.reset();
    post.join();
    CHECK(seen);
    CHECK(status == 200);
    CHECK(waiting(0));
  }
}

// `n` clients at once, each POSTing one article (id WORD0, WORD1, ...; its text holds `word`) with the write
// token "geheim"; `added` counts the answers 200 that added it. The threads are the caller's to join.
std::vector<std::thread> post_each(const Server& server, int n, const std::string& word, std::atomic<int>& added) {
  std::vector<std::thread> writers;
  for (int w = 0; w < n; ++w)
    writers.emplace_back([&server, &added, word, w] {
      auto c = server.client();
      httplib::Headers auth = {{"Authorization", "Bearer geheim"}};
      const std::string line = R"({"id":")" + word + std::to_string(w) + R"(","title":")" + word + R"(","body":")" +
                               word + " " + std::to_string(w) + R"( landet."})";
      const auto r = c.Post("/articles", auth, line, "application/x-ndjson");
      if (r && r->status == 200 && json::parse(r->body)["added"] == 1) ++added;
    });
  return writers;
}

TEST_CASE("http: writes waiting for the index do not hold up searches", "[e2e][http]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "geheim", {"--write-wait", "8", "--threads", "2"});
  auto holder = std::make_unique<fundstelle::Indexer>(db);  // another writer holds the index
  // Three writes wait for it (as many as the server has threads, and one more).
  std::atomic<int> written{0};
  auto writers = post_each(server, 3, "Ballon", written);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the writes are waiting now
  // Searches on new connections (each thread of the server gets some) are answered meanwhile, not after the
  // writes: within a second each, where the writes wait up to 8.
  for (int i = 0; i < 8; ++i) {
    const auto started = std::chrono::steady_clock::now();
    const auto r = server.client().Get("/search?q=Xiaomi");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    CHECK(r);  // (not REQUIRE: the writers are joined below whatever happens)
    if (r) CHECK(r->status == 200);
    CHECK(seconds < 1.0);
  }
  CHECK(written == 0);  // still waiting
  holder.reset();
  for (auto& t : writers) t.join();
  CHECK(written == 3);
  const json all = body_of(server.client().Get("/search?q=Ballon&per_article=0&limit=50"));
  CHECK(all["hits"].size() == 3);
}

TEST_CASE("http: concurrent writes are taken one after another, and all succeed", "[e2e][http]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "geheim");
  std::atomic<int> ok{0};
  auto writers = post_each(server, 10, "Luftschiff", ok);
  for (auto& t : writers) t.join();
  CHECK(ok == 10);
  const json all = body_of(server.client().Get("/search?q=Luftschiff&per_article=0&limit=50"));
  CHECK(all["hits"].size() == 10);
}

TEST_CASE("http: writes are taken in the order they came, a DELETE after the POST before it", "[e2e][http]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "geheim", {"--write-wait", "8"});
  httplib::Headers auth = {{"Authorization", "Bearer geheim"}};
  auto holder = std::make_unique<fundstelle::Indexer>(db);  // every write waits behind it
  // Three writes, each sent once the one before waits: a first one that takes the writer's turn, then a POST
  // and a DELETE of the same article, both queued behind it. Taken in any other order than they came (the
  // DELETE before the POST), the article would stay.
  int first = 0, posted = 0, deleted = 0;
  const auto write_in_thread = [&](int& status, auto send) {
    std::thread t([&status, send, &server] {
      const auto r = send(server.client());
      status = r ? r->status : -1;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // it waits now
    return t;
  };
  std::vector<std::thread> writes;
  writes.push_back(write_in_thread(first, [&](auto c) {
    return c.Post("/articles", auth, R"({"id":"vorne","title":"Vorne","body":"Ein Ballon steigt auf."})",
                  "application/x-ndjson");
  }));
  writes.push_back(write_in_thread(posted, [&](auto c) {
    return c.Post("/articles", auth, R"({"id":"folge","title":"Folge","body":"Der Zeppelin landet."})",
                  "application/x-ndjson");
  }));
  writes.push_back(write_in_thread(deleted, [&](auto c) { return c.Delete("/articles/folge", auth); }));
  holder.reset();
  for (auto& t : writes) t.join();
  CHECK(first == 200);
  CHECK(posted == 200);
  CHECK(deleted == 200);  // the article was there when the DELETE ran
  CHECK(body_of(server.client().Get("/search?q=Zeppelin"))["hits"].empty());
  CHECK(body_of(server.client().Get("/search?q=Ballon"))["hits"].size() == 1);
}

TEST_CASE("http: a write is admitted on its headers: without the token its body is never read, beyond "
          "--max-writes it gets 503",
          "[e2e][http][limits]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "geheim", {"--write-wait", "8", "--max-writes", "2"});
  // Heads announcing a body (within --max-body) that never comes: a write without its token, or with a wrong
  // one, a POST to a route that takes none, another method: each answered at once, the body not waited for.
  const std::vector<std::pair<std::string, std::string>> heads = {
      {"POST /articles HTTP/1.1\r\n", "HTTP/1.1 403"},
      {"POST /articles HTTP/1.1\r\nAuthorization: Bearer falsch\r\n", "HTTP/1.1 403"},
      {"DELETE /articles/xiaomi HTTP/1.1\r\nAuthorization: Bearer falsch\r\n", "HTTP/1.1 403"},
      {"POST /nirgends HTTP/1.1\r\nAuthorization: Bearer geheim\r\n", "HTTP/1.1 404"},
      {"PUT /search HTTP/1.1\r\n", "HTTP/1.1 405"}};
  for (const auto& [head, status] : heads) {
    INFO(head);
    const int fd = server.connect_raw();
    const auto started = std::chrono::steady_clock::now();
    REQUIRE(send_all(fd, head + "Host: x\r\nContent-Length: 90000\r\n\r\n"));
    const std::string answer = receive(fd);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));  // did not wait for a body
    CHECK(answer.starts_with(status));
    CHECK(answer.find("\"error\"") != std::string::npos);
    close(fd);
  }
  // Writes with the token wait behind another writer; a third beyond --max-writes 2 is refused at once.
  auto holder = std::make_unique<fundstelle::Indexer>(db);
  std::atomic<int> written{0};
  auto writers = post_each(server, 2, "Ballon", written);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  httplib::Headers auth = {{"Authorization", "Bearer geheim"}};
  const auto third = server.client().Post(
      "/articles", auth, R"({"id":"dritter","title":"Dritter","body":"Noch ein Ballon."})", "application/x-ndjson");
  CHECK(third);
  if (third) {
    CHECK(third->status == 503);
    CHECK(third->get_header_value("Retry-After") == "1");
    CHECK(third->body.find("too many writes") != std::string::npos);
  }
  holder.reset();
  for (auto& t : writers) t.join();
  CHECK(written == 2);
}

TEST_CASE("http: bodies over the limit are refused before they are buffered, in any transfer encoding",
          "[e2e][http][limits]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "geheim");  // --max-body 100000
  auto c = server.client();
  const long idle = server.rss_kib();
  REQUIRE(idle > 0);
  // A chunked body of 40 MB, 400 times the limit: refused with 413 as soon as it passes the limit, cut off
  // once it passes twice the limit, and the server's memory stays near idle.
  {
    const int fd = server.connect_raw();
    REQUIRE(send_all(fd, "POST /articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer geheim\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n"));
    const std::string chunk = std::string("10000\r\n") + std::string(0x10000, 'a') + "\r\n";
    std::size_t sent = 0;
    while (sent < 40u << 20 && send_all(fd, chunk)) sent += 0x10000;
    CHECK(sent < 40u << 20);  // the server stopped reading long before the end
    const std::string answer = receive(fd);
    CHECK(answer.starts_with("HTTP/1.1 413"));
    CHECK(answer.find("larger than 100000 bytes") != std::string::npos);
    close(fd);
  }
  // A chunked body past the limit whose end has not come: the 413 comes at once, not when the body ends
  // (libmicrohttpd answers only after a whole body) nor when the connection times out.
  {
    const int fd = server.connect_raw();
    REQUIRE(send_all(fd, "POST /articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer geheim\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n"));
    REQUIRE(send_all(fd, "30000\r\n" + std::string(0x30000, 'a') + "\r\n"));
    const auto asked = std::chrono::steady_clock::now();
    const std::string answer = receive(fd);
    CHECK(answer.starts_with("HTTP/1.1 413"));
    CHECK(std::chrono::steady_clock::now() - asked < std::chrono::seconds(5));  // (the timeout is 10 s)
    close(fd);
  }
  // A declared length over the limit: 413 before a byte of the body is sent.
  {
    const int fd = server.connect_raw();
    REQUIRE(send_all(fd, "POST /articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer geheim\r\n"
                         "Content-Length: 999999999999\r\n\r\n"));
    const std::string answer = receive(fd);
    CHECK(answer.starts_with("HTTP/1.1 413"));
    CHECK(answer.find("\"error\"") != std::string::npos);
    close(fd);
  }
  // A chunked body just over the limit is read to its end and answered 413 in JSON.
  {
    const int fd = server.connect_raw();
    REQUIRE(send_all(fd, "POST /articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer geheim\r\n"
                         "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"));
    REQUIRE(send_all(fd, "30000\r\n" + std::string(0x30000, 'a') + "\r\n0\r\n\r\n"));
    const std::string answer = receive(fd);
    CHECK(answer.starts_with("HTTP/1.1 413"));
    CHECK(answer.find("larger than 100000 bytes") != std::string::npos);
    close(fd);
  }
  // A transfer coding other than chunked: 501 at once, not a wait for the connection's timeout.
  {
    const int fd = server.connect_raw();
    REQUIRE(send_all(fd, "POST /articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer geheim\r\n"
                         "Transfer-Encoding: gzip, chunked\r\n\r\n"));
    const std::string answer = receive(fd);
    CHECK(answer.starts_with("HTTP/1.1 501"));
    CHECK(answer.find("chunked") != std::string::npos);
    close(fd);
  }
  CHECK(server.rss_kib() - idle < 8 * 1024);
  // A body within the limit is indexed.
  httplib::Headers auth = {{"Authorization", "Bearer geheim"}};
  const auto ok = c.Post("/articles", auth, std::string(R"({"id":"klein","title":"Klein","body":"Ein Satz."})"),
                         "application/x-ndjson");
  REQUIRE(ok);
  CHECK(ok->status == 200);
}

TEST_CASE("http: a read's body is not kept, on any number of connections", "[e2e][http][limits]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "");  // --max-body 100000
  const long idle = server.rss_kib();
  REQUIRE(idle > 0);
  // 150 GETs each announcing a body within the limit and sending most of it, then waiting: kept, they would
  // take 15 MB; dropped as it comes, the server's memory stays near idle.
  std::vector<int> held;
  const std::string body(95000, 'a');
  for (int i = 0; i < 150; ++i) {
    const int fd = server.connect_raw();
    REQUIRE(fd >= 0);
    held.push_back(fd);
    REQUIRE(send_all(fd, "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 99000\r\n\r\n" + body));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // read by the server meanwhile
  CHECK(server.rss_kib() - idle < 10 * 1024);
  // The rest of a body arrives: the request is answered as if it had none.
  REQUIRE(send_all(held.front(), std::string(4000, 'a')));
  CHECK(receive(held.front()).starts_with("HTTP/1.1 200"));
  for (const int fd : held) close(fd);
  // A read's chunked body beyond the limit: 413 (or cut off), as for a write.
  const int fd = server.connect_raw();
  REQUIRE(send_all(fd, "GET /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"));
  REQUIRE(send_all(fd, "30000\r\n" + std::string(0x30000, 'a') + "\r\n0\r\n\r\n"));
  CHECK(receive(fd).starts_with("HTTP/1.1 413"));
  close(fd);
}

TEST_CASE("http: idle and slow connections do not stop the server from answering", "[e2e][http][limits]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "");
  // 50 connections that send nothing, and 50 that send half a request and stop.
  std::vector<int> held;
  for (int i = 0; i < 100; ++i) {
    held.push_back(server.connect_raw());
    if (i % 2) REQUIRE(send_all(held.back(), "GET /search?q=Xiaomi HTTP/1.1\r\nHost: x\r\n"));
  }
  auto c = server.client();
  c.set_read_timeout(1, 0);
  c.set_connection_timeout(1, 0);
  const auto r = c.Get("/search?q=Xiaomi&limit=1");
  REQUIRE(r);
  CHECK(r->status == 200);
  for (const int fd : held) close(fd);
}

TEST_CASE("http: --timeout closes a silent connection, a half-sent request and a client that stops reading",
          "[e2e][http][limits]") {
  fundstelle::test::TempDir dir;
  const std::string db = (dir / "index").string();
  {
    // One article of a thousand long passages: its page (about a megabyte) is more than the sockets hold.
    std::string body;
    for (int i = 0; i < 1000; ++i) {
      body += "Absatz " + std::to_string(i) + ":";
      for (int w = 0; w < 150; ++w) body += " Akku";
      body += ".\n\n";
    }
    const json article = {{"id", "lang"}, {"title", "Lang"}, {"body", body}};
    std::istringstream feed(article.dump() + "\n");
    fundstelle::Indexer(db).index_jsonl(feed, "feed");
  }
  Server server(db, "", {"--timeout", "1"});
  const int silent = server.connect_raw();
  const int half = server.connect_raw();
  REQUIRE(send_all(half, "GET /search?q=Akku HTTP/1.1\r\nHost: x\r\n"));
  // A client with a small receive buffer that asks for the article's page twelve times at once (about 10 MB,
  // more than the kernel buffers of both sides hold) and reads nothing.
  const int stalled = socket(AF_INET, SOCK_STREAM, 0);
  const int small = 4096;
  setsockopt(stalled, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(server.port()));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(stalled, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  std::string requests;
  for (int i = 0; i < 12; ++i) requests += "GET /articles/lang?limit=1000 HTTP/1.1\r\nHost: x\r\n\r\n";
  REQUIRE(send_all(stalled, requests));
  // A client that trickles its head, a header line every 200 ms: never silent for the timeout, but its head
  // must come whole within it (a watchdog shuts the connection; libmicrohttpd counts silence only).
  const auto waiting_since = std::chrono::steady_clock::now();
  const int trickle = server.connect_raw();
  REQUIRE(send_all(trickle, "GET /health HTTP/1.1\r\nHost: x\r\n"));
  bool trickle_cut = false;
  for (int i = 0; i < 20 && !trickle_cut; ++i) {  // (4 s)
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    trickle_cut = !send_all(trickle, "X-Zeile: " + std::to_string(i) + "\r\n");
  }
  CHECK(trickle_cut);  // (a send after the server shut the socket fails)
  // The timeout, and time for the server to see it: 4 s in all, nothing read from the stalled client.
  std::this_thread::sleep_until(waiting_since + std::chrono::seconds(4));
  // Closed by the server: nothing more to read (receive() would wait two seconds on an open one).
  for (const int fd : {silent, half, trickle}) {
    const auto asked = std::chrono::steady_clock::now();
    CHECK(receive(fd).empty());
    CHECK(std::chrono::steady_clock::now() - asked < std::chrono::seconds(1));
    close(fd);
  }
  // The answers were cut off where the client stopped reading (read now, an open connection would send all).
  const std::string got = receive(stalled);
  close(stalled);
  const std::size_t head_end = got.find("\r\n\r\n");
  REQUIRE(head_end != std::string::npos);
  const std::size_t length_at = got.find("Content-Length: ");
  REQUIRE(length_at < head_end);
  const std::size_t length = std::stoul(got.substr(length_at + 16));
  INFO("answers of " << length << " bytes, " << got.size() << " bytes received");
  CHECK(length > 500000);
  CHECK(got.size() < 12 * length);
  const auto r = server.client().Get("/health");
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("http: a request on a connection beyond --max-connections is answered 503 at once", "[e2e][http][limits]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "", {"--max-connections", "20"});
  std::vector<int> held;
  for (int i = 0; i < 20; ++i) held.push_back(server.connect_raw());
  // A request on one more connection, until the server has taken all twenty (on a busy machine it may not
  // have accepted them all yet: then it answers 200 and closes, as the request asks).
  std::string answer;
  double seconds = 0;
  for (int attempt = 0; attempt < 50 && !answer.starts_with("HTTP/1.1 503"); ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const int extra = server.connect_raw();
    const auto asked = std::chrono::steady_clock::now();
    REQUIRE(send_all(extra, "GET /search?q=Xiaomi HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    answer = receive(extra);  // until the server closes it
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - asked).count();
    close(extra);
  }
  CHECK_THAT(answer, Catch::StartsWith("HTTP/1.1 503") && Catch::Contains("Retry-After: 1") &&
                         Catch::Contains("too many connections"));
  CHECK(seconds < 1.5);  // answered and closed, not left to the two seconds of silence receive() waits for
  for (const int fd : held) close(fd);
  // Room again: answered as usual.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto r = server.client().Get("/search?q=Xiaomi&limit=1");
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("http: headers beyond the connection's memory are refused", "[e2e][http][limits]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  const std::string log = (dir / "access.log").string();
  Server server(db, "", {"--access-log", log});
  const int fd = server.connect_raw();
  std::string request = "GET /health HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 3000; ++i) request += "X-Header-" + std::to_string(i) + ": value\r\n";
  send_all(fd, request + "\r\n");
  CHECK(receive(fd).starts_with("HTTP/1.1 431"));
  close(fd);
  CHECK(server.client().Get("/health")->status == 200);
  // libmicrohttpd's own answer is in the access log too (its method unknown to us).
  const std::string logged = fundstelle::test::read_text(log);
  CHECK_THAT(logged, Catch::Contains(" - /health 431 0 ") && Catch::Contains(" GET /health 200 "));
}

TEST_CASE("http: a port in use is an error, not a second server", "[e2e][http][limits]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server first(db, "");
  // (Under a timeout: a second server that started anyway would serve until killed.)
  const auto second = fundstelle::test::run_fundstelle({"serve", "--db", db, "--port", std::to_string(first.port())},
                                                       "timeout 10");
  CHECK(second.exit_code == 2);
  CHECK(second.err.find("127.0.0.1:" + std::to_string(first.port())) != std::string::npos);
  CHECK(second.err.find("in use") != std::string::npos);
  // The process that holds the port, as the kernel tells (/proc: the same user's).
  CHECK_THAT(second.err, Catch::Contains("(by fundstelle (pid " + std::to_string(first.pid()) + "))"));
  CHECK(first.client().Get("/health")->status == 200);
}

TEST_CASE("http: an article's huge title is cut and sent once per answer, not with every hit", "[e2e][http][limits]") {
  fundstelle::test::TempDir dir;
  const std::string db = (dir / "index").string();
  {
    // One article with a title of 1.5 MB and sixty passages that all match.
    json article = {{"id", "riesig"}, {"title", std::string(1500000, 'T')}, {"body", ""}};
    // And a url, an author and tags beyond any sensible length or number.
    article["url"] = "https://example.org/" + std::string(5000, 'u');
    article["author"] = std::string(1000, 'A');
    for (int i = 0; i < 100; ++i) article["tags"].push_back("Tag" + std::to_string(i) + std::string(400, 'g'));
    std::string body;
    for (int i = 0; i < 60; ++i) body += "Absatz " + std::to_string(i) + " über den Akku.\n\n";
    article["body"] = body;
    std::istringstream feed(article.dump() + "\n");
    fundstelle::Indexer(db).index_jsonl(feed, "feed");
  }
  Server server(db, "");
  REQUIRE(server.client().Get("/search?q=Zeppelin"));  // a first search's own memory (spelling data) before
  const long peak_before = server.rss_kib("VmHWM:");
  REQUIRE(peak_before > 0);
  const auto r = server.client().Get("/search?q=Akku&limit=60&per_article=0");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const json answer = json::parse(r->body);
  REQUIRE(answer["hits"].size() == 60);
  REQUIRE(answer["articles"].size() == 1);
  const std::string title = answer["articles"]["riesig"]["title"];
  CHECK(fundstelle::base::count_code_points(title) == 301);
  CHECK(title.ends_with("\xE2\x80\xA6"));
  const json& shown = answer["articles"]["riesig"];
  CHECK(fundstelle::base::count_code_points(shown["url"].get<std::string>()) == 2049);
  CHECK(fundstelle::base::count_code_points(answer["hits"][0]["author"].get<std::string>()) == 301);
  REQUIRE(shown["tags"].size() == fundstelle::Hit::kMaxTags);  // the first 32, each cut to 256 code points
  CHECK(fundstelle::base::count_code_points(shown["tags"][0].get<std::string>()) == fundstelle::Hit::kMaxTag + 1);
  // The cut title once for sixty hits (it was in every hit).
  std::size_t titles = 0;
  for (std::size_t at = 0; (at = r->body.find(std::string(300, 'T'), at)) != std::string::npos; at += 300) ++titles;
  CHECK(titles == 1);
  // The article itself: its fields once, its passages without them, a page at a time.
  const json whole = json::parse(server.client().Get("/articles/riesig")->body);
  CHECK(fundstelle::base::count_code_points(whole["title"].get<std::string>()) == 301);
  CHECK(whole["tags"].size() == 100);  // the article's own fields whole (each cut for the answer)
  CHECK(whole["total_passages"] == 60);
  REQUIRE(whole["passages"].size() == 60);
  CHECK_FALSE(whole["passages"][0].contains("title"));
  const json page = json::parse(server.client().Get("/articles/riesig?offset=5&limit=3")->body);
  REQUIRE(page["passages"].size() == 3);
  CHECK(page["passages"][0]["ordinal"] == 5);
  CHECK(server.client().Get("/articles/riesig?limit=100000")->status == 400);
  // And the server's memory: the fields read once for the search and once for the page, not copied into
  // each of sixty hits or passages. The peak grows by about 20 MB here (the 1.5 MB title read, parsed and
  // copied a few times over); the program before 143e8cc grew it by 124 MB. (Not under AddressSanitizer, which keeps
  // freed memory aside instead of reusing it.)
#if !defined(FUNDSTELLE_TEST_ASAN)
  CHECK(server.rss_kib("VmHWM:") - peak_before < 40 * 1024);
#endif
}

TEST_CASE("http: an answer beyond --max-response is replaced by a plain error", "[e2e][http][limits]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "", {"--max-response", "2000"});
  auto c = server.client();
  const auto small = c.Get("/search?q=Xiaomi&limit=1");
  REQUIRE(small);
  CHECK(small->status == 200);
  const auto large = c.Get("/search?q=Xiaomi&limit=20");
  REQUIRE(large);
  CHECK(large->status == 500);
  CHECK_THAT(json::parse(large->body)["error"].get<std::string>(),
             Catch::Contains("more than the server's limit of 2000") && Catch::Contains("--max-response"));
  // So does the terminal.
  const auto cli =
      fundstelle::test::run_fundstelle({"search", "--db", db, "Akku", "--limit", "20", "--per-article", "0"});
  CHECK(cli.exit_code == 0);
  CHECK(cli.out.size() < 200000);
}

TEST_CASE("http: the write token from a file or the environment, never needed on the command line",
          "[e2e][http][operations]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  const std::string post = R"({"id":"neu","title":"Neu","body":"Ein neuer Satz über Akkus."})";
  const auto status_with = [&](const Server& server, const std::string& token) {
    httplib::Headers auth = {{"Authorization", "Bearer " + token}};
    const auto r = server.client().Post("/articles", auth, post, "application/x-ndjson");
    return r ? r->status : -1;
  };
  {
    const std::string file = (dir / "token").string();
    fundstelle::test::write_text(file, "aus-der-datei\n");
    Server server(db, "", {"--write-token-file", file});
    CHECK(status_with(server, "aus-der-datei") == 200);
    CHECK(status_with(server, "aus-der-datei-und-mehr") == 403);
    CHECK(status_with(server, "aus") == 403);
  }
  {
    Server server(db, "", {}, {"FUNDSTELLE_WRITE_TOKEN=aus-der-umgebung"});
    CHECK(status_with(server, "aus-der-umgebung") == 200);
    CHECK(status_with(server, "falsch") == 403);
  }
  const std::string missing = (dir / "nicht-da").string();
  const auto r = fundstelle::test::run_fundstelle({"serve", "--db", db, "--port", "0", "--write-token-file", missing},
                                                  "timeout 10");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(missing) != std::string::npos);
}

TEST_CASE("http: /health fails when the index can no longer be opened", "[e2e][http][operations]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "");
  auto c = server.client();
  CHECK(c.Get("/health")->status == 200);
  CHECK(c.Get("/search?q=Xiaomi")->status == 200);  // a searcher holds the index open now
  std::filesystem::rename(db, db + ".weg");
  const auto gone = c.Get("/health");
  REQUIRE(gone);
  CHECK(gone->status == 503);
  CHECK(json::parse(gone->body)["status"] == "error");
  // /metrics still answers with the server's own counters, and says the index is down.
  const auto metrics = c.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK_THAT(metrics->body, Catch::Contains("\nfundstelle_index_up 0\n"));
  CHECK_THAT(metrics->body, Catch::Contains("fundstelle_requests_total{route=\"/health\",status=\"503\"} 1"));
  CHECK(metrics->body.find("fundstelle_articles ") == std::string::npos);
  std::filesystem::rename(db + ".weg", db);
  CHECK(c.Get("/health")->status == 200);
  CHECK_THAT(c.Get("/metrics")->body, Catch::Contains("\nfundstelle_index_up 1\n"));
}

TEST_CASE("http: CORS is off by default and answers preflights with --cors", "[e2e][http][operations]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  // One origin or *: a list or a line break would be sent back in every answer and match no browser.
  for (const char* bad : {"https://a.example, https://b.example", "https://a.example\r\nX-Evil: 1", "app.example",
                          "https://a.example/pfad"}) {
    INFO(bad);
    const auto r = fundstelle::test::run_fundstelle({"serve", "--db", db, "--port", "0", "--cors", bad});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("not one origin"));
  }
  {
    Server server(db, "");
    const auto r = server.client().Get("/search?q=Xiaomi");
    REQUIRE(r);
    CHECK_FALSE(r->has_header("Access-Control-Allow-Origin"));
  }
  Server server(db, "", {"--cors", "https://app.example"});
  auto c = server.client();
  const auto r = c.Get("/search?q=Xiaomi");
  REQUIRE(r);
  CHECK(r->get_header_value("Access-Control-Allow-Origin") == "https://app.example");
  const auto preflight = c.Options("/articles", {{"Origin", "https://app.example"},
                                                 {"Access-Control-Request-Method", "POST"},
                                                 {"Access-Control-Request-Headers", "authorization"}});
  REQUIRE(preflight);
  CHECK(preflight->status == 204);
  CHECK(preflight->get_header_value("Access-Control-Allow-Origin") == "https://app.example");
  CHECK(preflight->get_header_value("Access-Control-Allow-Methods").find("POST") != std::string::npos);
  CHECK(preflight->get_header_value("Access-Control-Allow-Headers").find("Authorization") != std::string::npos);
  // The server's own refusals carry it too (a URI too long, a body too large, sent at once or chunked), so
  // that a browser app can read them.
  const auto long_uri = c.Get("/search?q=" + encode(std::string(20000, 'a')));
  REQUIRE(long_uri);
  CHECK(long_uri->status == 414);
  CHECK(long_uri->get_header_value("Access-Control-Allow-Origin") == "https://app.example");
  const int fd = server.connect_raw();
  REQUIRE(send_all(fd, "GET /health HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n30000\r\n" +
                           std::string(0x30000, 'a') + "\r\n"));
  const std::string answer = receive(fd);
  close(fd);
  CHECK(answer.starts_with("HTTP/1.1 413"));
  CHECK(answer.find("Access-Control-Allow-Origin: https://app.example\r\n") != std::string::npos);
}

TEST_CASE("http: an access log line per request, as text or JSON Lines", "[e2e][http][operations]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  const std::string log = (dir / "access.log").string();
  {
    Server server(db, "", {"--access-log", log, "--log-format", "json"});
    auto c = server.client();
    CHECK(c.Get("/search?q=Xiaomi&limit=1")->status == 200);
    CHECK(c.Get("/nirgends")->status == 404);
    CHECK(c.Get("/search?q=" + encode(std::string(20000, 'a')))->status == 414);
  }
  std::istringstream lines(fundstelle::test::read_text(log));
  std::vector<json> records;
  for (std::string line; std::getline(lines, line);) records.push_back(json::parse(line));
  REQUIRE(records.size() == 3);
  CHECK(records[0]["method"] == "GET");
  CHECK(records[0]["target"] == "/search?q=Xiaomi&limit=1");
  CHECK(records[0]["status"] == 200);
  CHECK(records[0]["client"] == "127.0.0.1");
  CHECK(records[0]["bytes"].get<int>() > 100);
  CHECK(records[0]["ms"].get<double>() >= 0);
  CHECK(records[0]["time"].get<std::string>().ends_with("Z"));
  CHECK(records[1]["status"] == 404);
  CHECK(records[2]["status"] == 414);
  CHECK(records[2]["target"].get<std::string>().size() == 2048);  // cut, not the whole URI
  // Text, on standard error by default: one line each.
  Server server(db, "");
  CHECK(server.client().Get("/health")->status == 200);
  // A method with an escape sequence in it (any token is a method) is escaped as the target is.
  const int fd = server.connect_raw();
  REQUIRE(send_all(fd, "G\x1b[31mET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  CHECK(receive(fd).starts_with("HTTP/1.1 405"));
  close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK_THAT(server.log(), Catch::Contains(" 127.0.0.1 GET /health 200 "));
  CHECK_THAT(server.log(), Catch::Contains(" 127.0.0.1 G%1B[31mET /health 405 "));
  CHECK(server.log().find('\x1b') == std::string::npos);
}

TEST_CASE("http: SIGHUP reopens the access log, for logrotate", "[e2e][http][operations]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  const std::string log = (dir / "access.log").string();
  Server server(db, "", {"--access-log", log});
  auto c = server.client();
  CHECK(c.Get("/health?")->status == 200);
  std::filesystem::rename(log, log + ".1");  // as logrotate moves it
  CHECK(c.Get("/stats")->status == 200);     // still written to the moved file
  REQUIRE(kill(server.pid(), SIGHUP) == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(c.Get("/search?q=Xiaomi")->status == 200);  // the server goes on, into a new file
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const std::string before = fundstelle::test::read_text(log + ".1"), after = fundstelle::test::read_text(log);
  CHECK_THAT(before, Catch::Contains(" GET /health"));
  CHECK_THAT(before, Catch::Contains(" GET /stats "));
  CHECK_THAT(after, Catch::Contains(" GET /search?q=Xiaomi "));
  CHECK(after.find("/stats") == std::string::npos);
}

TEST_CASE("http: unknown parameters are refused, naming the one likely meant", "[e2e][http]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "geheim");
  auto c = server.client();
  // qq= is not q=: answered 400, not as if nothing was asked.
  const auto typo = c.Get("/search?qq=Xiaomi");
  REQUIRE(typo);
  CHECK(typo->status == 400);
  const json body = json::parse(typo->body);
  CHECK(body["parameter"] == "qq");
  CHECK_THAT(body["error"].get<std::string>(), Catch::Contains("unknown parameter qq; did you mean q?"));
  CHECK_THAT(body["error"].get<std::string>(), Catch::Contains("(known: q, limit, offset, per_article, kind"));
  CHECK(c.Get("/search?q=Xiaomi&limt=3")->status == 400);
  CHECK_THAT(c.Get("/search?q=Xiaomi&limt=3")->body, Catch::Contains("did you mean limit?"));
  const auto ok = c.Get("/search?q=Xiaomi&limit=3&exact&explain=1");
  REQUIRE(ok);
  CHECK(ok->status == 200);
  const json answer = json::parse(ok->body);
  CHECK(answer["returned"] == 3);  // as in the summary line of search --json
  for (const auto& hit : answer["hits"]) CHECK_FALSE(hit.contains("snippet"));  // asked for only
  const json marked = json::parse(c.Get("/search?q=Xiaomi&limit=3&snippet=1")->body);
  REQUIRE(marked["hits"].size() == 3);
  for (const auto& hit : marked["hits"]) CHECK(hit["snippet"].get<std::string>().find("<mark>") != std::string::npos);
  const json tagged = json::parse(c.Get("/search?q=Xiaomi&limit=1&pre_tag=%3Cem%3E&post_tag=%3C/em%3E")->body);
  CHECK_THAT(tagged["hits"][0]["snippet"].get<std::string>(), Catch::Contains("<em>Xiaomi</em>"));
  CHECK(answer["milliseconds"].get<double>() >= 0);
  CHECK(c.Get("/articles/x?page=2")->status == 400);
  CHECK_THAT(c.Get("/stats?verbose=1")->body, Catch::Contains("this resource takes none"));
  CHECK(c.Get("/stats")->status == 200);
  CHECK(c.Get("/health?x=1")->status == 400);
  httplib::Headers auth = {{"Authorization", "Bearer geheim"}};
  CHECK(c.Post("/articles?dry_run=1", auth, "{}", "application/x-ndjson")->status == 400);
  CHECK(c.Get("/?q=Xiaomi")->status == 200);  // the page keeps its own parameters
  // A date that is none: 400 naming the parameter; German dates and heute are dates.
  const auto date = c.Get("/search?q=Xiaomi&from=2025-13-45");
  REQUIRE(date);
  CHECK(date->status == 400);
  CHECK(json::parse(date->body)["parameter"] == "from");
  CHECK_THAT(json::parse(date->body)["error"].get<std::string>(),
             Catch::Contains("parameter from \"2025-13-45\" is not a date"));
  CHECK(c.Get("/search?q=Xiaomi&from=10.01.2025&to=heute")->status == 200);
  CHECK(c.Get("/search?q=Xiaomi&from=2025-06&to=2025-01")->status == 400);
  CHECK(c.Get("/search?q=Xiaomi&sort=newest")->status == 200);
  const auto sort = c.Get("/search?q=Xiaomi&sort=neueste");
  REQUIRE(sort);
  CHECK(sort->status == 400);
  CHECK(json::parse(sort->body)["parameter"] == "sort");
}

TEST_CASE("http: /metrics counts requests by route and status, in the Prometheus text format",
          "[e2e][http][operations]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "");
  auto c = server.client();
  for (int i = 0; i < 3; ++i) CHECK(c.Get("/search?q=Xiaomi")->status == 200);
  CHECK(c.Get("/search")->status == 400);
  CHECK(c.Get("/articles/nicht-da")->status == 404);
  CHECK(c.Get("/irgendwo/anders")->status == 404);
  const auto r = c.Get("/metrics");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK_THAT(r->get_header_value("Content-Type"), Catch::StartsWith("text/plain; version=0.0.4"));
  const std::string& m = r->body;
  CHECK_THAT(m, Catch::Contains("fundstelle_requests_total{route=\"/search\",status=\"200\"} 3\n"));
  CHECK_THAT(m, Catch::Contains("fundstelle_requests_total{route=\"/search\",status=\"400\"} 1\n"));
  CHECK_THAT(m, Catch::Contains("fundstelle_requests_total{route=\"/articles/{id}\",status=\"404\"} 1\n"));
  CHECK_THAT(m, Catch::Contains("fundstelle_requests_total{route=\"other\",status=\"404\"} 1\n"));
  CHECK_THAT(m, Catch::Contains("fundstelle_request_duration_seconds_count 6\n"));
  CHECK_THAT(m, Catch::Contains("fundstelle_request_duration_seconds_bucket{le=\"+Inf\"} 6\n"));
  // The histogram's buckets: cumulative, each request in the first bucket that holds its time, all six
  // within five seconds.
  long last = 0, buckets = 0;
  for (std::size_t at = 0;
       (at = m.find("fundstelle_request_duration_seconds_bucket{le=\"", at)) != std::string::npos;) {
    at = m.find("} ", at) + 2;
    const long n = std::atol(m.c_str() + at);
    CHECK(n >= last);
    last = n;
    ++buckets;
  }
  CHECK(buckets == 11);
  CHECK_THAT(m, Catch::Contains("fundstelle_request_duration_seconds_bucket{le=\"5\"} 6\n"));
  CHECK_THAT(m, Catch::Contains("fundstelle_articles 5\n"));
  CHECK_THAT(m, Catch::Contains("fundstelle_passages 42\n"));
  CHECK_THAT(m, Catch::Contains("fundstelle_writes_waiting 0\n"));
  CHECK_THAT(m, Catch::Contains("fundstelle_last_commit_timestamp_seconds 1"));  // a time of this century
  CHECK_THAT(m, !Catch::Contains("e+09"));  // to the second, not rounded to six digits
}

TEST_CASE("http: DELETE /articles/{id} removes an article, with the token", "[e2e][http]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "geheim");
  auto c = server.client();
  httplib::Headers auth = {{"Authorization", "Bearer geheim"}};
  const std::string feed =
      R"({"id":"weg/damit 1","title":"Zeppelin","body":"Der Zeppelin landet in Friedrichshafen."})";
  REQUIRE(c.Post("/articles", auth, feed, "application/x-ndjson")->status == 200);
  CHECK(body_of(c.Get("/search?q=Zeppelin"))["hits"].size() == 1);
  const std::string path = "/articles/" + encode("weg/damit 1");
  CHECK(c.Delete(path)->status == 403);  // no token
  // %00 does not cut the id short: not "weg/damit 1" removed for ".../weg/damit 1%00anders", but a 400.
  CHECK(c.Delete(path + "%00anders", auth)->status == 400);
  CHECK(body_of(c.Get("/search?q=Zeppelin"))["hits"].size() == 1);
  // Two Content-Length headers that differ are refused (a proxy in front might read the other one).
  {
    const int fd = server.connect_raw();
    REQUIRE(send_all(fd, "DELETE " + path +
                             " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer geheim\r\n"
                             "Content-Length: 0\r\nContent-Length: 7\r\n\r\n"));
    CHECK(receive(fd).starts_with("HTTP/1.1 400"));
    close(fd);
  }
  CHECK(body_of(c.Get("/search?q=Zeppelin"))["hits"].size() == 1);
  // The scheme's name in any case, as RFC 9110 has it, and spaces around the token.
  CHECK(c.Delete("/articles/nicht-da", {{"Authorization", "bearer geheim "}})->status == 404);
  const auto r = c.Delete(path, auth);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(json::parse(r->body)["removed"] == "weg/damit 1");
  CHECK(body_of(c.Get("/search?q=Zeppelin"))["hits"].empty());
  CHECK(c.Get(path)->status == 404);
  CHECK(c.Delete(path, auth)->status == 404);  // gone already
  const auto put = c.Put(path, "x", "text/plain");
  REQUIRE(put);
  CHECK(put->status == 405);
  CHECK(put->get_header_value("Allow") == "GET, DELETE");
}

TEST_CASE("http: index --rebuild writes the posted articles anew from their text, and export gives them back",
          "[e2e][http]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  // In the feed format's field order, as `export` writes it: the posted bytes come back.
  const std::string posted =
      R"({"id":"gepostet","title":"Zeppelin","published":"2025-03-22","author":"Red.","tags":["Luftfahrt"],)"
      R"("body":"Der Zeppelin landet in Friedrichshafen.\n\nZweiter Absatz.","comments":[{"author":"leser1",)"
      R"("text":"Schön!"}]})";
  {
    Server server(db, "geheim");
    httplib::Headers auth = {{"Authorization", "Bearer geheim"}};
    REQUIRE(server.client().Post("/articles", auth, posted, "application/x-ndjson")->status == 200);
  }
  const auto r =
      fundstelle::test::run_fundstelle({"index", "--rebuild", "--db", db, fundstelle::test::corpus_dir().string()});
  CHECK(r.exit_code == 0);
  // The five files read again and the posted article written anew from the text the index keeps of it.
  CHECK_THAT(r.out, Catch::Contains("6 replaced") && Catch::Contains("0 removed"));
  CHECK_THAT(r.err, !Catch::Contains("kept"));
  CHECK(fundstelle::Searcher(db).stats().articles == 6);
  CHECK(fundstelle::Searcher(db).search("Friedrichshafen").hits.size() == 1);
  CHECK(fundstelle::check_index(db).ok());
  const auto exported = fundstelle::test::run_fundstelle({"export", "--db", db});
  CHECK(exported.exit_code == 0);
  CHECK_THAT(exported.out, Catch::Contains(std::string("\n").append(posted).append("\n")));
}

TEST_CASE("http: author and tag filters, facet counts, and each article's tags once", "[e2e][http][facets]") {
  fundstelle::test::TempDir dir;
  const std::string db = (dir / "index").string();
  REQUIRE(fundstelle::test::run_fundstelle(
              {"index", "--db", db, (fundstelle::test::source_dir() / "tests/data/newsroom.jsonl").string()})
              .exit_code == 0);
  Server server(db, "");
  auto c = server.client();
  const auto r = c.Get("/search?q=Batteriewerk&author=anna%20meier&author=leser1&facets=author,tag&facets=year");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const json body = json::parse(r->body);
  std::set<std::string> authors;
  for (const auto& h : body["hits"]) {
    authors.insert(h["author"].get<std::string>());
    CHECK_FALSE(h.contains("tags"));  // an article's field: under "articles"
  }
  CHECK(authors == std::set<std::string>{"Anna Meier", "ANNA MEIER", "leser1"});
  CHECK(body["articles"]["werk-bayern"]["tags"] == json::parse(R"(["elektromobilität","Bayern"])"));
  REQUIRE(body["facets"].size() == 3);
  CHECK(body["facets"][0]["name"] == "author");
  CHECK(body["facets"][0]["values"] ==
        json::parse(R"([{"value":"Anna Meier","count":3},{"value":"leser1","count":2}])"));
  CHECK(body["facets"][2]["values"] == json::parse(R"([{"value":"2025","count":4},{"value":"2024","count":1}])"));
  const json tagged = json::parse(c.Get("/search?q=Batteriewerk&tag=Sachsen&tag=Elektromobilit%C3%A4t")->body);
  for (const auto& h : tagged["hits"]) CHECK(h["article"] == "werk-sachsen");
  CHECK(tagged["returned"] == 2);  // two passages per article by default
  const auto bad = c.Get("/search?q=Batteriewerk&facets=author,autor");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(json::parse(bad->body)["parameter"] == "facets");
  // The article: its author and tags once; a comment's own author with the comment.
  const json article = json::parse(c.Get("/articles/werk-sachsen")->body);
  CHECK(article["author"] == "Anna Meier");
  CHECK(article["tags"] == json::parse(R"(["Elektromobilität","Sachsen"])"));
  REQUIRE(article["passages"].size() == 4);
  CHECK_FALSE(article["passages"][0].contains("author"));
  CHECK(article["passages"][2]["author"] == "leser1");
  CHECK(article["passages"][2]["comment_published"] == "2025-01-12T08:00:00+01:00");
}

TEST_CASE("http: /suggest completes the last word typed", "[e2e][http][suggest]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "");
  auto c = server.client();
  const auto r = c.Get("/suggest?q=Xiaomi%20Zentr&limit=3");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const json body = json::parse(r->body);
  CHECK(body["query"] == "Xiaomi Zentr");
  REQUIRE(body["suggestions"].size() >= 1);
  CHECK(body["suggestions"].size() <= 3);
  // Zentrale, Zentrales and Entwicklungszentrum stand in one passage each: the words that begin with what was
  // typed first, shorter first, then the compound found by its part.
  CHECK(body["suggestions"] == json::parse(R"([{"text":"Xiaomi Zentrale","word":"Zentrale","passages":1},
                                               {"text":"Xiaomi Zentrales","word":"Zentrales","passages":1},
                                               {"text":"Xiaomi Entwicklungszentrum","word":"Entwicklungszentrum",
                                                "passages":1}])"));
  CHECK(json::parse(c.Get("/suggest?q=x")->body)["suggestions"].empty());
  CHECK(c.Get("/suggest?q=Zentr&limit=0")->status == 400);
  CHECK(c.Get("/suggest?query=Zentr")->status == 400);
}

TEST_CASE("http: POST an HTML page or an RSS or Atom feed by its Content-Type", "[e2e][http][html][feeds]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  Server server(db, "geheim");
  auto c = server.client();
  httplib::Headers auth = {{"Authorization", "Bearer geheim"}};
  const auto data = fundstelle::test::source_dir() / "tests" / "data";
  const std::string page =
      fundstelle::test::read_text(fundstelle::test::source_dir() / "bench" / "extraction" / "01_regionalzeitung.html");

  // A page needs its id; with it, it is read as a .html file is: its text searchable, its frame not.
  CHECK(c.Post("/articles", auth, page, "text/html; charset=utf-8")->status == 400);
  auto r = c.Post("/articles?id=lausitz-batterie", auth, page, "text/html; charset=utf-8");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  CHECK(json::parse(r->body)["added"] == 1);
  json hits = body_of(c.Get("/search?q=Wasserbedarf"))["hits"];
  REQUIRE(hits.size() == 1);
  CHECK(hits[0]["article"] == "lausitz-batterie");
  CHECK(body_of(c.Get("/search?q=Stromtarif"))["hits"].empty());

  // A page in Latin-9 that does not say so itself: the charset of its Content-Type holds, as for a page
  // fetched by URL (without it, the fallback Windows-1252 reads the euro sign 0xA4 as ¤).
  const std::string latin9 = "<html><head><title>Gr\xfc\xdf"
                             "e</title></head><body><article><p>Die M\xfcnchner "
                             "Stadtwerke er\xf6"
                             "ffnen drei\xdfig Lades\xe4ulen f\xfcr 5 \xa4 am Stra\xdf"
                             "enrand "
                             "der Innenstadt.</p></article></body></html>";
  r = c.Post("/articles?id=latin9-page", auth, latin9, "text/html; charset=ISO-8859-15");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  CHECK(json::parse(r->body)["added"] == 1);
  hits = body_of(c.Get("/search?q=Ladesäulen"))["hits"];
  REQUIRE(hits.size() == 1);
  CHECK(hits[0]["article"] == "latin9-page");
  CHECK(hits[0]["text"] ==
        "Die Münchner Stadtwerke eröffnen dreißig Ladesäulen für 5 € am Straßenrand der Innenstadt.");

  // A feed: one article per item, the items it cannot index reported.
  r = c.Post("/articles", auth, fundstelle::test::read_text(data / "feeds" / "nachrichten.rss"), "application/rss+xml");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  json report = json::parse(r->body);
  CHECK(report["added"] == 2);
  CHECK(report["skipped"] == 2);
  r = c.Post("/articles", auth, fundstelle::test::read_text(data / "feeds" / "blog.atom"), "application/atom+xml");
  REQUIRE(r);
  CHECK(json::parse(r->body)["added"] == 3);
  CHECK(body_of(c.Get("/search?q=Mechatroniker"))["hits"][0]["article"] == "stadtbote-101");
  CHECK(!body_of(c.Get("/search?q=Großspeicher"))["hits"].empty());

  // A feed sent as the README's `curl --data-binary @feed.jsonl` sends it: with curl's default form type
  // (which libraries cap at 8 KiB for forms), read as JSON Lines whatever its length.
  std::string lines;
  for (int i = 0; i < 40; ++i)
    lines += json{{"id", "formular-" + std::to_string(i)},
                  {"title", "Formular " + std::to_string(i)},
                  {"body", "Die Zeppelinwerft meldet Auftrag " + std::to_string(i) + ". " + std::string(1000, 'x')}}
                 .dump() +
             "\n";
  REQUIRE(lines.size() > 32 * 1024);
  r = c.Post("/articles", auth, lines, "application/x-www-form-urlencoded");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  CHECK(json::parse(r->body)["added"] == 40);
  CHECK(body_of(c.Get("/search?q=Zeppelinwerft&limit=50&per_article=0"))["hits"].size() == 40);

  // XML that is no feed is a problem, not an article; an id is only for a page.
  r = c.Post("/articles", auth, "<config/>", "application/xml");
  REQUIRE(r);
  report = json::parse(r->body);
  CHECK(report["added"] == 0);
  CHECK(report["skipped"] == 1);
  CHECK(c.Post("/articles?id=x", auth, "{}", "application/x-ndjson")->status == 400);
}

TEST_CASE("http: a search that leaves out passages with a damaged record says so in its warnings", "[e2e][http]") {
  fundstelle::test::TempDir dir;
  const std::string db = index_corpus(dir);
  std::string id;
  {
    fundstelle::Searcher searcher(db);
    const auto r = searcher.search("Entwicklungszentrum");
    REQUIRE(!r.hits.empty());
    id = r.hits[0].article;
  }
  {
    // One byte of the title changed: the record's checksum no longer matches (fundstelle check names it).
    Xapian::WritableDatabase raw(db);
    const std::string key = std::string(fundstelle::schema::kMetaArticle) + fundstelle::schema::article_key(id);
    std::string record = raw.get_metadata(key);
    const auto title = record.find("\"title\":\"");
    REQUIRE(title != std::string::npos);
    record[title + 10] = static_cast<char>(record[title + 10] ^ 0x01);
    raw.set_metadata(key, record);
    raw.commit();
  }
  Server server(db, "");
  auto c = server.client();
  const auto r = c.Get("/search?q=Entwicklungszentrum");
  REQUIRE(r);
  CHECK(r->status == 200);
  const json j = body_of(r);
  for (const auto& hit : j["hits"]) CHECK(hit["article"] != id);
  REQUIRE(j.contains("warnings"));
  REQUIRE(j["warnings"].size() == 1);
  CHECK_THAT(j["warnings"][0].get<std::string>(), Catch::Contains("left out") && Catch::Contains("damaged"));
  // A search that meets no damage has no warnings.
  const auto clean = c.Get("/search?q=Zulieferer");
  REQUIRE(clean);
  const json k = body_of(clean);
  if (k.contains("warnings")) CHECK(k["warnings"].empty());
}
