#include "http_server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <strings.h>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unordered_map>

namespace fundstelle::cli {

std::string HttpRequest::param(const std::string& name) const {
  const auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

std::vector<std::string> HttpRequest::params_of(const std::string& name) const {
  std::vector<std::string> out;
  for (auto [it, end] = params.equal_range(name); it != end; ++it)
    if (!it->second.empty()) out.push_back(it->second);
  return out;
}

std::string HttpRequest::header(const std::string& name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

namespace {

// What one connection's current request has received of its body.
struct Pending {
  std::chrono::system_clock::time_point at = std::chrono::system_clock::now();
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::size_t uri_length = 0;  // of the request target as sent, query string included
  std::string target;          // its first kMaxLoggedTarget bytes
  std::string body;
  std::size_t discarded = 0;  // bytes beyond the limit, read and dropped
  bool too_large = false;
  bool sent_early = false;  // its 413 written to the socket while the body came (Impl::refuse_body_early)
  bool started = false;     // the handler has seen the headers
  bool answered = false;    // by us (not by libmicrohttpd itself: 431)
  // How it was admitted: a Write is counted in Impl::writes_admitted until it ends; a Read's body is read and
  // dropped, never kept.
  Lane lane = Lane::Answered;
  bool handed = false;    // to a worker thread, its connection suspended until the response is ready
  HttpRequest request;    // its head (from the admission on), then the whole request
  HttpResponse response;  // the worker's, once the connection is resumed
};

// A whole request waiting for a worker thread, its connection suspended.
struct Job {
  MHD_Connection* connection = nullptr;
  Pending* pending = nullptr;
  HttpRequest request;
};

// Requests waiting for worker threads: one queue, first come first served (with one thread, strictly in that
// order). The connection of a queued request is suspended: it holds no thread of libmicrohttpd's pool
// meanwhile, and does not time out; their number is bounded by the connections (one request each at a time)
// and, for writes, by the admission (HttpLimits::max_writes).
class WorkQueue {
 public:
  using Run = std::function<void(Job&)>;

  void start(unsigned threads, Run run) {
    for (unsigned i = 0; i < threads; ++i)
      workers_.emplace_back([this, run] {
        for (;;) {
          Job job;
          {
            std::unique_lock<std::mutex> lock(mutex_);
            ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) return;  // stopping, and every request queued answered
            job = std::move(jobs_.front());
            jobs_.pop_front();
          }
          run(job);
        }
      });
  }

  // Suspends the job's connection and queues it; false (nothing done) once the lane is stopping.
  bool hand(Job job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return false;
      // Suspended before a worker can see the job: it resumes the connection when the response is ready.
      MHD_suspend_connection(job.connection);
      jobs_.push_back(std::move(job));
    }
    ready_.notify_one();
    return true;
  }

  std::size_t queued() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return jobs_.size();
  }

  // Takes no more jobs, answers those queued, and ends the threads.
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

// Threads for writes. An index has one writer, and the token is checked at admission: one thread takes the
// writes one after another, in the order they arrived whole (a DELETE sent after a POST is never run first).
constexpr unsigned kWriteThreads = 1;

constexpr std::size_t kMaxLoggedTarget = 2048;
constexpr std::size_t kMaxLoggedMethod = 32;  // (libmicrohttpd takes any token as a method)

std::string client_of(MHD_Connection* c) {
  const MHD_ConnectionInfo* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (!info || !info->client_addr) return "-";
  char text[INET6_ADDRSTRLEN] = "-";
  const sockaddr* a = info->client_addr;
  if (a->sa_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(a)->sin_addr, text, sizeof text);
  else if (a->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(a)->sin6_addr, text, sizeof text);
  return text;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The process that listens on TCP `port`, as "NAME (pid N)", from /proc; "" when the kernel does not tell us
// (another user's process, another network namespace).
std::string listener_of(int port) {
  std::vector<std::string> inodes;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream f(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      f >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode;
      const auto colon = local.rfind(':');
      if (state != "0A" || colon == std::string::npos) continue;  // 0A: LISTEN
      if (std::stoi(local.substr(colon + 1), nullptr, 16) == port) inodes.push_back("socket:[" + inode + "]");
    }
  }
  if (inodes.empty()) return {};
  DIR* proc = opendir("/proc");
  if (!proc) return {};
  std::string found;
  while (const dirent* p = readdir(proc)) {
    const std::string pid = p->d_name;
    if (pid.empty() || !std::all_of(pid.begin(), pid.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    const std::string fd_dir = "/proc/" + pid + "/fd";
    DIR* fds = opendir(fd_dir.c_str());
    if (!fds) continue;
    while (const dirent* fd = readdir(fds)) {
      char target[64] = {};
      const std::string link = fd_dir + "/" + fd->d_name;
      const ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
      if (n > 0 &&
          std::find(inodes.begin(), inodes.end(), std::string(target, static_cast<std::size_t>(n))) != inodes.end()) {
        std::string name;
        std::getline(std::ifstream("/proc/" + pid + "/comm"), name);
        found = name + " (pid " + pid + ")";
        break;
      }
    }
    closedir(fds);
    if (!found.empty()) break;
  }
  closedir(proc);
  return found;
}

// A listening socket on host:port, or throws saying why not.
int listen_on(const std::string& host, int port, int backlog) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string where = host + ":" + std::to_string(port);
  if (const int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), std::to_string(port).c_str(), &hints, &found);
      rc != 0)
    throw std::runtime_error("cannot listen on " + where + ": " + gai_strerror(rc));
  int error = 0;
  int fd = -1;
  for (const addrinfo* a = found; a && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      error = errno;
      continue;
    }
    // SO_REUSEADDR only (a restart may bind while old connections linger), never SO_REUSEPORT: a second server
    // on the port must fail, not take half the traffic.
    const int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, backlog) != 0) {
      error = errno;
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd >= 0) return fd;
  std::string message = "cannot listen on " + where + ": " + std::strerror(error);
  if (error == EADDRINUSE)
    if (const std::string holder = listener_of(port); !holder.empty()) message += " (by " + holder + ")";
  throw std::runtime_error(message);
}

