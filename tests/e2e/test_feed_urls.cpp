// Feeds by URL, as a newsroom meets them: `fundstelle index URL` against a real HTTP server on loopback (a
// cpp-httplib server inside the test process, nothing reaches the internet): conditional requests with ETag
// and Last-Modified, errors, time and size limits, redirects to other schemes, an HTML page by URL,
// --fetch-pages with robots.txt and a pause between requests, and --watch polling with backoff.
#include <httplib.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "test_support.h"

using fundstelle::test::run_fundstelle;
using fundstelle::test::TempDir;

namespace {

using Clock = std::chrono::steady_clock;

// One request as the server saw it.
struct Seen {
  std::string path, if_none_match, if_modified_since, user_agent;
  Clock::time_point at;
};

// An HTTP server on a free loopback port, its answers set by the test, every request recorded.
class FeedServer {
 public:
  FeedServer() {
    server_.set_logger([this](const httplib::Request& req, const httplib::Response&) {
      std::lock_guard lock(mutex_);
      seen_.push_back({req.path, req.get_header_value("If-None-Match"), req.get_header_value("If-Modified-Since"),
                       req.get_header_value("User-Agent"), Clock::now()});
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~FeedServer() {
    server_.stop();
    thread_.join();
  }
  FeedServer(const FeedServer&) = delete;
  FeedServer& operator=(const FeedServer&) = delete;

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  httplib::Server& server() { return server_; }
  std::vector<Seen> seen(const std::string& path) {
    std::lock_guard lock(mutex_);
    std::vector<Seen> out;
    for (const auto& s : seen_)
      if (s.path == path) out.push_back(s);
    return out;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<Seen> seen_;
};

// An RSS feed of the items (guid, title, link, text).
struct Item {
  std::string guid, title, link, text;
};
std::string rss(const std::vector<Item>& items) {
  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Stadtbote</title>)";
  for (const auto& i : items)
    out += "<item><guid>" + i.guid + "</guid><title>" + i.title + "</title><link>" + i.link +
           "</link><pubDate>Tue, 12 Mar 2024 08:30:00 +0100</pubDate><description>" + i.text + "</description></item>";
  return out + "</channel></rss>";
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A news page with its frame (cookie banner, navigation, an ad, comments): the extraction benchmark's first.
std::string news_page() {
  return fundstelle::test::read_text(fundstelle::test::source_dir() / "bench" / "extraction" /
                                     "01_regionalzeitung.html");
}

}  // namespace

TEST_CASE("feed URL: read and then asked again only if changed - items that leave it stay", "[e2e][feeds][url]") {
  FeedServer web;
  std::mutex mutex;
  std::string body =
      rss({{"a-1", "Solarfabrik stellt ein", "https://stadtbote.example/1",
            "Die Solarfabrik sucht dreihundert Mechatroniker."},
           {"a-2", "Hafen wächst", "https://stadtbote.example/2", "Der Hafen baut eine neue Kaianlage."}});
  std::string etag = "\"v1\"";
  web.server().Get("/wirtschaft.rss", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      return;
    }
    res.set_header("ETag", etag);
    res.set_content(body, "application/rss+xml");
  });
  TempDir dir;
  const std::string db = (dir / "index").string();
  const std::string feed = web.url("/wirtschaft.rss");

  auto run = run_fundstelle({"index", "--db", db, feed});
  REQUIRE(run.exit_code == 0);
  CHECK(has(run.out, feed + ": 2 items"));
  CHECK(has(run.out, "2 added"));
  auto hit = run_fundstelle({"search", "--db", db, "--json", "Mechatroniker"});
  REQUIRE(hit.exit_code == 0);
  const auto first = nlohmann::json::parse(hit.out.substr(0, hit.out.find('\n')));
  CHECK(first["article"] == "a-1");
  CHECK(first["url"] == "https://stadtbote.example/1");
  CHECK(web.seen("/wirtschaft.rss").back().if_none_match.empty());
  CHECK(web.seen("/wirtschaft.rss").back().user_agent.starts_with("Fundstelle/"));

  // Unchanged: the run sends the ETag it remembered, and the server's 304 costs nothing.
  run = run_fundstelle({"index", "--db", db, feed});
  CHECK(run.exit_code == 0);
  CHECK(has(run.out, feed + ": not modified since the last run"));
  CHECK(web.seen("/wirtschaft.rss").back().if_none_match == "\"v1\"");

  // Changed: a new item comes, one leaves; the one that left stays in the index (a feed shows its latest).
  {
    std::lock_guard lock(mutex);
    body = rss({{"a-3", "Werft baut Fähren", "https://stadtbote.example/3", "Die Werft baut zwei Wasserstofffähren."},
                {"a-2", "Hafen wächst", "https://stadtbote.example/2", "Der Hafen baut eine neue Kaianlage."}});
    etag = "\"v2\"";
  }
  run = run_fundstelle({"index", "--db", db, "--prune", feed});
  CHECK(run.exit_code == 0);
  CHECK(has(run.out, "1 added, 0 replaced, 1 unchanged, 0 removed"));
  CHECK(run_fundstelle({"search", "--db", db, "Wasserstofffähren"}).exit_code == 0);
  CHECK(run_fundstelle({"search", "--db", db, "Mechatroniker"}).exit_code == 0);
  CHECK(run_fundstelle({"check", "--db", db}).exit_code == 0);
}

TEST_CASE("feed URL: Last-Modified is sent back as If-Modified-Since", "[e2e][feeds][url]") {
  FeedServer web;
  const std::string stamp = "Tue, 12 Mar 2024 08:30:00 GMT";
  web.server().Get("/blog.rss", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("If-Modified-Since") == stamp) {
      res.status = 304;
      return;
    }
    res.set_header("Last-Modified", stamp);
    res.set_content(rss({{"b-1", "Radweg", "https://blog.example/1", "Der Radschnellweg wird verlängert."}}),
                    "application/rss+xml");
  });
  TempDir dir;
  const std::string db = (dir / "index").string();
  REQUIRE(run_fundstelle({"index", "--db", db, web.url("/blog.rss")}).exit_code == 0);
  const auto again = run_fundstelle({"index", "--db", db, web.url("/blog.rss")});
  CHECK(has(again.out, "not modified"));
  CHECK(web.seen("/blog.rss").back().if_modified_since == stamp);
}

