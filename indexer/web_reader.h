// Fetching feeds by URL and the pages their items link to, politely: one request at a time (a run reads its
// sources on one thread), a pause between two requests to one host (FetchOptions::delay_seconds, or the
// host's Crawl-delay when longer, up to 30 s), and a page fetched only when the host's robots.txt allows it
// (read once a run per host). Also the state a feed URL keeps between runs: its ETag and Last-Modified date.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "fundstelle/indexer.h"
#include "indexer/http_fetch.h"
#include "indexer/robots.h"

namespace fundstelle::indexer {

// What the index remembers of a feed URL (schema::kMetaFeed), for the next run's conditional request.
struct FeedState {
  std::string url;
  std::string etag, last_modified;  // as the server sent them
  std::string fetched;              // UTC time of the last answer with content, ISO 8601
};
std::string encode_feed_state(const FeedState& state);
FeedState decode_feed_state(std::string_view json);  // empty fields for what cannot be read

class WebReader {
 public:
  WebReader(const FetchOptions& options, std::function<bool()> stop);

  // GET `url`, conditional on `state` (when given), after the pause its host is owed.
  HttpResponse get(const std::string& url, const FeedState* state = nullptr);

  enum class Page { Fetched, Refused, Failed };
  // GET a page the robots.txt of its host allows (fetching that first, once per host; after a redirect to
  // another host, that host's too); Refused when one does not. `out` holds the answer when Fetched (a 2xx
  // status with an HTML body), or the failure. Unless `allow_private`, this machine and private networks are
  // not asked (HttpRequest::allow_private).
  Page get_page(const std::string& url, HttpResponse& out, bool allow_private);

 private:
  HttpResponse request(const std::string& url, const FeedState* state, std::size_t max_bytes, bool keep_partial,
                       bool allow_private = true);
  void wait_for(const std::string& origin);
  const RobotsRules& robots(const std::string& origin, bool allow_private);

  FetchOptions options_;
  std::function<bool()> stop_;
  std::map<std::string, RobotsRules> robots_;  // by origin
  std::map<std::string, std::chrono::steady_clock::time_point> last_request_;
};

}  // namespace fundstelle::indexer
