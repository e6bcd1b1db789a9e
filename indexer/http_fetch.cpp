#include "indexer/http_fetch.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "analyzers/normalize.h"
#include "base/file_kinds.h"

namespace fundstelle::indexer {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("libcurl cannot start");
  });
}

struct Transfer {
  const HttpRequest* request;
  HttpResponse* response;
};

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (t->response->body.size() + n > t->request->max_bytes) {
    t->response->too_large = true;
    if (t->request->keep_partial) t->response->body.append(data, t->request->max_bytes - t->response->body.size());
    return 0;  // curl aborts with CURLE_WRITE_ERROR
  }
  t->response->body.append(data, n);
  return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (t->request->stop && t->request->stop()) {
    t->response->aborted = true;
    return 1;
  }
  return 0;
}

}  // namespace

bool is_private_address(const std::string& ip) {
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, ip.c_str(), &v4) == 1) {
    const std::uint32_t a = ntohl(v4.s_addr);
    const auto in = [&](std::uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
    return in(0x00000000, 8) || in(0x0A000000, 8) || in(0x7F000000, 8) || in(0xA9FE0000, 16) || in(0xAC100000, 12) ||
           in(0xC0A80000, 16) || in(0x64400000, 10) || a >= 0xE0000000;
  }
  if (inet_pton(AF_INET6, ip.c_str(), &v6) == 1) {
    const unsigned char* b = v6.s6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&v6)) {
      char mapped[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, b + 12, mapped, sizeof mapped);
      return is_private_address(mapped);
    }
    return IN6_IS_ADDR_LOOPBACK(&v6) || IN6_IS_ADDR_UNSPECIFIED(&v6) || IN6_IS_ADDR_LINKLOCAL(&v6) ||
           (b[0] & 0xFE) == 0xFC || b[0] == 0xFF;
  }
  return true;  // not an address we can read: refused
}

namespace {

// Called once a connection stands, before the request is sent (also after each redirect).
int on_connected(void* user, char* ip, char*, int, int) {
  auto* t = static_cast<Transfer*>(user);
  if (!is_private_address(ip)) return CURL_PREREQFUNC_OK;
  t->response->private_address = true;
  return CURL_PREREQFUNC_ABORT;
}

std::string header(CURL* curl, const char* name) {
  curl_header* h = nullptr;
  if (curl_easy_header(curl, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || !h || !h->value) return {};
  return h->value;
}

// Retry-After: seconds, or an HTTP date.
double retry_after(const std::string& value) {
  if (value.empty()) return 0;
  if (std::isdigit(static_cast<unsigned char>(value[0]))) return std::strtod(value.c_str(), nullptr);
  const std::time_t at = curl_getdate(value.c_str(), nullptr);
  if (at < 0) return 0;
  const double wait = std::difftime(at, std::time(nullptr));
  return wait > 0 ? wait : 0;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

std::string url_origin(const std::string& url) {
  if (!base::is_http_url(url)) return {};
  const std::size_t host = url.find("://") + 3;
  std::size_t end = url.find_first_of("/?#", host);
  if (end == std::string::npos) end = url.size();
  std::string out = url.substr(0, end);
  const std::size_t at = out.rfind('@');  // user:password@host
  if (at != std::string::npos && at >= host) out.erase(host, at + 1 - host);
  return analyzers::ascii_lower(out);
}

HttpResponse http_get(const HttpRequest& request) {
  global_init();
  HttpResponse response;
  char error[CURL_ERROR_SIZE] = {0};  // (before `curl`: libcurl may write it until the handle is cleaned up)
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) throw std::runtime_error("libcurl cannot make a request (out of memory?)");
  CURL* c = curl.get();
  Transfer transfer{&request, &response};
  std::unique_ptr<curl_slist, ListDeleter> headers;
  const auto add_header = [&](const std::string& h) {
    curl_slist* l = curl_slist_append(headers.get(), h.c_str());
    if (!l) throw std::runtime_error("libcurl: out of memory");
    (void)headers.release();
    headers.reset(l);
  };
  if (!request.etag.empty()) add_header("If-None-Match: " + request.etag);
  if (!request.last_modified.empty()) add_header("If-Modified-Since: " + request.last_modified);
  const long timeout_ms = static_cast<long>(request.timeout_seconds * 1000);
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 10000L));
  if (!request.keep_partial) curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(request.max_bytes));
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // gzip, deflate, br: whatever this libcurl undoes
  if (!request.user_agent.empty()) curl_easy_setopt(c, CURLOPT_USERAGENT, request.user_agent.c_str());
  if (headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  if (!request.allow_private) {
    curl_easy_setopt(c, CURLOPT_PREREQFUNCTION, on_connected);
    curl_easy_setopt(c, CURLOPT_PREREQDATA, &transfer);
  }
  const CURLcode rc = curl_easy_perform(c);
  char* ip = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip) response.ip = ip;
  char* final_url = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &final_url) == CURLE_OK && final_url) response.final_url = final_url;
  const bool cut = rc == CURLE_WRITE_ERROR && response.too_large && request.keep_partial;
  if (rc != CURLE_OK && !cut) {
    response.body.clear();
    if (rc == CURLE_FILESIZE_EXCEEDED || response.too_large) {
      response.too_large = true;
      response.error = "the answer is larger than " + std::to_string(request.max_bytes) + " bytes";
    } else if (response.private_address) {
      response.error = "refused: the address is this machine's or a private network's";
    } else if (response.aborted) {
      response.error = "stopped";
    } else if (rc == CURLE_OPERATION_TIMEDOUT) {
      response.error = "no complete answer within " + std::to_string(request.timeout_seconds).substr(0, 4) + " s";
    } else {
      response.error = error[0] ? error : curl_easy_strerror(rc);
    }
    return response;
  }
  response.ok = true;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  response.etag = header(c, "ETag");
  response.last_modified = header(c, "Last-Modified");
  response.content_type = header(c, "Content-Type");
  response.retry_after_seconds = retry_after(header(c, "Retry-After"));
  return response;
}

}  // namespace fundstelle::indexer
