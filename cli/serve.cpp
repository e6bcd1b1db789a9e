#include "serve.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

#include "base/dates.h"
#include "base/edit_distance.h"
#include "base/utf8.h"
#include "errors.h"
#include "fundstelle/fundstelle.h"
#include "http_server.h"
#include "json_writer.h"
#include "output.h"
#include "page.h"
#include "service_metrics.h"

namespace fundstelle::cli {
namespace detail {
extern const char* const kSearchPage;
extern const char* const kOpenApi;  // cli/web/openapi.json
}  // namespace detail

namespace {

using nlohmann::json;

// Passages of an article per answer of GET /articles/{id}, at most (and by default).
constexpr std::size_t kArticlePage = 1000;

// `body` already written as JSON.
void send_written(HttpResponse& res, int status, std::string body) {
  res.status = status;
  res.content_type = "application/json; charset=utf-8";
  res.body = std::move(body);
}

void send(HttpResponse& res, int status, const json& body) { send_written(res, status, dump(body)); }

void error(HttpResponse& res, int status, const std::string& message, const json& extra = json::object()) {
  json body = {{"error", message}, {"status", status}};
  body.update(extra);
  send(res, status, body);
}

// One Searcher per server thread: a Searcher is not thread-safe, and opening one is cheap.
Searcher& searcher_for(const ServeOptions& o) {
  thread_local std::unique_ptr<Searcher> searcher;
  thread_local std::string path;
  if (!searcher || path != o.db) {
    searcher = std::make_unique<Searcher>(o.db, o.open);
    path = o.db;
  }
  return *searcher;
}

// A non-negative integer parameter within [lo, hi], or the default; false (with a 400 sent) if malformed.
bool number_param(const HttpRequest& req, HttpResponse& res, const char* name, std::size_t lo, std::size_t hi,
                  std::size_t& out) {
  if (!req.has_param(name)) return true;
  const std::string v = req.param(name);
  std::size_t value = 0;
  bool ok = !v.empty() && v.size() <= 9;
  for (const char c : v) ok = ok && c >= '0' && c <= '9';
  if (ok) value = std::stoul(v);
  if (!ok || value < lo || value > hi) {
    error(res, 400,
          std::string("parameter ") + name + " must be a whole number from " + std::to_string(lo) + " to " +
              std::to_string(hi),
          {{"parameter", name}});
    return false;
  }
  out = value;
  return true;
}

// Whether every parameter of the request is one of `known`; if not, false with a 400 naming the first
// unknown one, the one likely meant, and those known (a mistyped qq= must not answer as if nothing was asked).
// A parameter that takes one value (all but author, tag and facets) given twice is refused too: which of
// limit=1&limit=abc was meant is not for the server to guess. (An empty name, of a leading or doubled &,
// asks for nothing and is passed over.)
bool known_params(const HttpRequest& req, HttpResponse& res, const std::vector<std::string>& known) {
  for (const auto& [name, value] : req.params) {
    if (name.empty()) continue;
    if (std::find(known.begin(), known.end(), name) != known.end()) {
      if (req.params.count(name) > 1 && name != "author" && name != "tag" && name != "facets") {
        error(res, 400, "parameter " + name + " is given more than once; it takes one value", {{"parameter", name}});
        return false;
      }
      continue;
    }
    const std::string meant = base::closest_name(name, known);
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    error(res, 400,
          "unknown parameter " + name + (meant.empty() ? "" : "; did you mean " + meant + "?") +
              (known.empty() ? " (this resource takes none)" : " (known: " + list + ")"),
          {{"parameter", name}});
    return false;
  }
  return true;
}

// A yes/no parameter: absent is no; bare (explain), 1, true, yes or on is yes; 0, false, no or off is no;
// anything else is refused (explain=ture must not quietly mean no). False (with a 400 sent) if malformed.
bool flag_param(const HttpRequest& req, HttpResponse& res, const char* name, bool& out) {
  out = false;
  if (!req.has_param(name)) return true;
  const std::string v = req.param(name);
  if (v.empty() || v == "1" || v == "true" || v == "yes" || v == "on") out = true;
  else if (!(v == "0" || v == "false" || v == "no" || v == "off")) {
    error(res, 400, std::string("parameter ") + name + " must be 1, true, yes or on, or 0, false, no or off",
          {{"parameter", name}});
    return false;
  }
  return true;
}

// The search a request asks for (GET /search, and the page's own URL): its options and snippet tags from the
// parameters; false with the error answered in `res` when one is bad.
bool search_request(const ServeOptions& o, const HttpRequest& req, HttpResponse& res, SearchOptions& options,
                    SnippetTags& tags) {
  const auto fail = [&res](int status, const std::string& message, const json& extra) {
    error(res, status, message, extra);
    return false;
  };
  if (!number_param(req, res, "limit", 1, 100, options.limit) ||
      !number_param(req, res, "offset", 0, kMaxOffset, options.offset) ||
      !number_param(req, res, "per_article", 0, 100, options.per_article) ||
      !number_param(req, res, "facet_limit", 0, 1000, options.facet_limit))
    return false;
  options.authors = req.params_of("author");
  options.tags = req.params_of("tag");
  // facets=author,tag or facets=author&facets=tag
  for (const auto& list : req.params_of("facets"))
    for (std::size_t at = 0; at <= list.size();) {
      const std::size_t end = std::min(list.find(',', at), list.size());
      if (const std::string name = list.substr(at, end - at); !name.empty()) {
        if (name != "author" && name != "tag" && name != "month" && name != "year")
          return fail(400, "parameter facets: unknown facet \"" + name + "\" (facets: author, tag, month, year)",
                      {{"parameter", "facets"}});
        if (std::find(options.facets.begin(), options.facets.end(), name) == options.facets.end())
          options.facets.push_back(name);
      }
      at = end + 1;
    }
  if (req.has_param("kind")) {
    const std::string kind = req.param("kind");
    if (kind == "article") options.kind = PassageKind::Article;
    else if (kind == "comment") options.kind = PassageKind::Comment;
    else if (!kind.empty()) return fail(400, "parameter kind must be article or comment", {{"parameter", "kind"}});
  }
  bool snippet = false;
  if (!flag_param(req, res, "exact", options.exact) || !flag_param(req, res, "explain", options.explain) ||
      !flag_param(req, res, "snippet", snippet))
    return false;
  // A request has a time limit: the matcher stops after half of it (the rerank of the candidates found is
  // bounded by limit and offset), and reading and writing have the timeouts set below.
  options.time_limit = o.timeout_seconds / 2.0;
  if (req.has_param("from")) options.published_from = req.param("from");
  if (req.has_param("to")) options.published_to = req.param("to");
  const base::DateRangeProblem dates = base::date_range_problem(options.published_from, options.published_to);
  if (dates == base::DateRangeProblem::BadFrom || dates == base::DateRangeProblem::BadTo) {
    const std::string name = dates == base::DateRangeProblem::BadFrom ? "from" : "to";
    const std::string& text = name == "from" ? options.published_from : options.published_to;
    return fail(400, "parameter " + name + " \"" + text + "\" is not a date (" + base::kDateForms + ")",
                {{"parameter", name}});
  }
  if (dates == base::DateRangeProblem::Reversed)
    return fail(400,
                "parameter to \"" + options.published_to + "\" is before parameter from \"" + options.published_from +
                    "\": no day is in that range",
                {{"parameter", "to"}});
  tags.wanted = snippet || req.has_param("pre_tag") || req.has_param("post_tag");
  if (req.has_param("pre_tag")) tags.pre = req.param("pre_tag");
  if (req.has_param("post_tag")) tags.post = req.param("post_tag");
  if (req.has_param("sort")) {
    const std::string sort = req.param("sort");
    if (sort == "newest") options.sort = SortOrder::Newest;
    else if (sort == "oldest") options.sort = SortOrder::Oldest;
    else if (sort != "relevance")
      return fail(400, "parameter sort must be relevance, newest or oldest", {{"parameter", "sort"}});
  }
  if (req.has_param("synonyms")) {
    const std::string s = req.param("synonyms");
    if (s == "none") options.synonyms = SynonymMode::None;
    else if (s == "all") options.synonyms = SynonymMode::All;
    else if (s != "domain")
      return fail(400, "parameter synonyms must be none, domain or all", {{"parameter", "synonyms"}});
  }
  return true;
}

void handle_search(const ServeOptions& o, const HttpRequest& req, HttpResponse& res) {
  if (!known_params(req, res,
                    {"q", "limit", "offset", "per_article", "kind", "exact", "from", "to", "explain", "synonyms",
                     "sort", "snippet", "pre_tag", "post_tag", "author", "tag", "facets", "facet_limit"}))
    return;
  const std::string q = req.has_param("q") ? req.param("q") : std::string();
  if (q.find_first_not_of(" \t\r\n") == std::string::npos)
    return error(res, 400, "the parameter q (the query) is missing");
  SearchOptions options;
  SnippetTags tags;
  if (!search_request(o, req, res, options, tags)) return;
  try {
    const auto started = std::chrono::steady_clock::now();
    const SearchResults r = searcher_for(o).search(q, options);
    const double milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    // Each article's fields once per answer, under its id, not with each of its hits: from its first hit, as
    // every hit of an article carries the same fields (the page reads each article's record once).
    JsonArray hits;
    JsonObject articles;
    std::unordered_set<std::string_view> listed;  // the articles in `articles`
    for (const Hit& h : r.hits) {
      JsonObject j;
      hit_members(j, h, tags, HitFields::Search);
      hits.add_json(j.str());
      if (!listed.insert(h.article).second) continue;
      JsonObject fields;
      article_members(fields, h);
      articles.add_json(h.article, fields.str());
    }
    JsonObject body;
    body.add("query", q);
    body.add("total_estimate", r.total_estimate);
    body.add("offset", options.offset);
    body.add("limit", options.limit);
    body.add("returned", r.hits.size());
    body.add("milliseconds", milliseconds);
    body.add_json("hits", hits.str());
    body.add_json("articles", articles.str());
    if (!options.facets.empty()) body.add_json("facets", dump(facets_json(r.facets)));
    query_members(body, r);
    // Shards left out (--allow-partial), at opening or by this search (those are among the searcher's), and
    // damaged passages this search left out.
    std::vector<std::string> warnings = searcher_for(o).warnings();
    for (const auto& w : r.warnings)
      if (std::find(warnings.begin(), warnings.end(), w) == warnings.end()) warnings.push_back(w);
    if (!warnings.empty()) body.add_json("warnings", json_strings(warnings));
    send_written(res, 200, body.str());
  } catch (const QueryError& e) {
    error(res, 400, e.what(), {{"position", e.position()}});
  }
}

// The search page; with a query (`/?q=…`, the page's own URLs and its form's) it comes with the results in it, so
// that a browser without JavaScript searches too (the script renders the same results again). The page takes
// any parameter (it is a page, not an API): those of /search it knows, the rest it ignores.
void handle_page(const ServeOptions& o, const HttpRequest& req, HttpResponse& res) {
  res.content_type = "text/html; charset=utf-8";
  PageSearch page;
  page.query = req.param("q");
  if (page.query.find_first_not_of(" \t\r\n") == std::string::npos) {
    res.body = detail::kSearchPage;
    return;
  }
  HttpResponse refused;
  SnippetTags tags;
  SearchResults results;
  const auto failed = [&](int status, const std::string& parameter, long position) {
    res.status = status;
    page.error = german_error(status, parameter, position);
  };
  if (search_request(o, req, refused, page.options, tags)) {
    page.options.limit = page.page_size;
    page.options.facets.clear();
    page.options.explain = false;
    try {
      results = searcher_for(o).search(page.query, page.options);
      page.results = &results;
    } catch (const QueryError& e) {
      failed(400, "", static_cast<long>(e.position()));
    } catch (const Error& e) {
      failed(http_status(e), "", -1);
    }
  } else {
    const json why = json::parse(refused.body, nullptr, false);
    failed(refused.status, why.is_object() ? why.value("parameter", "") : "", -1);
  }
  res.body = page_with_results(detail::kSearchPage, page);
}

// An article's passages, a page at a time (`offset`, `limit`): an article with ten thousand comments is not one
// answer of megabytes. Its fields stand once, beside the passages.
void handle_article(const ServeOptions& o, const std::string& id, const HttpRequest& req, HttpResponse& res) {
  std::size_t offset = 0, limit = kArticlePage;
  if (!known_params(req, res, {"offset", "limit"}) || !number_param(req, res, "offset", 0, 999999999, offset) ||
      !number_param(req, res, "limit", 1, kArticlePage, limit))
    return;
  const auto a = searcher_for(o).article(id);
  if (!a) return error(res, 404, "no article with id \"" + id + "\"");
  JsonArray passages;
  for (std::size_t i = offset; i < a->passages.size() && i < offset + limit; ++i) {
    JsonObject j;
    hit_members(j, a->passages[i], {}, HitFields::Stored);
    passages.add_json(j.str());
  }
  std::vector<std::string> tags;
  for (const auto& t : a->tags) tags.push_back(clip(t, kMaxShownTitle));
  JsonObject body;
  body.add("id", a->id);
  body.add_owned("title", clip(a->title, kMaxShownTitle));
  body.add_owned("url", clip(a->url, kMaxShownUrl));
  body.add("published", a->published);
  body.add_owned("author", clip(a->author, kMaxShownTitle));
  body.add_json("tags", json_strings(tags));
  body.add("total_passages", a->passages.size());
  body.add("offset", offset);
  body.add_json("passages", passages.str());
  send_written(res, 200, body.str());
}

// Whether `given` equals `secret`, in a time that depends on the length of `given` only (no early exit at the
// first differing byte for a client to measure).
bool same_secret(const std::string& given, const std::string& secret) {
  if (secret.empty()) return false;
  unsigned char diff = given.size() == secret.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i)
    diff |= static_cast<unsigned char>(given[i] ^ secret[i % secret.size()]);
  return diff == 0;
}

// The token of an Authorization header "Bearer TOKEN": the scheme's name in any case (RFC 9110), spaces around
// the token left out; "" for another scheme.
std::string bearer_token(std::string_view header) {
  const auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!header.empty() && space(header.front())) header.remove_prefix(1);
  while (!header.empty() && space(header.back())) header.remove_suffix(1);
  constexpr std::string_view kScheme = "bearer";
  if (header.size() <= kScheme.size() || !space(header[kScheme.size()])) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
  header.remove_prefix(kScheme.size());
  while (!header.empty() && space(header.front())) header.remove_prefix(1);
  return std::string(header);
}

