#include "serve.h"

#include <httplib.h>

#include <csignal>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "errors.h"
#include "fundstelle/fundstelle.h"
#include "output.h"

namespace fundstelle::cli {
namespace detail {
extern const char* const kSearchPage;
}

namespace {

using nlohmann::json;

httplib::Server* running = nullptr;

void stop(int) {
  if (running) running->stop();
}

void send(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(dump(body), "application/json; charset=utf-8");
}

void error(httplib::Response& res, int status, const std::string& message, const json& extra = json::object()) {
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
bool number_param(const httplib::Request& req, httplib::Response& res, const char* name, std::size_t lo, std::size_t hi,
                  std::size_t& out) {
  if (!req.has_param(name)) return true;
  const std::string v = req.get_param_value(name);
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

bool flag_param(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return false;
  const std::string v = req.get_param_value(name);
  return v.empty() || v == "1" || v == "true" || v == "yes" || v == "on";
}

void handle_search(const ServeOptions& o, const httplib::Request& req, httplib::Response& res) {
  const std::string q = req.has_param("q") ? req.get_param_value("q") : std::string();
  if (q.find_first_not_of(" \t\r\n") == std::string::npos)
    return error(res, 400, "the parameter q (the query) is missing");
  SearchOptions options;
  if (!number_param(req, res, "limit", 1, 100, options.limit) ||
      !number_param(req, res, "offset", 0, 1000, options.offset) ||
      !number_param(req, res, "per_article", 0, 100, options.per_article))
    return;
  if (req.has_param("kind")) {
    const std::string kind = req.get_param_value("kind");
    if (kind == "article") options.kind = PassageKind::Article;
    else if (kind == "comment") options.kind = PassageKind::Comment;
    else if (!kind.empty())
      return error(res, 400, "parameter kind must be article or comment", {{"parameter", "kind"}});
  }
  options.exact = flag_param(req, "exact");
  // A request has a time limit: the matcher stops after half of it (the rerank of the candidates found is
  // bounded by limit and offset), and reading and writing have the timeouts set below.
  options.time_limit = o.timeout_seconds / 2.0;
  if (req.has_param("from")) options.published_from = req.get_param_value("from");
  if (req.has_param("to")) options.published_to = req.get_param_value("to");
  options.explain = flag_param(req, "explain");
  if (req.has_param("synonyms")) {
    const std::string s = req.get_param_value("synonyms");
    if (s == "none") options.synonyms = SynonymMode::None;
    else if (s == "all") options.synonyms = SynonymMode::All;
    else if (s != "domain")
      return error(res, 400, "parameter synonyms must be none, domain or all", {{"parameter", "synonyms"}});
  }
  try {
    const SearchResults r = searcher_for(o).search(q, options);
    json hits = json::array();
    for (const auto& h : r.hits) hits.push_back(hit_json(h));
    json body = {{"query", q},
                 {"total_estimate", r.total_estimate},
                 {"offset", options.offset},
                 {"limit", options.limit},
                 {"hits", hits}};
    add_query_fields(body, r);
    // Shards left out (--allow-partial), at opening or by this search: the hits come from the others.
    json warnings = json::array();
    for (const auto& w : searcher_for(o).warnings()) warnings.push_back(w);  // r.warnings are among them
    if (!warnings.empty()) body["warnings"] = warnings;
    send(res, 200, body);
  } catch (const QueryError& e) {
    error(res, 400, e.what(), {{"position", e.position()}});
  }
}

void handle_article(const ServeOptions& o, const httplib::Request& req, httplib::Response& res) {
  const std::string id = req.matches[1];
  const auto a = searcher_for(o).article(id);
  if (!a) return error(res, 404, "no article with id \"" + id + "\"");
  json passages = json::array();
  for (const auto& p : a->passages) {
    json j = hit_json(p);
    j.erase("rank");
    j.erase("score");
    j.erase("highlights");
    passages.push_back(j);
  }
  send(res, 200,
       {{"id", a->id}, {"title", a->title}, {"url", a->url}, {"published", a->published}, {"passages", passages}});
}

void handle_post(const ServeOptions& o, const httplib::Request& req, httplib::Response& res) {
  if (o.write_token.empty()) return error(res, 403, "writing is disabled: start fundstelle serve with --write-token");
  if (req.get_header_value("Authorization") != "Bearer " + o.write_token)
    return error(res, 403, "a valid write token is needed (Authorization: Bearer TOKEN)");
  std::istringstream body(req.body);
  IndexReport r;
  try {
    Indexer indexer(o.db);
    r = indexer.index_jsonl(body, "POST /articles");
  } catch (const Error& e) {
    return error(res, http_status(e), describe(e, o.db));
  }
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

}  // namespace

int serve(const ServeOptions& o) {
  {
    Searcher check(o.db, o.open);  // fail early and plainly on a missing or incompatible index
    for (const auto& w : check.warnings()) std::cerr << "fundstelle: warning: " << w << '\n';
  }
  httplib::Server svr;
  svr.set_read_timeout(o.timeout_seconds, 0);
  svr.set_write_timeout(o.timeout_seconds, 0);
  svr.set_payload_max_length(o.max_body);

  // Every failure becomes a JSON error with the right status; the library's errors map to statuses.
  svr.set_exception_handler([&o](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    try {
      std::rethrow_exception(ep);
    } catch (const Error& e) {
      error(res, http_status(e), describe(e, o.db));
    } catch (const std::exception& e) {
      error(res, 500, std::string("internal error: ") + e.what());
    } catch (...) {
      error(res, 500, "internal error");
    }
  });
  svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty() && res.body[0] == '{') return;  // one of ours, already JSON
    if (res.status == 404) error(res, 404, "no such resource: " + req.path);
    else if (res.status == 413) error(res, 413, "the request body is too large");
    else if (res.status >= 400) error(res, res.status, "bad request");
  });