// Connections beyond HttpLimits::max_connections that are still accepted, to be answered 503 at once; beyond
// these libmicrohttpd accepts none (they wait in the kernel's queue until one closes).
unsigned overflow_slots(unsigned max_connections) { return std::max(16u, max_connections / 10); }

// Every connection is a file descriptor: the soft limit (often 1024) is raised towards the hard one so that
// the connections allowed can be open, with room for the index's files.
void allow_open_files(std::size_t needed) {
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) != 0 || files.rlim_cur >= needed) return;
  files.rlim_cur = files.rlim_max == RLIM_INFINITY ? needed : std::min<rlim_t>(needed, files.rlim_max);
  if (setrlimit(RLIMIT_NOFILE, &files) != 0 || files.rlim_cur < needed)
    std::cerr << "fundstelle serve: warning: at most " << files.rlim_cur << " open files (ulimit -n), fewer than the "
              << needed << " the connections allowed need: connections beyond it are refused\n";
}

}  // namespace

struct HttpServer::Impl {
  HttpLimits limits;
  std::atomic<unsigned> open_connections{0};
  Handler handler;
  Refusal refusal;
  Observer observer;
  Admit admit;
  MHD_Daemon* daemon = nullptr;
  WorkQueue writes;
  // Reads (searches, articles, the page) are answered by threads of their own, one per core, in the order
  // they arrived whole: libmicrohttpd's threads each serve the connections they accepted, so answering on them
  // made a client wait for the requests of its thread's connections that epoll reported before it, and one
  // thread could hold more busy connections than the other. In one queue, 50 clients searching (five pairs of
  // runs of bench/http_load.sh) waited p99 54-62 ms instead of 59-79 ms, at 2 % fewer searches a second.
  WorkQueue reads;
  std::atomic<unsigned> writes_admitted{0};  // from their admission until their connection's request ends

  // Each connection's wait for a request head. libmicrohttpd's timeout counts silence only, so a client that
  // trickles a header line every second would hold its connection for ever, and enough of them (the
  // connection limit) would leave new clients waiting in the kernel's queue. A head must arrive whole within
  // the timeout of the connection's start or of the request before; a watchdog shuts the socket of one that
  // does not (libmicrohttpd then closes the connection as closed by the client). The socket is shut down
  // under the mutex and a connection leaves the map (notify, before libmicrohttpd closes its socket) under it
  // too, so a socket number reused for a new connection is never shut by mistake.
  struct Head {
    int fd = -1;
    std::chrono::steady_clock::time_point since;  // waiting for a head since
    bool in_request = false;                      // a head has come; its request is under way
  };
  std::mutex heads_mutex;
  std::unordered_map<MHD_Connection*, Head> heads;
  std::thread watchdog;
  std::mutex watchdog_mutex;
  std::condition_variable watchdog_wake;
  bool watchdog_stop = false;

