// Work in child processes: results and errors come back, and a stop kills the children at once.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "base/apart.h"
#include "test_support.h"

namespace fundstelle::base {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

TEST_CASE("tasks run apart: their files stay, their errors come back, their memory does not", "[base][apart]") {
  test::TempDir dir;
  int touched_here = 0;
  const std::vector<std::function<void()>> tasks = {
      [&] {
        test::write_text(dir / "a", "written by a child");
        ++touched_here;  // in the child's memory only
      },
      [] { throw std::runtime_error("disk full, say"); },
      [] { ::raise(SIGKILL); },
      [] { ::_exit(3); },
      [] {  // Ctrl-C, or a SIGTERM to the process group, leaves the child to its parent's decision
        ::raise(SIGINT);
        ::raise(SIGTERM);
      },
  };
  const auto results = run_apart(tasks, Apart{});
  REQUIRE(results);
  REQUIRE(results->size() == 5);
  CHECK((*results)[0].empty());
  CHECK(test::read_text(dir / "a") == "written by a child");
  CHECK(touched_here == 0);
  CHECK((*results)[1] == "disk full, say");
  CHECK_THAT((*results)[2], Catch::Contains("killed by signal"));
  CHECK((*results)[3] == "its process ended with exit code 3");
  CHECK((*results)[4].empty());
}

TEST_CASE("tasks run apart say how they ended also when the kernel reaps them (SIGCHLD ignored)", "[base][apart]") {
  struct sigaction ignore {
  }, before{};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  REQUIRE(::sigaction(SIGCHLD, &ignore, &before) == 0);
  const auto results = run_apart({[] {}, [] { throw std::runtime_error("no space left"); }}, Apart{});
  ::sigaction(SIGCHLD, &before, nullptr);
  REQUIRE(results);
  CHECK((*results)[0].empty());
  CHECK((*results)[1] == "no space left");
}

TEST_CASE("a stop that throws kills the children before the error goes on", "[base][apart]") {
  test::TempDir dir;
  Apart apart;
  apart.stopping = []() -> bool { throw std::runtime_error("the caller's own error"); };
  CHECK_THROWS_WITH(run_apart({[&] {
                                std::this_thread::sleep_for(std::chrono::milliseconds(500));
                                test::write_text(dir / "ended", "");
                              }},
                              apart),
                    "the caller's own error");
  std::this_thread::sleep_for(std::chrono::seconds(1));
  CHECK_FALSE(std::filesystem::exists(dir / "ended"));
}

TEST_CASE("a stop kills the children within a tenth of a second or so", "[base][apart]") {
  test::TempDir dir;
  const auto started = std::chrono::steady_clock::now();
  std::atomic<bool> forked{false};
  Apart apart;
  apart.quietly = [&](const std::function<void()>& fork) {
    fork();
    forked = true;
  };
  apart.stopping = [&] { return seconds_since(started) > 0.3; };
  const auto results = run_apart({[&] {
                                    std::this_thread::sleep_for(std::chrono::milliseconds(200));
                                    test::write_text(dir / "begun", "");
                                    std::this_thread::sleep_for(std::chrono::seconds(30));
                                    test::write_text(dir / "ended", "");
                                  },
                                  [] { std::this_thread::sleep_for(std::chrono::seconds(30)); }},
                                 apart);
  const double took = seconds_since(started);
  CHECK_FALSE(results);
  CHECK(forked);
  INFO("returned after " << took << " s");
  CHECK(took < 5.0);  // (30 s if the children were waited for; 0.3-0.4 s here, more on a loaded machine)
  CHECK(std::filesystem::exists(dir / "begun"));
  CHECK_FALSE(std::filesystem::exists(dir / "ended"));
}

}  // namespace
}  // namespace fundstelle::base
