// HttpServer: the HTTP side of `fundstelle serve`, on GNU libmicrohttpd. It enforces every request limit before
// anything is buffered beyond it: a body larger than the limit is refused (413) whatever its transfer encoding,
// headers and request line live in a fixed memory pool per connection (431, 414 beyond it), each connection
// has an inactivity timeout, the number of connections is bounded, and a small pool of threads serves all
// connections by epoll, so idle or slow clients hold a connection slot, never a worker.
//
// Each request is first admitted on its headers alone (before a byte of its body is read): the admission says
// whether it is a read, a write, or answered at once (a write without its token, a route that takes no
// writes). The handler then sees a whole request (the body read to its end) and fills a response. A read is
// handled by one of the read threads, first come first served across all connections; a write on a thread
// of its own, strictly in the order the writes arrived whole (their bodies read to the end); the connection
// is suspended meanwhile: a write waiting for the index never holds up a read. Writes admitted at once are bounded (503
// beyond), and so is the memory their bodies take; a read's body is dropped as it comes.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fundstelle::cli {

struct HttpRequest {
  std::string method;                              // GET, POST, ... (HEAD is passed on as GET)
  std::string path;                                // percent-decoded, without the query string
  std::multimap<std::string, std::string> params;  // query string arguments, decoded ("" for a bare key)
  std::map<std::string, std::string> headers;      // names in lower case
  std::string body;
  std::chrono::steady_clock::time_point received;  // when its head arrived

  bool has_param(const std::string& name) const { return params.count(name) > 0; }
  // The first value of the argument, or "".
  std::string param(const std::string& name) const;
  // Every value of the argument, in the order given (author=a&author=b), the empty ones left out.
  std::vector<std::string> params_of(const std::string& name) const;
  // The header's value, or "".
  std::string header(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// One request as answered, for an access log and metrics.
struct HttpRecord {
  std::chrono::system_clock::time_point at;  // when its request line arrived
  std::string client;                        // the peer's address
  std::string method;
  std::string target;  // the request target as sent (path and query string), at most 2048 bytes
  std::string path;    // decoded path, without the query string
  int status = 0;
  std::size_t bytes = 0;  // of the response body
  double milliseconds = 0;
};

struct HttpLimits {
  std::size_t max_body = 16 << 20;            // bytes of a request body: 413 beyond
  unsigned timeout_seconds = 10;              // a connection idle this long is closed
  unsigned max_connections = 1000;            // open connections at once; a request on one beyond is answered
                                              // 503 (Retry-After: 1) and its connection closed; beyond a tenth
                                              // more (at least 16), new connections are closed as they come
  std::size_t max_uri = 8192;                 // bytes of the request target: 414 beyond
  std::size_t connection_memory = 32 * 1024;  // request line and headers of one request: 414 or 431 beyond
  unsigned threads = 0;                       // the read threads, and as many for the connections (0: one
                                              // per core, at least 2)
  unsigned max_writes = 16;                   // writes admitted at once (their bodies being read, waiting or
                                              // being written): 503 (Retry-After) beyond
  int backlog = 511;                          // connections the kernel queues before they are accepted
};

// What a request is, decided on its request line and headers (HttpRequest without its body).
enum class Lane {
  Read,      // handled on a read thread, first come first served; a body it carries is read and dropped
  Write,     // its body read (up to the limit), then handled on the write thread, in order
  Answered,  // the admission filled the response: sent at once, the body (if any) not read
};

class HttpServer {
 public:
  using Handler = std::function<void(const HttpRequest&, HttpResponse&)>;
  // Decides the lane of a request from its head; for Lane::Answered it fills the response.
  using Admit = std::function<Lane(const HttpRequest& head, HttpResponse& answer)>;
  // The response for a request refused before the handler saw it (413: body too large).
  using Refusal = std::function<HttpResponse(int status, const std::string& message)>;

  // Told of every request answered (by the handler or refused here), on the thread that answered it.
  using Observer = std::function<void(const HttpRecord&)>;

  HttpServer(HttpLimits limits, Admit admit, Handler handler, Refusal refusal, Observer observer = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Listens on host:port (port 0: a free one) and serves (the pool's threads move the bytes, the read threads
  // and the write thread run the handler); returns the port. Throws
  // std::runtime_error saying why it cannot listen (a port in use names the process holding it, where the
  // kernel tells).
  int start(const std::string& host, int port);
  // Stops taking requests (503), answers the reads and writes queued, sends the answers of the writes
  // admitted (for up to a few seconds), then closes every connection.
  void stop();
  // Writes waiting for the write thread.
  std::size_t queued_writes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fundstelle::cli