  void head_event(MHD_Connection* c, bool head_arrived) {
    std::lock_guard<std::mutex> lock(heads_mutex);
    const auto it = heads.find(c);
    if (it == heads.end()) return;
    it->second.in_request = head_arrived;
    if (!head_arrived) it->second.since = std::chrono::steady_clock::now();
  }

  void watch_heads() {
    const auto timeout = std::chrono::seconds(limits.timeout_seconds);
    std::unique_lock<std::mutex> wait(watchdog_mutex);
    while (!watchdog_wake.wait_for(wait, std::chrono::milliseconds(250), [&] { return watchdog_stop; })) {
      const auto now = std::chrono::steady_clock::now();
      std::lock_guard<std::mutex> lock(heads_mutex);
      for (auto& [connection, head] : heads)
        if (!head.in_request && head.fd >= 0 && now - head.since > timeout) {
          ::shutdown(head.fd, SHUT_RDWR);
          head.fd = -1;  // (once)
        }
    }
  }

  // Runs a job on a worker thread: the handler's response is kept for the connection, which is resumed;
  // libmicrohttpd then calls on_request again, which sends it.
  void run(Job& job) {
    HttpResponse response;
    try {
      handler(job.request, response);
    } catch (...) {  // nothing may unwind through the C library
      response = refusal(500, "internal error");
    }
    job.pending->response = std::move(response);
    MHD_resume_connection(job.connection);
  }

  // Queues `r` as the answer to the request `pending` describes, and tells the observer.
  MHD_Result answer(MHD_Connection* c, const char* method, const char* url, Pending& pending,
                    const HttpResponse& r) const {
    const MHD_Result ok = queue(c, r);
    pending.answered = true;
    record(c, method, url, pending, r.status, r.body.size());
    return ok;
  }

