// http_load: load on a running `fundstelle serve`, as readers and idle clients make it. Holds IDLE connections
// open (half of them silent, half with a request begun and never finished), then runs CLIENTS threads, each
// with its own keep-alive connection, searching the queries in turn (each thread from another start) for
// SECONDS. Prints throughput, latency percentiles and errors; with --pid, the server's peak memory (VmHWM) and
// the processor time it spent during the run (user and system, per search answered).
//
//   http_load HOST PORT QUERIES.txt [--clients 50] [--idle 500] [--seconds 20] [--pid PID]
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "latency.h"

namespace {

long status_kib(const std::string& pid, const std::string& field) {
  std::ifstream status("/proc/" + pid + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.starts_with(field + ":")) return std::atol(line.c_str() + field.size() + 1);
  return -1;
}

// The processor time of process `pid` so far (user and system), in seconds.
double cpu_seconds(const std::string& pid) {
  std::ifstream stat("/proc/" + pid + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the command's closing parenthesis (the name may hold spaces): utime and stime are the
  // 12th and 13th of them.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(text.substr(close + 1));
  std::string field;
  double ticks = 0;
  for (int k = 1; k <= 13 && rest >> field; ++k)
    if (k >= 12) ticks += std::atof(field.c_str());
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: http_load HOST PORT QUERIES.txt [--clients N] [--idle N] [--seconds S] [--pid PID]\n";
    return 2;
  }
  const std::string host = argv[1];
  const int port = std::atoi(argv[2]);
  const auto queries = fundstelle::bench::read_queries(argv[3]);
  int clients = 50, idle = 500, seconds = 20;
  std::string pid;
  for (int i = 4; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--clients") clients = std::atoi(argv[i + 1]);
    else if (flag == "--idle") idle = std::atoi(argv[i + 1]);
    else if (flag == "--seconds") seconds = std::atoi(argv[i + 1]);
    else if (flag == "--pid") pid = argv[i + 1];
    else {
      std::cerr << "http_load: unknown option " << flag << '\n';
      return 2;
    }
  }
  if (queries.empty()) {
    std::cerr << "http_load: no queries in " << argv[3] << '\n';
    return 2;
  }

  // The idle connections.
  std::vector<int> held;
  int refused = 0;
  for (int i = 0; i < idle; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    inet_pton(AF_INET, host.c_str(), &a.sin_addr);
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ++refused;
      close(fd);
      continue;
    }
    if (i % 2) {
      const std::string begun = "GET /search?q=Akku HTTP/1.1\r\nHost: x\r\n";
      [[maybe_unused]] const ssize_t n = send(fd, begun.data(), begun.size(), MSG_NOSIGNAL);
    }
    held.push_back(fd);
  }
  const long rss_idle = pid.empty() ? -1 : status_kib(pid, "VmRSS");

  std::mutex mutex;
  std::vector<double> ms;
  std::atomic<long> errors{0}, answered{0};
  const double cpu_before = pid.empty() ? -1 : cpu_seconds(pid);
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t)
    threads.emplace_back([&, t] {
      httplib::Client c(host, port);
      c.set_keep_alive(true);
      c.set_read_timeout(30, 0);
      std::vector<double> mine;
      for (std::size_t i = static_cast<std::size_t>(t) * 7; std::chrono::steady_clock::now() < end; ++i) {
        const std::string& q = queries[i % queries.size()];
        const auto t0 = std::chrono::steady_clock::now();
        const auto r = c.Get("/search?limit=10&q=" + httplib::detail::encode_query_param(q));
        mine.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        (r && r->status == 200) ? ++answered : ++errors;
      }
      std::lock_guard<std::mutex> lock(mutex);
      ms.insert(ms.end(), mine.begin(), mine.end());
    });
  for (auto& t : threads) t.join();
  const double cpu_used = pid.empty() ? -1 : cpu_seconds(pid) - cpu_before;

  // Still open: an idle connection the server closed reads end-of-file at once.
  int open = 0;
  for (const int fd : held) {
    char byte;
    const ssize_t n = recv(fd, &byte, 1, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) ++open;
    close(fd);
  }
  std::cout.setf(std::ios::fixed);
  std::cout.precision(1);
  std::cout << "clients " << clients << ", idle connections " << held.size() << " (refused " << refused
            << ", still open after the run " << open << "), " << seconds << " s\n";
  std::cout << "searches " << answered << " answered, " << errors << " errors; "
            << static_cast<double>(answered) / seconds << " per second\n";
  std::cout.precision(2);
  std::cout << "latency ms: p50 " << percentile(ms, 0.5) << ", p95 " << percentile(ms, 0.95) << ", p99 "
            << percentile(ms, 0.99) << ", max " << (ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end())) << '\n';
  if (!pid.empty())
    std::cout << "server memory: " << rss_idle / 1024 << " MiB with the idle connections, peak (VmHWM) "
              << status_kib(pid, "VmHWM") / 1024 << " MiB\n"
              << "server processor time: " << cpu_used << " s, "
              << (answered > 0 ? 1000 * cpu_used / static_cast<double>(answered) : 0) << " ms per search\n";
  return errors == 0 ? 0 : 1;
}