  svr.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(detail::kSearchPage, "text/html; charset=utf-8");
  });
  svr.Get("/health", [](const httplib::Request&, httplib::Response& res) {
    send(res, 200, {{"status", "ok"}, {"version", FUNDSTELLE_VERSION_STRING}});
  });
  svr.Get("/stats", [&o](const httplib::Request&, httplib::Response& res) {
    const IndexStats s = searcher_for(o).stats();
    send(res, 200,
         {{"articles", s.articles},
          {"passages", s.passages},
          {"index_bytes", s.bytes},
          {"last_commit", s.last_commit},
          {"revision", s.revision}});
  });
  svr.Get("/search", [&o](const httplib::Request& req, httplib::Response& res) { handle_search(o, req, res); });
  svr.Get(R"(/articles/(.+))",
          [&o](const httplib::Request& req, httplib::Response& res) { handle_article(o, req, res); });
  svr.Post("/articles", [&o](const httplib::Request& req, httplib::Response& res) { handle_post(o, req, res); });
  // The other methods on known resources: 405 with the methods that are allowed.
  const auto not_allowed = [](const char* allow) {
    return [allow](const httplib::Request&, httplib::Response& res) {
      res.set_header("Allow", allow);
      error(res, 405, std::string("method not allowed; allowed: ") + allow);
    };
  };
  for (const char* path : {"/search", "/health", "/stats", R"(/articles/(.+))"}) {
    svr.Post(path, not_allowed("GET"));
    svr.Put(path, not_allowed("GET"));
    svr.Delete(path, not_allowed("GET"));
  }
  svr.Get("/articles", not_allowed("POST"));
  svr.Put("/articles", not_allowed("POST"));
  svr.Delete("/articles", not_allowed("POST"));

  int port = o.port;
  if (port == 0) {
    port = svr.bind_to_any_port(o.host);
  } else if (!svr.bind_to_port(o.host, port)) {
    port = -1;
  }
  if (port < 0) {
    std::cerr << "fundstelle: cannot listen on " << o.host << ":" << o.port << " (in use, or no permission)\n";
    return 2;
  }
  running = &svr;
  std::signal(SIGINT, stop);
  std::signal(SIGTERM, stop);
  std::cerr << "fundstelle serve: listening on http://" << o.host << ":" << port << "/ (index " << o.db
            << (o.write_token.empty() ? ", read-only" : ", writes with token") << ")" << std::endl;
  svr.listen_after_bind();
  running = nullptr;
  return 0;
}

}  // namespace fundstelle::cli