  // Tells the observer of a request answered.
  void record(MHD_Connection* c, const char* method, const char* path, const Pending& pending, int status,
              std::size_t bytes) const {
    if (!observer) return;
    HttpRecord record;
    record.at = pending.at;
    record.client = client_of(c);
    // (append, not =: GCC 12's -Wrestrict misreads an inlined assignment from a literal at -O3, bug 105329)
    record.method.append(method, std::min(std::strlen(method), kMaxLoggedMethod));
    record.target = pending.target;
    record.path.append(path);
    record.status = status;
    record.bytes = bytes;
    record.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - pending.start).count();
    observer(record);
  }

  // A request libmicrohttpd answered itself after its request line (headers beyond the connection's memory:
  // 431) is recorded too, when it ends: its method is not known. (A request line beyond that memory, 414, or
  // one it cannot parse, ends before the URI callback made a Pending: not recorded.)
  void ended(MHD_Connection* c, const Pending& pending) const {
    if (pending.answered) return;
    const MHD_ConnectionInfo* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_HTTP_STATUS);
    if (!info || info->http_status == 0) return;  // closed before any answer
    const std::string path = pending.target.substr(0, pending.target.find('?'));
    record(c, "-", path.c_str(), pending, static_cast<int>(info->http_status), 0);
  }

  static MHD_Result queue(MHD_Connection* c, const HttpResponse& r) {
    MHD_Response* response = MHD_create_response_from_buffer(r.body.size(), const_cast<char*>(r.body.data()),
                                                             MHD_RESPMEM_MUST_COPY);
    if (!response) return MHD_NO;
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, r.content_type.c_str());
    for (const auto& [name, value] : r.headers) MHD_add_response_header(response, name.c_str(), value.c_str());
    const MHD_Result ok = MHD_queue_response(c, static_cast<unsigned>(r.status), response);
    MHD_destroy_response(response);
    return ok;
  }

  HttpResponse body_too_large() const {
    HttpResponse r = refusal(413, "the request body is larger than " + std::to_string(limits.max_body) + " bytes");
    r.headers.emplace_back("Connection", "close");
    return r;
  }

  MHD_Result refuse_body(MHD_Connection* c, const char* method, const char* url, Pending& pending) const {
    return answer(c, method, url, pending, body_too_large());
  }

  // The 413 of a body without a declared length (chunked) that has passed the limit, sent while the client is
  // still sending it: libmicrohttpd 0.9 queues an answer only before a body or after all of it, and reading
  // all of a body of any size to answer it would let a client keep a connection busy as long as it likes
  // (cutting it off without an answer tells the client nothing). So the answer is written to the socket here,
  // and its sending side closed; what the client still sends is read and dropped, so that the close does
  // not reset the connection before the client has read the answer, up to the limit once more (on_request).
  void refuse_body_early(MHD_Connection* c, const char* method, const char* url, Pending& pending) const {
    const HttpResponse r = body_too_large();
    std::string raw = "HTTP/1.1 " + std::to_string(r.status) + ' ' + MHD_get_reason_phrase_for(r.status) + "\r\n";
    raw += "Content-Type: " + r.content_type + "\r\nContent-Length: " + std::to_string(r.body.size()) + "\r\n";
    for (const auto& [name, value] : r.headers) raw += name + ": " + value + "\r\n";
    raw += "\r\n" + r.body;
    pending.sent_early = true;
    pending.answered = true;
    record(c, method, url, pending, r.status, r.body.size());
    const MHD_ConnectionInfo* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!info) return;
    const int fd = info->connect_fd;
    for (std::size_t sent = 0; sent < raw.size();) {
      const ssize_t n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        pollfd p{fd, POLLOUT, 0};             // (a few hundred bytes: the socket's buffer has room unless the client
        if (::poll(&p, 1, 1000) <= 0) break;  // reads nothing at all)
      } else {
        break;
      }
    }
    ::shutdown(fd, SHUT_WR);
  }

  MHD_Result on_request(MHD_Connection* c, const char* url, const char* method, const char* upload_data,
                        std::size_t* upload_size, void** state) {
    auto* pending = static_cast<Pending*>(*state);  // made by the URI callback, at the request line
    if (!pending->started) {
      pending->started = true;
      head_event(c, true);
      if (open_connections.load() > limits.max_connections) {
        HttpResponse busy = refusal(503, "too many connections (at most " + std::to_string(limits.max_connections) +
                                             "); try again in a moment");
        busy.headers.emplace_back("Retry-After", "1");
        busy.headers.emplace_back("Connection", "close");
        return answer(c, method, url, *pending, busy);
      }
      if (pending->uri_length > limits.max_uri)
        return answer(c, method, url, *pending,
                      refusal(414, "the request URI is longer than " + std::to_string(limits.max_uri) + " bytes"));
      // A transfer coding other than chunked (gzip, identity, a list) frames no body libmicrohttpd can read:
      // refused at once (501, RFC 9112 6.1) rather than left to wait for the connection's timeout.
      if (const char* coding = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
          coding && strcasecmp(coding, "chunked") != 0) {
        HttpResponse unknown =
            refusal(501, "only the chunked transfer coding is supported; send chunked or a Content-Length");
        unknown.headers.emplace_back("Connection", "close");
        return answer(c, method, url, *pending, unknown);
      }
      // Two Content-Length headers that differ: which one frames the body is exactly what a proxy in front may
      // read otherwise than this server (request smuggling); refused (RFC 9112, 6.3).
      struct Lengths {
        const char* first = nullptr;
        bool differ = false;
      } lengths;
      MHD_get_connection_values(
          c, MHD_HEADER_KIND,
          [](void* cls, MHD_ValueKind, const char* key, const char* value) {
            auto& l = *static_cast<Lengths*>(cls);
            if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) != 0 || !value) return MHD_YES;
            if (!l.first) l.first = value;
            else if (std::strcmp(l.first, value) != 0) l.differ = true;
            return MHD_YES;
          },
          &lengths);
      if (lengths.differ) {
        HttpResponse bad = refusal(400, "the request has two Content-Length headers that differ");
        bad.headers.emplace_back("Connection", "close");
        return answer(c, method, url, *pending, bad);
      }
      // A declared length beyond the limit is refused before a byte of the body is read.
      const char* length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
      if (length) {
        errno = 0;
        char* end = nullptr;
        const unsigned long long n = std::strtoull(length, &end, 10);
        if (errno == ERANGE || n > limits.max_body) {
          pending->too_large = true;
          return refuse_body(c, method, url, *pending);
        }
      }
      return admit_head(c, url, method, *pending);
    }
    if (pending->sent_early) {  // answered while its body came: the rest is dropped, and then it is closed
      if (*upload_size == 0) return MHD_NO;
      pending->discarded += *upload_size;
      *upload_size = 0;
      return pending->discarded > 2 * limits.max_body ? MHD_NO : MHD_YES;
    }
    if (pending->answered) {  // at admission: libmicrohttpd reads no more of it (left here as a guard)
      *upload_size = 0;
      return MHD_YES;
    }
    if (*upload_size > 0) {
      // A body without a declared length (chunked) is read up to the limit; beyond it the rest is dropped as
      // it comes, and a client that goes on sending as much again is cut off. A read's body has no meaning
      // (GET, OPTIONS): it is dropped as it comes, within the same limits, so that no connection holds one.
      if (pending->lane == Lane::Read) {
        pending->discarded += *upload_size;
        pending->too_large = pending->discarded > limits.max_body;
      } else if (!pending->too_large && pending->body.size() + *upload_size <= limits.max_body) {
        pending->body.append(upload_data, *upload_size);
      } else {
        std::string().swap(pending->body);
        pending->too_large = true;
        pending->discarded += *upload_size;
      }
      *upload_size = 0;
      if (pending->too_large) {
        if (!pending->sent_early) refuse_body_early(c, method, url, *pending);
        // A client that goes on sending as much again after the answer is cut off.
        if (pending->discarded > 2 * limits.max_body) return MHD_NO;
      }
      return MHD_YES;
    }
    if (pending->too_large) return refuse_body(c, method, url, *pending);
    if (pending->handed) return answer(c, method, url, *pending, pending->response);  // resumed: ready

    HttpRequest request = std::move(pending->request);
    request.body = std::move(pending->body);
    // A read goes to the read threads, a write to the write thread (it may wait seconds for the index's
    // writer, another process writing, and never holds up a read).
    pending->handed = true;
    if ((pending->lane == Lane::Write ? writes : reads).hand(Job{c, pending, std::move(request)})) return MHD_YES;
    pending->handed = false;
    return answer(c, method, url, *pending, refusal(503, "the server is stopping"));
  }

  // Admits the request whose head has arrived (HttpServer::Admit); an answer sent at once, or MHD_YES to read
  // its body.
  MHD_Result admit_head(MHD_Connection* c, const char* url, const char* method, Pending& pending) {
    HttpRequest& head = pending.request;
    head.method = std::strcmp(method, MHD_HTTP_METHOD_HEAD) == 0 ? MHD_HTTP_METHOD_GET : method;
    head.path = url;
    head.received = pending.start;
    MHD_get_connection_values(
        c, MHD_GET_ARGUMENT_KIND,
        [](void* cls, MHD_ValueKind, const char* key, const char* value) {
          static_cast<HttpRequest*>(cls)->params.emplace(key, value ? value : "");
          return MHD_YES;
        },
        &head);
    MHD_get_connection_values(
        c, MHD_HEADER_KIND,
        [](void* cls, MHD_ValueKind, const char* key, const char* value) {
          static_cast<HttpRequest*>(cls)->headers.emplace(lower(key), value ? value : "");
          return MHD_YES;
        },
        &head);
    HttpResponse response;
    Lane lane = Lane::Answered;
    try {
      lane = admit(head, response);
    } catch (...) {
      response = refusal(500, "internal error");
    }
    if (lane == Lane::Answered) return answer(c, method, url, pending, response);
    if (lane == Lane::Write) {
      // Counted before it is compared: two admissions at once cannot both take the last place.
      if (writes_admitted.fetch_add(1) >= limits.max_writes) {
        --writes_admitted;
        HttpResponse busy = refusal(503, "too many writes waiting (at most " + std::to_string(limits.max_writes) +
                                             "); try again in a moment");
        busy.headers.emplace_back("Retry-After", "1");
        return answer(c, method, url, pending, busy);
      }
    }
    pending.lane = lane;
    return MHD_YES;
  }
};