TEST_CASE("feed URL: failures are reported and cost nothing that was indexed", "[e2e][feeds][url][bad-input]") {
  FeedServer web;
  web.server().Get("/weg.rss", [](const httplib::Request&, httplib::Response& res) { res.status = 404; });
  web.server().Get("/voll.rss", [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_header("Retry-After", "120");
  });
  web.server().Get("/langsam.rss", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::seconds(3));
    res.set_content(rss({}), "application/rss+xml");
  });
  web.server().Get("/riesig.rss", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(rss({{"r-1", "Groß", "https://x.example/1", std::string(300000, 'x')}}), "application/rss+xml");
  });
  web.server().Get("/umweg.rss",
                   [](const httplib::Request&, httplib::Response& res) { res.set_redirect("file:///etc/passwd"); });
  web.server().Get("/kein-feed", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"a\": 1}", "application/json");
  });
  web.server().Get("/gut.rss", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(rss({{"g-1", "Brücke", "https://x.example/g", "Die Brücke über die Elbe wird saniert."}}),
                    "application/rss+xml");
  });
  TempDir dir;
  const std::string db = (dir / "index").string();
  const auto started = Clock::now();
  const auto run =
      run_fundstelle({"index", "--db", db, "--fetch-timeout", "1", "--fetch-max", "100000", "--fetch-delay", "0",
                      web.url("/weg.rss"), web.url("/voll.rss"), web.url("/langsam.rss"), web.url("/riesig.rss"),
                      web.url("/umweg.rss"), web.url("/kein-feed"), web.url("/gut.rss")});
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  CHECK(run.exit_code == 2);
  CHECK(has(run.err, web.url("/weg.rss") + ": cannot fetch: HTTP status 404"));
  CHECK(has(run.err, web.url("/voll.rss") + ": cannot fetch: HTTP status 503"));
  CHECK(has(run.out, web.url("/voll.rss") + ": failed (the server asks to wait 120 s)"));
  CHECK(has(run.err, web.url("/langsam.rss") + ": cannot fetch: no complete answer within 1"));
  CHECK(has(run.err, web.url("/riesig.rss") + ": cannot fetch: the answer is larger than 100000 bytes"));
  CHECK(has(run.err, web.url("/umweg.rss") + ": cannot fetch:"));
  CHECK(has(run.err,
            web.url("/kein-feed") + ": not an RSS or Atom feed nor an HTML page (Content-Type: application/json)"));
  CHECK(has(run.out, "1 added"));
  CHECK(seconds < 2.9);  // the slow server was not waited for (a bound, not a measurement)
  CHECK(run_fundstelle({"search", "--db", db, "Elbe"}).exit_code == 0);
  // A URL that is no http(s) URL is a path that does not exist.
  const auto ftp = run_fundstelle({"index", "--db", db, "ftp://x.example/feed.rss"});
  CHECK(ftp.exit_code == 2);
  CHECK(has(ftp.err, "ftp://x.example/feed.rss: no such file or folder"));
}