// What the server keeps between requests.
struct Service {
  explicit Service(const ServeOptions& options) : o(options) {}
  const ServeOptions& o;
  ServiceMetrics metrics;
  // Writes are taken one at a time (an index has one writer): a POST waits for the ones before it.
  std::mutex writer;
  std::atomic<std::size_t> writes_waiting{0};  // for the writer or its lock, besides those queued for a thread:
  std::function<std::size_t()> writes_queued;  // (set before the server starts)
  int log_fd = -1;                             // the access log, or -1
  bool log_json = false;
};

// Runs `write` with the index's writer, after the writes before it (the request's token was checked at its
// admission); false (with the answer sent) if it failed. Another process (fundstelle index) may hold the
// index: the write waits for it, up to --write-wait seconds, then 503.
// The bound counts from the request's arrival (`since`): writes queued behind one that waits for another
// process do not each wait the whole bound again after it, one after another.
template <typename Write>
bool with_writer(Service& service, HttpResponse& res, std::chrono::steady_clock::time_point since, Write write) {
  const ServeOptions& o = service.o;
  // Waiting (fundstelle_writes_waiting) until it has the writer: behind the writes before it, then for the
  // other process.
  struct Waiting {
    std::atomic<std::size_t>& n;
    bool counted = true;
    explicit Waiting(std::atomic<std::size_t>& waiting) : n(waiting) { ++n; }
    void end() {
      if (counted) --n;
      counted = false;
    }
    ~Waiting() { end(); }
  } waiting(service.writes_waiting);
  std::unique_lock<std::mutex> turn(service.writer);
  const auto give_up = since + std::chrono::milliseconds(o.write_wait_ms);
  for (;;) {
    try {
      Indexer indexer(o.db);
      waiting.end();
      write(indexer);
      return true;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::Locked) {
        error(res, http_status(e), describe(e, o.db));
        return false;
      }
      if (std::chrono::steady_clock::now() >= give_up) {
        res.headers.emplace_back("Retry-After", "5");
        error(res, 503, describe(e, o.db) + " (waited " + std::to_string(o.write_wait_ms / 1000.0) + " s)");
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

// What a POST's body is, by its Content-Type: an HTML page, an RSS or Atom feed, else JSON Lines (also for
// curl's default form type, so that `curl --data-binary @feed.jsonl` works).
enum class Body { Jsonl, Html, Feed };

Body body_kind(const HttpRequest& req) {
  const auto type = req.headers.find("content-type");
  std::string media = type == req.headers.end() ? "" : type->second.substr(0, type->second.find(';'));
  for (char& c : media)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  while (!media.empty() && media.back() == ' ') media.pop_back();
  if (media == "text/html" || media == "application/xhtml+xml") return Body::Html;
  if (media == "application/rss+xml" || media == "application/atom+xml" || media == "application/xml" ||
      media == "text/xml")
    return Body::Feed;
  return Body::Jsonl;
}

void handle_post(Service& service, const HttpRequest& req, HttpResponse& res) {
  const Body kind = body_kind(req);
  // An HTML page is one article: its id (or its URL, which then is its id) comes with it.
  const std::string id = req.has_param("id") ? req.param("id") : req.param("url");
  if (kind == Body::Html && id.empty())
    return error(res, 400, "an HTML page needs its article id: POST /articles?id=ID (or ?url=URL)");
  if (kind != Body::Html && (req.has_param("id") || req.has_param("url")))
    return error(res, 400, "id and url are for an HTML page (Content-Type: text/html); a feed names its articles");
  IndexReport r;
  if (!with_writer(service, res, req.received, [&](Indexer& indexer) {
        if (kind == Body::Html) {
          const auto type = req.headers.find("content-type");
          r = indexer.index_html(req.body, id, "POST /articles", type == req.headers.end() ? "" : type->second);
        } else if (kind == Body::Feed) {
          r = indexer.index_feed(req.body, "POST /articles");
        } else {
          std::istringstream body(req.body);
          r = indexer.index_jsonl(body, "POST /articles");
        }
      }))
    return;
  json problems = json::array();
  for (const auto& p : r.problems)
    problems.push_back({{"line", p.line}, {"skipped", p.skipped}, {"message", p.message}});
  send(res, 200,
       {{"added", r.added},
        {"replaced", r.replaced},
        {"unchanged", r.unchanged},
        {"skipped", r.skipped},
        {"passages", r.passages},
        {"problems", problems}});
}

void handle_delete(Service& service, const HttpRequest& req, const std::string& id, HttpResponse& res) {
  bool removed = false;
  if (!with_writer(service, res, req.received, [&](Indexer& indexer) {
        removed = indexer.remove(id);
        if (removed) indexer.commit();
      }))
    return;
  if (!removed) return error(res, 404, "no article with id \"" + id + "\"");
  send(res, 200, {{"removed", id}});
}

// The CORS headers of every answer, when --cors is given.
void cors_headers(const ServeOptions& o, HttpResponse& res) {
  if (o.cors_origin.empty()) return;
  res.headers.emplace_back("Access-Control-Allow-Origin", o.cors_origin);
  if (o.cors_origin != "*") res.headers.emplace_back("Vary", "Origin");
}

// Answers one request: the route by path, then the method.
void dispatch(Service& service, const HttpRequest& req, HttpResponse& res) {
  const ServeOptions& o = service.o;
  if (!o.cors_origin.empty()) {
    cors_headers(o, res);
    if (req.method == "OPTIONS") {  // a browser's preflight
      res.status = 204;
      res.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, DELETE");
      res.headers.emplace_back("Access-Control-Allow-Headers", "Authorization, Content-Type");
      res.headers.emplace_back("Access-Control-Max-Age", "600");
      return;
    }
  }
  // Whether the request's method is `method`; if not, 405 with `allowed` (the resource's methods).
  const auto only = [&](const char* method, const char* allowed) {
    if (req.method == method) return true;
    res.headers.emplace_back("Allow", allowed);
    error(res, 405, std::string("method not allowed; allowed: ") + allowed);
    return false;
  };
  try {
    const std::string& path = req.path;
    if (path == "/") {
      if (only("GET", "GET")) handle_page(o, req, res);
    } else if (path == "/openapi.json") {
      if (!only("GET", "GET") || !known_params(req, res, {})) return;
      res.body = detail::kOpenApi;
    } else if (path == "/health") {
      if (!only("GET", "GET") || !known_params(req, res, {})) return;
      // Healthy when the index opens now (a fresh open: the server's own searchers keep reading files that
      // are gone).
      try {
        Searcher(o.db, o.open).stats();
        send(res, 200, {{"status", "ok"}, {"version", FUNDSTELLE_VERSION_STRING}});
      } catch (const Error& e) {
        send(res, 503, {{"status", "error"}, {"error", describe(e, o.db)}, {"version", FUNDSTELLE_VERSION_STRING}});
      }
    } else if (path == "/stats") {
      if (!only("GET", "GET") || !known_params(req, res, {})) return;
      const IndexStats s = searcher_for(o).stats();
      send(res, 200,
           {{"articles", s.articles},
            {"passages", s.passages},
            {"index_bytes", s.bytes},
            {"last_commit", s.last_commit},
            {"revision", s.revision}});
    } else if (path == "/metrics") {
      if (!only("GET", "GET") || !known_params(req, res, {})) return;
      res.content_type = "text/plain; version=0.0.4; charset=utf-8";
      // The counters are the server's own: they are answered when the index cannot be read too (then
      // fundstelle_index_up is 0 and the index's gauges are left out), which is when they are wanted most.
      std::optional<IndexStats> stats;
      try {
        stats = searcher_for(o).stats();
      } catch (const Error&) {
      }
      res.body = service.metrics.prometheus(stats ? &*stats : nullptr,
                                            service.writes_waiting + service.writes_queued());
    } else if (path == "/search") {
      if (only("GET", "GET")) handle_search(o, req, res);
    } else if (path == "/suggest") {
      // Completions of the last word typed, for search as you type: {"query", "suggestions": [{"text", "word",
      // "passages"}]}.
      std::size_t limit = 8;
      if (!only("GET", "GET") || !known_params(req, res, {"q", "limit"}) ||
          !number_param(req, res, "limit", 1, 50, limit))
        return;
      const std::string q = req.param("q");
      json list = json::array();
      for (const auto& sg : searcher_for(o).suggest(q, limit))
        list.push_back({{"text", sg.text}, {"word", sg.word}, {"passages", sg.passages}});
      send(res, 200, {{"query", q}, {"suggestions", list}});
    } else if (path == "/articles") {
      if (only("POST", "POST") && known_params(req, res, {"id", "url"})) handle_post(service, req, res);
    } else if (path.starts_with("/articles/") && path.size() > 10) {
      if (req.method == "DELETE") {
        if (known_params(req, res, {})) handle_delete(service, req, path.substr(10), res);
      } else if (only("GET", "GET, DELETE")) handle_article(o, path.substr(10), req, res);
    } else {
      error(res, 404, "no such resource: " + path);
    }
  } catch (const Error& e) {
    error(res, http_status(e), describe(e, o.db));
  } catch (const std::exception& e) {
    error(res, 500, std::string("internal error: ") + e.what());
  }
}

// Admits a request on its head (HttpServer::Admit). Reads go on. A write (POST /articles, DELETE
// /articles/{id}) goes on only with the write token, so that no body of a request without it is read, let
// alone queued; any other method is answered at once, without its body (dispatch's 404 or 405).
Lane admit(Service& service, const HttpRequest& head, HttpResponse& res) {
  const ServeOptions& o = service.o;
  // Every name and value is text: a percent-encoded byte that makes no UTF-8 (%FF, or %00, which the server
  // decodes as such a byte so that it cannot end a value early: DELETE /articles/a%00b is not article a) is
  // refused for every resource, not read as something else.
  bool text = base::is_valid_utf8(head.path);
  for (const auto& [name, value] : head.params) text = text && base::is_valid_utf8(name) && base::is_valid_utf8(value);
  if (!text) {
    cors_headers(o, res);
    error(res, 400,
          "the request's path or parameters are not valid UTF-8 (a percent-encoded byte that is no "
          "UTF-8, or %00)");
    return Lane::Answered;
  }
  if (head.method == "GET" || head.method == "OPTIONS") return Lane::Read;
  const bool write = (head.method == "POST" && head.path == "/articles") ||
                     (head.method == "DELETE" && head.path.starts_with("/articles/") && head.path.size() > 10);
  if (!write) {
    dispatch(service, head, res);
    return Lane::Answered;
  }
  if (o.write_token.empty()) {
    cors_headers(o, res);
    error(res, 403,
          "writing is disabled: start fundstelle serve with --write-token-file, $FUNDSTELLE_WRITE_TOKEN or "
          "--write-token");
    return Lane::Answered;
  }
  if (!same_secret(bearer_token(head.header("authorization")), o.write_token)) {
    cors_headers(o, res);
    error(res, 403, "a valid write token is needed (Authorization: Bearer TOKEN)");
    return Lane::Answered;
  }
  return Lane::Write;
}

}  // namespace

int serve(const ServeOptions& o) {
  {
    Searcher check(o.db, o.open);  // fail early and plainly on a missing or incompatible index
    for (const auto& w : check.warnings()) std::cerr << "fundstelle: warning: " << w << '\n';
  }
  Service service(o);
  if (o.access_log == "-") {
    service.log_fd = 2;
  } else if (o.access_log != "none") {
    service.log_fd = ::open(o.access_log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (service.log_fd < 0) {
      std::cerr << "fundstelle: cannot open the access log " << o.access_log << ": " << std::strerror(errno) << '\n';
      return 2;
    }
  }
  service.log_json = o.log_format == "json";
  HttpLimits limits;
  limits.max_body = o.max_body;
  limits.timeout_seconds = static_cast<unsigned>(o.timeout_seconds);
  limits.max_connections = o.max_connections;
  limits.threads = o.threads;
  limits.max_writes = o.max_writes;
  HttpServer server(
      limits, [&service](const HttpRequest& head, HttpResponse& res) { return admit(service, head, res); },
      [&service](const HttpRequest& req, HttpResponse& res) {
        dispatch(service, req, res);
        // Answers are bounded by construction (fields cut, pages of hits and passages); should one still
        // outgrow the limit, the client gets a plain error instead of megabytes.
        if (res.body.size() > service.o.max_response) {
          const std::size_t size = res.body.size();
          res = HttpResponse{};
          cors_headers(service.o, res);
          error(res, 500,
                "the answer would be " + std::to_string(size) + " bytes, more than the server's limit of " +
                    std::to_string(service.o.max_response) + " (--max-response); ask for fewer results");
        }
      },
      [&service](int status, const std::string& message) {
        HttpResponse res;
        cors_headers(service.o, res);  // (the server's own refusals too: a browser app must read them)
        error(res, status, message);
        return res;
      },
      [&service](const HttpRecord& r) {
        service.metrics.record(r);
        if (service.log_fd >= 0) {
          const std::string line = access_line(r, service.log_json) + '\n';
          // One write per line: lines of concurrent requests do not interleave (O_APPEND, or a pipe's
          // PIPE_BUF for lines that short); a failing log does not fail the request.
          [[maybe_unused]] const ssize_t n = ::write(service.log_fd, line.data(), line.size());
        }
      });
  service.writes_queued = [&server] { return server.queued_writes(); };
  // SIGINT and SIGTERM are taken by this thread alone (sigwait below): the server's threads, started after
  // this, inherit the blocked mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  int port = 0;
  try {
    port = server.start(o.host, o.port);
  } catch (const std::runtime_error& e) {
    std::cerr << "fundstelle: " << e.what() << '\n';
    return 2;
  }
  std::cerr << "fundstelle serve: listening on http://" << o.host << ":" << port << "/ (index " << o.db
            << (o.write_token.empty() ? ", read-only" : ", writes with token") << ")" << std::endl;
  // SIGHUP reopens the access log file (after logrotate moved it), and the server goes on; SIGINT and
  // SIGTERM stop it.
  for (int signal = 0;;) {
    sigwait(&stop_signals, &signal);
    if (signal != SIGHUP) break;
    if (service.log_fd > 2) {
      const int fresh = ::open(o.access_log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      if (fresh < 0) {
        std::cerr << "fundstelle: cannot reopen the access log " << o.access_log << ": " << std::strerror(errno)
                  << " (lines go on to the file open before)\n";
        continue;
      }
      ::dup2(fresh, service.log_fd);  // (atomic: a line written meanwhile goes to one file or the other, whole)
      ::close(fresh);
    }
  }
  server.stop();
  if (service.log_fd > 2) ::close(service.log_fd);
  return 0;
}

}  // namespace fundstelle::cli