HttpServer::HttpServer(HttpLimits limits, Admit admit, Handler handler, Refusal refusal, Observer observer)
    : impl_(std::make_unique<Impl>()) {
  impl_->limits = limits;
  impl_->admit = std::move(admit);
  impl_->handler = std::move(handler);
  impl_->refusal = std::move(refusal);
  impl_->observer = std::move(observer);
}

HttpServer::~HttpServer() { stop(); }

int HttpServer::start(const std::string& host, int port) {
  const HttpLimits& l = impl_->limits;
  const int fd = listen_on(host, port, l.backlog);
  sockaddr_storage bound{};
  socklen_t size = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &size);
  const int actual = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                       : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  const unsigned threads = l.threads ? l.threads : std::max(2u, std::thread::hardware_concurrency());
  const auto access = [](void* cls, MHD_Connection* c, const char* url, const char* method, const char*,
                         const char* upload_data, std::size_t* upload_size, void** state) {
    return static_cast<Impl*>(cls)->on_request(c, url, method, upload_data, upload_size, state);
  };
  const auto request_line = [](void*, const char* uri, MHD_Connection*) -> void* {
    auto* pending = new Pending;
    pending->uri_length = std::strlen(uri);
    pending->target.assign(uri, std::min(pending->uri_length, kMaxLoggedTarget));
    return pending;
  };
  const auto completed = [](void* cls, MHD_Connection* c, void** state, MHD_RequestTerminationCode) {
    static_cast<Impl*>(cls)->head_event(c, false);  // the next head's time begins
    if (auto* pending = static_cast<Pending*>(*state)) {
      auto* impl = static_cast<Impl*>(cls);
      impl->ended(c, *pending);
      if (pending->lane == Lane::Write) --impl->writes_admitted;
      delete pending;
    }
    *state = nullptr;
  };
  // Percent-decoding, libmicrohttpd's own, except that %00 becomes the byte FF: a decoded NUL would end the
  // C string a path or value is handed over in, and what follows it would be silently dropped (serve then
  // refuses FF, which is no UTF-8).
  const auto unescape = [](void*, MHD_Connection*, char* s) -> std::size_t {
    const std::size_t n = MHD_http_unescape(s);
    for (std::size_t i = 0; i < n; ++i)
      if (s[i] == '\0') s[i] = '\xFF';
    return n;
  };
  const auto connection = [](void* cls, MHD_Connection* c, void**, MHD_ConnectionNotificationCode code) {
    auto* impl = static_cast<Impl*>(cls);
    std::lock_guard<std::mutex> lock(impl->heads_mutex);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
      ++impl->open_connections;
      const MHD_ConnectionInfo* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
      impl->heads[c] = Impl::Head{info ? info->connect_fd : -1, std::chrono::steady_clock::now(), false};
    } else {
      --impl->open_connections;
      impl->heads.erase(c);
    }
  };
  const unsigned accepted = l.max_connections + overflow_slots(l.max_connections);
  allow_open_files(accepted + 256);
  Impl* impl = impl_.get();
  try {
    impl->writes.start(kWriteThreads, [impl](Job& job) { impl->run(job); });
    impl->reads.start(threads, [impl](Job& job) { impl->run(job); });
  } catch (...) {  // no thread to be had: those started end, and the socket is closed
    impl->writes.stop();
    impl->reads.stop();
    close(fd);
    throw;
  }
  impl_->daemon = MHD_start_daemon(
      MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME, 0, nullptr, nullptr, +access, impl_.get(),
      MHD_OPTION_LISTEN_SOCKET, static_cast<MHD_socket>(fd), MHD_OPTION_THREAD_POOL_SIZE, threads,
      MHD_OPTION_CONNECTION_LIMIT, accepted, MHD_OPTION_NOTIFY_CONNECTION, +connection, impl_.get(),
      MHD_OPTION_CONNECTION_TIMEOUT, l.timeout_seconds, MHD_OPTION_CONNECTION_MEMORY_LIMIT, l.connection_memory,
      MHD_OPTION_URI_LOG_CALLBACK, +request_line, nullptr, MHD_OPTION_NOTIFY_COMPLETED, +completed, impl_.get(),
      MHD_OPTION_UNESCAPE_CALLBACK, +unescape, nullptr, MHD_OPTION_END);
  if (!impl_->daemon) {
    impl->writes.stop();
    impl->reads.stop();
    close(fd);
    throw std::runtime_error("cannot start the HTTP server on " + host + ":" + std::to_string(actual));
  }
  impl->watchdog = std::thread([impl] { impl->watch_heads(); });
  return actual;
}

std::size_t HttpServer::queued_writes() const { return impl_->writes.queued(); }

void HttpServer::stop() {
  if (impl_ && impl_->daemon) {
    // The writes and reads queued are answered first (their connections resumed): libmicrohttpd must not be
    // stopped with a connection suspended. A request whose body is complete after this is answered 503. Then the
    // answers of the writes admitted are sent before the connections close (a write acknowledged in the index
    // but never answered would make its client retry it), for at most a few seconds: a client reading
    // slowly or sending a body slowly does not hold up the stop beyond that.
    impl_->writes.stop();
    impl_->reads.stop();
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (impl_->writes_admitted.load() > 0 && std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    {
      std::lock_guard<std::mutex> lock(impl_->watchdog_mutex);
      impl_->watchdog_stop = true;
    }
    impl_->watchdog_wake.notify_all();
    if (impl_->watchdog.joinable()) impl_->watchdog.join();
    MHD_stop_daemon(impl_->daemon);
    impl_->daemon = nullptr;
  }
}

}  // namespace fundstelle::cli