TEST_CASE("URL of an HTML page: one article with the URL as its id and the charset of its Content-Type",
          "[e2e][html][url]") {
  FeedServer web;
  const std::string page = news_page();
  web.server().Get("/artikel.html", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(page, "text/html; charset=utf-8");
  });
  // Latin-1 bytes, said only by the HTTP header.
  web.server().Get("/alt.html", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        "<html><body><article><h1>Gr\xfc\xdf"
        "e</h1><p>Die Stra\xdf"
        "enbahn f\xe4hrt wieder "
        "durch die Altstadt von G\xf6rlitz, nachdem die Gleise erneuert wurden.</p></article></body></html>",
        "text/html; charset=ISO-8859-1");
  });
  TempDir dir;
  const std::string db = (dir / "index").string();
  const auto run = run_fundstelle({"index", "--db", db, web.url("/artikel.html"), web.url("/alt.html")});
  REQUIRE(run.exit_code == 0);
  auto found = run_fundstelle({"search", "--db", db, "--json", "Wasserbedarf"});
  REQUIRE(found.exit_code == 0);
  CHECK(nlohmann::json::parse(found.out.substr(0, found.out.find('\n')))["article"] == web.url("/artikel.html"));
  CHECK(run_fundstelle({"search", "--db", db, "Stromtarif"}).exit_code == 1);  // the page's ad
  found = run_fundstelle({"search", "--db", db, "--json", "Straßenbahn Görlitz"});
  REQUIRE(found.exit_code == 0);
  CHECK(has(found.out, "Straßenbahn"));
}

