// delay_proxy: a network's latency on loopback, for remote shards measured as they are met on a network
// (bench/shards.sh --latency-us). Accepts connections on 127.0.0.1:LISTEN_PORT and forwards each to
// 127.0.0.1:TARGET_PORT, in both directions, every chunk read passed on DELAY_US microseconds after it
// arrived: a delay line, not a queue (chunks in flight do not wait for each other), so a round trip takes
// about twice DELAY_US more than on loopback. The kernel's netem does this, where it is available (not in
// this machine's kernel). Runs until killed.
//
//   delay_proxy LISTEN_PORT TARGET_PORT DELAY_US
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

namespace {

using Clock = std::chrono::steady_clock;

// One direction of one connection: what was read, with when, until it is written.
struct Line {
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<std::pair<Clock::time_point, std::string>> chunks;
  bool closed = false;
};

// The two sockets of a connection, closed when both directions have ended.
struct Sockets {
  int client, server;
  Sockets(int c, int s) : client(c), server(s) {}
  Sockets(const Sockets&) = delete;
  Sockets& operator=(const Sockets&) = delete;
  ~Sockets() {
    close(client);
    close(server);
  }
};

void forward(const std::shared_ptr<Sockets>& sockets, int from, int to, std::chrono::microseconds delay) {
  auto line = std::make_shared<Line>();
  std::thread([line, sockets, from] {
    char buffer[65536];
    for (;;) {
      const ssize_t n = read(from, buffer, sizeof buffer);
      std::lock_guard<std::mutex> lock(line->mutex);
      if (n <= 0) {
        line->closed = true;
        line->ready.notify_one();
        return;
      }
      line->chunks.emplace_back(Clock::now(), std::string(buffer, static_cast<std::size_t>(n)));
      line->ready.notify_one();
    }
  }).detach();
  std::thread([line, sockets, from, to, delay] {
    for (;;) {
      std::unique_lock<std::mutex> lock(line->mutex);
      line->ready.wait(lock, [&] { return line->closed || !line->chunks.empty(); });
      if (line->chunks.empty()) {
        shutdown(to, SHUT_WR);
        return;
      }
      auto [arrived, data] = std::move(line->chunks.front());
      line->chunks.pop_front();
      lock.unlock();
      std::this_thread::sleep_until(arrived + delay);
      for (std::size_t done = 0; done < data.size();) {
        const ssize_t n = send(to, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n <= 0) {  // the other side is gone: end both directions (the reader sees its end too)
          shutdown(from, SHUT_RDWR);
          shutdown(to, SHUT_RDWR);
          return;
        }
        done += static_cast<std::size_t>(n);
      }
    }
  }).detach();
}

sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: delay_proxy LISTEN_PORT TARGET_PORT DELAY_US\n";
    return 2;
  }
  const int listen_port = std::atoi(argv[1]), target_port = std::atoi(argv[2]);
  const std::chrono::microseconds delay(std::atol(argv[3]));
  std::signal(SIGPIPE, SIG_IGN);
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const sockaddr_in at = loopback(listen_port);
  if (listener < 0 || bind(listener, reinterpret_cast<const sockaddr*>(&at), sizeof at) != 0 ||
      listen(listener, 128) != 0) {
    std::cerr << "delay_proxy: cannot listen on 127.0.0.1:" << listen_port << '\n';
    return 1;
  }
  const sockaddr_in target = loopback(target_port);
  for (;;) {
    const int client = accept(listener, nullptr, nullptr);
    if (client < 0) continue;
    const int server = socket(AF_INET, SOCK_STREAM, 0);
    if (server < 0 || connect(server, reinterpret_cast<const sockaddr*>(&target), sizeof target) != 0) {
      close(client);
      if (server >= 0) close(server);
      continue;
    }
    for (const int fd : {client, server}) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const auto sockets = std::make_shared<Sockets>(client, server);
    forward(sockets, client, server, delay);
    forward(sockets, server, client, delay);
  }
}
