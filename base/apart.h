// Work in child processes that can be stopped at any moment: a library call that cannot be interrupted (Xapian's
// compaction of a large index takes minutes inside one table) runs in a process of its own, which is killed
// when the caller must stop.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fundstelle::base {

struct Apart {
  // Asked every tenth of a second while the children run; true kills them.
  std::function<bool()> stopping;
  // Runs the forks (its argument) while this process's other threads allocate nothing: a child forked while
  // another thread holds a lock of the allocator would wait for it for ever (glibc's allocator guards against
  // that at fork, not every allocator does, nor the sanitizers'). Unset: the forks run as they are.
  std::function<void(const std::function<void()>&)> quietly;
};

// Runs each of `tasks` in a child process of its own (fork, no exec), all at once, and waits for them. The
// children share nothing with this process once forked: what a task does counts only on disk. A child ends with
// its task (never running this process's exit handlers or destructors), ignores SIGINT and SIGTERM (which a
// terminal or a service manager sends to the whole process group: this process decides), and dies with the
// thread that forked it. Returns, per task, an empty string when it succeeded, else what it threw
// (std::exception::what) or how its process ended; nothing when `apart.stopping` said so before all had ended
// (they are then killed and waited for). When no process can be forked, the task runs here instead (and
// cannot be stopped). The caller must not reap children it did not start (waitpid(-1)) meanwhile.
std::optional<std::vector<std::string>> run_apart(const std::vector<std::function<void()>>& tasks, const Apart& apart);

}  // namespace fundstelle::base
