#include "indexer/web_reader.h"

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>
#include <thread>

#include "analyzers/normalize.h"
#include "fundstelle/version.h"

namespace fundstelle::indexer {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kMaxCrawlDelay = 30;                // seconds: a longer Crawl-delay is read as this
constexpr std::size_t kMaxRobotsBytes = 500 * 1024;  // RFC 9309: at least 500 KiB must be read

std::string now_utc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string encode_feed_state(const FeedState& state) {
  nlohmann::json j = {{"url", state.url},
                      {"etag", state.etag},
                      {"last_modified", state.last_modified},
                      {"fetched", state.fetched.empty() ? now_utc() : state.fetched}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

FeedState decode_feed_state(std::string_view json) {
  FeedState s;
  const auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object()) return s;
  const auto field = [&](const char* name) {
    const auto it = j.find(name);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  s.url = field("url");
  s.etag = field("etag");
  s.last_modified = field("last_modified");
  s.fetched = field("fetched");
  return s;
}

WebReader::WebReader(const FetchOptions& options, std::function<bool()> stop)
    : options_(options), stop_(std::move(stop)) {
  if (options_.user_agent.empty()) options_.user_agent = std::string("Fundstelle/") + FUNDSTELLE_VERSION_STRING;
}

void WebReader::wait_for(const std::string& origin) {
  double delay = options_.delay_seconds;
  if (const auto r = robots_.find(origin); r != robots_.end())
    delay = std::max(delay, std::min(r->second.crawl_delay(), kMaxCrawlDelay));
  const auto last = last_request_.find(origin);
  if (last != last_request_.end() && delay > 0) {
    const auto due = last->second + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(delay));
    // In short steps, so that Ctrl-C is not kept waiting behind a long Crawl-delay.
    while (Clock::now() < due && !(stop_ && stop_()))
      std::this_thread::sleep_for(std::min<Clock::duration>(due - Clock::now(), std::chrono::milliseconds(100)));
  }
}

HttpResponse WebReader::get(const std::string& url, const FeedState* state) {
  return request(url, state, options_.max_bytes, false);
}

HttpResponse WebReader::request(const std::string& url, const FeedState* state, std::size_t max_bytes,
                                bool keep_partial, bool allow_private) {
  const std::string origin = url_origin(url);
  wait_for(origin);
  HttpRequest req;
  req.url = url;
  if (state) {
    req.etag = state->etag;
    req.last_modified = state->last_modified;
  }
  req.timeout_seconds = options_.timeout_seconds;
  req.max_bytes = max_bytes;
  req.keep_partial = keep_partial;
  req.allow_private = allow_private;
  req.user_agent = options_.user_agent;
  req.stop = stop_;
  HttpResponse response = http_get(req);
  last_request_[origin] = Clock::now();
  return response;
}

const RobotsRules& WebReader::robots(const std::string& origin, bool allow_private) {
  const auto known = robots_.find(origin);
  if (known != robots_.end()) return known->second;
  // RFC 9309: at least the first 500 KiB are read; what lies beyond may be ignored.
  const HttpResponse r = request(origin + "/robots.txt", nullptr, kMaxRobotsBytes, true, allow_private);
  RobotsRules rules;
  if (r.ok && r.status >= 200 && r.status < 300) rules = RobotsRules::parse(r.body, "Fundstelle");
  else if (r.ok && r.status >= 400 && r.status < 500) rules = RobotsRules::allow_all();  // "unavailable": no rules
  else rules = RobotsRules::disallow_all();  // "unreachable" (5xx, no answer): assume everything is disallowed
  return robots_.emplace(origin, std::move(rules)).first->second;
}

WebReader::Page WebReader::get_page(const std::string& url, HttpResponse& out, bool allow_private) {
  const std::string origin = url_origin(url);
  if (origin.empty()) {
    out = HttpResponse{};
    out.error = "not an http(s) URL";
    return Page::Failed;
  }
  if (!robots(origin, allow_private).allows(url_path(url))) return Page::Refused;
  out = request(url, nullptr, options_.max_bytes, false, allow_private);
  if (!out.ok) return Page::Failed;
  // Redirected to another host: its robots.txt has a say too (the answer is not used when it says no).
  const std::string landed = url_origin(out.final_url);
  if (!landed.empty() && landed != origin && !robots(landed, allow_private).allows(url_path(out.final_url)))
    return Page::Refused;
  if (out.status < 200 || out.status >= 300) {
    out.error = "HTTP status " + std::to_string(out.status);
    return Page::Failed;
  }
  // A podcast's MP3 or a PDF is no page to read as HTML.
  const std::string type = analyzers::ascii_lower(out.content_type);
  if (!type.empty() && type.find("html") == std::string::npos) {
    out.error = "not an HTML page (Content-Type: " + out.content_type + ")";
    return Page::Failed;
  }
  return Page::Fetched;
}

}  // namespace fundstelle::indexer