TEST_CASE("feed URL with fetch-pages: each new item's page - robots.txt respected - pauses between requests",
          "[e2e][feeds][url]") {
  FeedServer web;
  const std::string page = news_page();
  std::atomic<bool> page3_back{false};
  web.server().Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("User-agent: *\nDisallow: /privat/\n\nUser-agent: OtherBot\nDisallow: /\n", "text/plain");
  });
  web.server().Get("/seiten/1.html", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(page, "text/html; charset=utf-8");
  });
  web.server().Get("/privat/2.html", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(page, "text/html; charset=utf-8");
  });
  web.server().Get("/seiten/3.html", [&](const httplib::Request&, httplib::Response& res) {
    if (!page3_back) {
      res.status = 500;
      return;
    }
    res.set_content("<html><body><article><h1>Werft</h1><p>Die Werft in Wolgast baut zwei Fähren, die mit "
                    "Wasserstoff fahren, und stellt dafür vierzig Schiffbauer ein.</p></article></body></html>",
                    "text/html");
  });
  web.server().Get("/podcast.mp3", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string("ID3\x03\x00\x00\x00", 7) + std::string(5000, '\x7f'), "audio/mpeg");
  });
  std::atomic<int> version{1};
  web.server().Get("/feed.rss", [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("ETag", "\"" + std::to_string(version.load()) + "\"");
    res.set_content(rss({{"p-1", "Batteriefabrik", web.url("/seiten/1.html"), "Kurz: eine Fabrik."},
                         {"p-2", "Intern", web.url("/privat/2.html"), "Kurz: ein interner Text über Kantinenessen."},
                         {"p-3", "Werft", web.url("/seiten/3.html"), "Kurz: eine Werft."},
                         {"p-4", "Podcast", web.url("/podcast.mp3"), "Die Folge über den Hafenausbau."}}),
                    "application/rss+xml");
  });
  TempDir dir;
  const std::string db = (dir / "index").string();
  auto run = run_fundstelle({"index", "--db", db, "--fetch-pages", "--fetch-delay", "0.3", web.url("/feed.rss")});
  CHECK(run.exit_code == 0);  // pages that could not be read are warnings: their items come from the feed
  CHECK(has(run.out, "4 items, 1 pages read, 1 refused by robots.txt, 2 not read"));
  CHECK(
      has(run.err, web.url("/podcast.mp3") + ": cannot fetch the page (not an HTML page (Content-Type: audio/mpeg))"));
  CHECK(run_fundstelle({"search", "--db", db, "Hafenausbau"}).exit_code == 0);  // from the feed
  CHECK(has(run.err, web.url("/privat/2.html") + ": robots.txt does not allow fetching this page"));
  CHECK(web.seen("/privat/2.html").empty());
  // The page's article text replaced the feed's summary, without the page's frame.
  auto found = run_fundstelle({"search", "--db", db, "--json", "Wasserbedarf"});
  REQUIRE(found.exit_code == 0);
  CHECK(nlohmann::json::parse(found.out.substr(0, found.out.find('\n')))["article"] == "p-1");
  CHECK(run_fundstelle({"search", "--db", db, "Stromtarif"}).exit_code == 1);
  CHECK(run_fundstelle({"search", "--db", db, "Kantinenessen"}).exit_code == 0);  // from the feed
  // One host, one request at a time, with the pause between them.
  std::vector<Clock::time_point> times;
  for (const char* p : {"/feed.rss", "/robots.txt", "/seiten/1.html", "/seiten/3.html", "/podcast.mp3"})
    for (const auto& s : web.seen(p)) times.push_back(s.at);
  std::sort(times.begin(), times.end());
  REQUIRE(times.size() == 5);
  for (std::size_t i = 1; i < times.size(); ++i)
    CHECK(std::chrono::duration<double>(times[i] - times[i - 1]).count() >= 0.25);

  // The feed changes: the page read before is not asked for again; the one that failed is.
  page3_back = true;
  version = 2;
  run = run_fundstelle({"index", "--db", db, "--fetch-pages", "--fetch-delay", "0", web.url("/feed.rss")});
  CHECK(run.exit_code == 0);
  CHECK(web.seen("/seiten/1.html").size() == 1);
  CHECK(web.seen("/seiten/3.html").size() == 2);
  CHECK(run_fundstelle({"search", "--db", db, "Schiffbauer"}).exit_code == 0);
}

TEST_CASE("feed URL under watch: polled - and asked less often while it fails", "[e2e][feeds][url][watch]") {
  FeedServer web;
  std::atomic<int> state{0};  // 0: one item, 1: two items, 2: failing
  web.server().Get("/feed.rss", [&](const httplib::Request&, httplib::Response& res) {
    if (state == 2) {
      res.status = 502;
      return;
    }
    std::vector<Item> items = {{"w-1", "Eins", "https://x.example/1", "Die Stadtbibliothek öffnet sonntags."}};
    if (state == 1) items.push_back({"w-2", "Zwei", "https://x.example/2", "Das Freibad bleibt bis Oktober offen."});
    res.set_content(rss(items), "application/rss+xml");
  });
  TempDir dir;
  const std::string db = (dir / "index").string();
  const auto finds = [&](const std::string& q) { return run_fundstelle({"search", "--db", db, q}).exit_code == 0; };
  fundstelle::test::Background watcher({"index", "--watch", "--poll", "1", "--db", db, web.url("/feed.rss")});
  REQUIRE(fundstelle::test::Background::wait_for([&] { return watcher.err().find("watching") != std::string::npos; }));
  CHECK(finds("Stadtbibliothek"));
  state = 1;
  CHECK(fundstelle::test::Background::wait_for([&] { return finds("Freibad"); }, 20));
  // Failing: asked again after 1, then 2, then 4 seconds: within 5 s of the first failure at most 3 requests.
  state = 2;
  const std::size_t before = web.seen("/feed.rss").size();
  REQUIRE(fundstelle::test::Background::wait_for([&] { return web.seen("/feed.rss").size() > before; }, 10));
  std::this_thread::sleep_for(std::chrono::seconds(5));
  const std::size_t failed = web.seen("/feed.rss").size() - before;
  CHECK(failed >= 2);
  CHECK(failed <= 3);
  CHECK(has(watcher.err(), "cannot fetch: HTTP status 502"));
  CHECK(finds("Freibad"));  // what was indexed stays
  watcher.signal(SIGINT);
  CHECK(watcher.wait() == 0);
}
