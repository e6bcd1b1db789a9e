#include "base/apart.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <thread>

namespace fundstelle::base {
namespace {

constexpr std::size_t kMaxMessage = 4096;  // below a pipe's buffer: a child never waits for its reader
constexpr auto kPoll = std::chrono::milliseconds(100);

struct Child {
  pid_t pid = -1;
  int from = -1;  // the read end of the pipe the child writes its error message into
  bool ended = false;
  int status = 0;
  std::string message;  // a task run here, or the child's message once read
};

std::string what_failed(const std::function<void()>& task) {
  try {
    task();
    return {};
  } catch (const std::exception& e) {
    const std::string what = e.what();
    return what.empty() ? "an error without a message" : what;
  } catch (...) {
    return "an error of unknown kind";
  }
}

// In the child: the task, its message into `to`, and the end, without anything of the parent's at exit.
// Signals are blocked (by the parent, around the fork) until the child has its own dispositions.
[[noreturn]] void child_runs(const std::function<void()>& task, int to, pid_t parent, const sigset_t& mask) {
  // Dies with the thread that forked it (a parent killed must not leave a merge writing on), also when that
  // happened before the call.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(126);
  // Ctrl-C in a terminal, or a SIGTERM to the process group (a service stopped), reaches the children too: the
  // parent decides (its `stopping` kills them), as they must not die on their own and take the work with them.
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGTERM, SIG_IGN);
  ::pthread_sigmask(SIG_SETMASK, &mask, nullptr);
  // What it says: '0' when the task succeeded, else '1' and the message (the parent cannot always learn the
  // exit status: a process that ignores SIGCHLD has its children reaped by the kernel).
  std::string message = what_failed(task);
  message.insert(0, message.empty() ? "0" : "1");
  if (message.size() > kMaxMessage) message.resize(kMaxMessage);
  const char* p = message.data();
  std::size_t left = message.size();
  while (left > 0) {
    const ssize_t n = ::write(to, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  ::_exit(message == "0" ? 0 : 1);
}

std::string read_all(int fd) {
  std::string out;
  char buffer[1024];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

// A child that has ended: what it said (the pipe is at its end), else how its process ended.
std::string how_it_ended(const Child& c) {
  const std::string said = read_all(c.from);
  if (said == "0") return {};
  if (said.size() > 1 && said[0] == '1') return said.substr(1);
  if (c.status < 0) return "its process ended without saying how";
  if (WIFSIGNALED(c.status)) return std::string("its process was killed by signal ") + ::strsignal(WTERMSIG(c.status));
  return "its process ended with exit code " + std::to_string(WEXITSTATUS(c.status));
}

void kill_all(std::vector<Child>& children) {
  for (auto& c : children)
    if (!c.ended && c.pid > 0) ::kill(c.pid, SIGKILL);
  for (auto& c : children)
    if (!c.ended && c.pid > 0) {
      while (::waitpid(c.pid, &c.status, 0) < 0 && errno == EINTR) {
      }
      c.ended = true;
    }
}

}  // namespace

std::optional<std::vector<std::string>> run_apart(const std::vector<std::function<void()>>& tasks, const Apart& apart) {
  std::vector<Child> children(tasks.size());
  const pid_t parent = ::getpid();
  const auto fork_all = [&] {
    // No signal handler of this process runs in a child before it has set its own.
    sigset_t all, before;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &before);
    for (std::size_t k = 0; k < tasks.size(); ++k) {
      int pipe_fds[2];
      if (::pipe2(pipe_fds, O_CLOEXEC) != 0) continue;  // run here (below)
      const pid_t pid = ::fork();
      if (pid == 0) {
        ::close(pipe_fds[0]);
        child_runs(tasks[k], pipe_fds[1], parent, before);
      }
      ::close(pipe_fds[1]);
      if (pid < 0) {
        ::close(pipe_fds[0]);
        continue;
      }
      children[k].pid = pid;
      children[k].from = pipe_fds[0];
    }
    ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
  };
  try {
    if (apart.quietly) apart.quietly(fork_all);
    else fork_all();
  } catch (...) {  // (`quietly` failed: its lock, say) no child outlives the call
    kill_all(children);
    for (auto& c : children)
      if (c.pid >= 0) ::close(c.from);
    throw;
  }
  // What could not be forked runs here.
  for (std::size_t k = 0; k < tasks.size(); ++k)
    if (children[k].pid < 0) {
      children[k].message = what_failed(tasks[k]);
      children[k].ended = true;
    }
  bool stopped = false;
  for (;;) {
    bool all = true;
    for (auto& c : children) {
      if (c.ended) continue;
      const pid_t r = ::waitpid(c.pid, &c.status, WNOHANG);
      if (r == c.pid || (r < 0 && errno != EINTR)) {
        c.ended = true;
        if (r < 0) c.status = -1;  // (reaped by the kernel: SIGCHLD ignored) its pipe says how it ended
      } else {
        all = false;
      }
    }
    if (all) break;
    bool stop = false;
    try {
      stop = apart.stopping && apart.stopping();
    } catch (...) {  // no child outlives the call
      kill_all(children);
      for (auto& c : children)
        if (c.pid >= 0) ::close(c.from);
      throw;
    }
    if (stop) {
      stopped = true;
      kill_all(children);
      break;
    }
    std::this_thread::sleep_for(kPoll);
  }
  std::vector<std::string> out;
  for (auto& c : children) {
    if (c.pid >= 0) {
      if (!stopped) c.message = how_it_ended(c);
      ::close(c.from);
    }
    out.push_back(std::move(c.message));
  }
  if (stopped) return std::nullopt;
  return out;
}

}  // namespace fundstelle::base
