// One HTTP GET with libcurl, as a feed reader makes it: http and https only (also after a redirect), at most
// five redirects, a time limit for the whole request, a size limit on the answer (counted as it arrives, after
// gzip or deflate are undone, so a compressed bomb is cut off too), a conditional request when an ETag or a
// Last-Modified date is known, and a way to abort it (Ctrl-C). Proxies from the environment (http_proxy, ...)
// are used as curl uses them.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace fundstelle::indexer {

struct HttpRequest {
  std::string url;
  std::string etag;           // sent as If-None-Match when not empty
  std::string last_modified;  // sent as If-Modified-Since when not empty (as the server wrote it)
  double timeout_seconds = 30;
  std::size_t max_bytes = std::size_t{64} << 20;
  bool keep_partial = false;  // a larger answer is cut at max_bytes and kept (ok, `too_large` set)
  // Whether this machine and private networks (loopback, 10/8, 192.168/16, link-local 169.254/16 with the
  // cloud's metadata service, fc00::/7, ...) may be asked, also after a redirect. A URL the user gave may be
  // anywhere; a page a feed links to must not reach into the network the indexer stands in.
  bool allow_private = true;
  std::string user_agent;
  std::function<bool()> stop;  // asked while the request runs; true aborts it
};

struct HttpResponse {
  bool ok = false;                                // an HTTP answer came (of any status); false: `error` says why not
  long status = 0;                                // the last answer's status (after redirects)
  std::string body;                               // the answer's body, decoded from gzip or deflate
  std::string etag, last_modified, content_type;  // its headers, when sent
  std::string final_url;                          // after redirects
  std::string ip;                                 // the address of the last connection
  double retry_after_seconds = 0;                 // Retry-After (seconds or a date), 0 when absent
  std::string error;                              // when !ok: timeout, too large, refused, aborted ...
  bool too_large = false;                         // the answer was larger than max_bytes (!ok, or cut)
  bool aborted = false;                           // stop() said so (and !ok)
  bool private_address = false;                   // refused: a private address, not allowed (and !ok)
};

// Never throws for what the network or the server does; only for a failure of libcurl itself (out of memory).
HttpResponse http_get(const HttpRequest& request);

// Whether an IP address (as text) is loopback, private, link-local or otherwise not of the internet.
bool is_private_address(const std::string& ip);

// The "scheme://host[:port]" of an http(s) URL, lower case; empty when `url` is not one.
std::string url_origin(const std::string& url);

}  // namespace fundstelle::indexer
