// `fundstelle serve`: the HTTP/JSON service and the search page, on the public API.
#pragma once

#include <cstddef>
#include <string>

#include "fundstelle/searcher.h"

namespace fundstelle::cli {

struct ServeOptions {
  std::string db;
  std::string host = "127.0.0.1";       // loopback unless told otherwise
  int port = 8080;                      // 0: any free port (printed at start)
  std::string write_token;              // empty: POST /articles is refused
  std::string cors_origin;              // empty: no CORS headers; else the origin allowed (or *)
  std::size_t max_body = 16 << 20;      // bytes of a request body (413 beyond)
  std::size_t max_response = 32 << 20;  // bytes of an answer's body (500 with a message beyond)
  int timeout_seconds = 10;             // a silent connection is closed after this
  unsigned max_connections = 1000;      // open at once (cli/http_server.h)
  unsigned threads = 0;                 // serving threads (0: HttpLimits' default)
  unsigned max_writes = 16;             // writes admitted at once (cli/http_server.h): 503 beyond
  int write_wait_ms = 10000;            // a write waits this long for another process's writer lock, then 503
  std::string access_log = "-";         // "-": standard error; "none": no log; else a file appended to
  std::string log_format = "text";      // text or json
  OpenOptions open;                     // a sharded index: partial results, remote timeouts
};

// Serves until SIGINT or SIGTERM; returns the exit code.
int serve(const ServeOptions& options);

}  // namespace fundstelle::cli
