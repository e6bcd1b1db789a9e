#include "watch.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include "fundstelle/error.h"

namespace fundstelle::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

bool indexable(const std::string& name) {
  const auto ext = fs::path(name).extension().string();
  return ext == ".txt" || ext == ".jsonl";
}

class Inotify {
 public:
  Inotify() : fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
    if (fd_ < 0) throw Error(std::string("cannot watch files (inotify): ") + std::strerror(errno));
  }
  ~Inotify() { ::close(fd_); }
  Inotify(const Inotify&) = delete;
  Inotify& operator=(const Inotify&) = delete;
  int fd() const { return fd_; }

  // Watches a folder and every folder below it (without following links to folders, as indexing does).
  void add_tree(const fs::path& root) {
    add(root);
    std::error_code ec;
    for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec))
      if (it->is_directory(ec) && !it->is_symlink(ec)) add(it->path());
  }
  // Watches one folder only.
  void add(const fs::path& folder) {
    const int wd = ::inotify_add_watch(fd_, folder.c_str(),
                                       IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE |
                                           IN_ONLYDIR | IN_DONT_FOLLOW);
    if (wd < 0) {
      const int err = errno;
      throw Error("cannot watch " + folder.string() + ": " + std::strerror(err) +
                  (err == ENOSPC ? " (raise fs.inotify.max_user_watches)" : ""));
    }
    folders_[wd] = folder.string();
  }
  const std::string* folder(int wd) const {
    const auto it = folders_.find(wd);
    return it == folders_.end() ? nullptr : &it->second;
  }
  void forget(int wd) { folders_.erase(wd); }

 private:
  int fd_;
  std::map<int, std::string> folders_;
};

}  // namespace

void watch(Indexer& indexer, const std::vector<std::string>& paths, const WatchOptions& options,
           const std::function<bool()>& stop, const std::function<void(const IndexReport&)>& report, int wake_fd) {
  Inotify inotify;
  // Files named directly are watched through their folder, and only they count there.
  std::set<std::string> single_files;
  std::set<std::string> trees;
  for (const auto& p : paths) {
    const fs::path abs = fs::absolute(p).lexically_normal();
    std::error_code ec;
    if (fs::is_directory(abs, ec)) {
      inotify.add_tree(abs);
      trees.insert(abs.string());
    } else {
      single_files.insert(abs.string());
      inotify.add(abs.parent_path());  // only this file's events there count (see wanted)
    }
  }
  const auto wanted = [&](const std::string& path) {
    if (single_files.count(path)) return true;
    for (const auto& t : trees)
      if (path.size() > t.size() && path.compare(0, t.size(), t) == 0 && path[t.size()] == '/') return true;
    return false;
  };

  std::set<std::string> changed, gone;
  Clock::time_point first_change{}, last_change{};
  alignas(inotify_event) char buf[64 * 1024];
  while (!stop()) {
    const bool pending = !changed.empty() || !gone.empty();
    int timeout_ms = -1;
    if (pending) {
      const auto now = Clock::now();
      const auto due = std::min(last_change + std::chrono::duration<double>(options.quiet_seconds),
                                first_change + std::chrono::duration<double>(options.max_wait_seconds));
      timeout_ms = due <= now ? 0 : static_cast<int>(std::chrono::duration<double, std::milli>(due - now).count()) + 1;
    }
    pollfd fds[2] = {{inotify.fd(), POLLIN, 0}, {wake_fd, POLLIN, 0}};
    const int ready = ::poll(fds, wake_fd >= 0 ? 2 : 1, timeout_ms);
    if (ready < 0 && errno != EINTR) throw Error(std::string("waiting for file changes failed: ") + std::strerror(errno));
    if (ready > 0 && (fds[0].revents & POLLIN)) {
      for (;;) {
        const ssize_t n = ::read(inotify.fd(), buf, sizeof buf);
        if (n <= 0) break;
        for (ssize_t at = 0; at < n;) {
          const auto* ev = reinterpret_cast<const inotify_event*>(buf + at);
          at += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
          if (ev->mask & IN_Q_OVERFLOW) {  // events were lost: look at everything again
            changed.insert(paths.begin(), paths.end());
            first_change = last_change = Clock::now();
            continue;
          }
          if (ev->mask & IN_IGNORED) {
            inotify.forget(ev->wd);
            continue;
          }
          const std::string* folder = inotify.folder(ev->wd);
          if (!folder || ev->len == 0) continue;
          const std::string path = *folder + "/" + ev->name;
          if (!wanted(path)) continue;
          const bool is_dir = ev->mask & IN_ISDIR;
          const bool was_idle = changed.empty() && gone.empty();
          if (is_dir && (ev->mask & (IN_CREATE | IN_MOVED_TO))) {
            inotify.add_tree(path);  // and what was put in it before the watch began:
            changed.insert(path);
          } else if (!is_dir && (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) && indexable(ev->name)) {
            changed.insert(path);
            gone.erase(path);
          } else if ((ev->mask & (IN_DELETE | IN_MOVED_FROM)) && (is_dir || indexable(ev->name))) {
            changed.erase(path);
            if (options.prune) gone.insert(path);
          } else {
            continue;
          }
          last_change = Clock::now();
          if (was_idle) first_change = last_change;
        }
      }
    }
    if (changed.empty() && gone.empty()) continue;
    const auto now = Clock::now();
    if (now < last_change + std::chrono::duration<double>(options.quiet_seconds) &&
        now < first_change + std::chrono::duration<double>(options.max_wait_seconds) && !stop())
      continue;
    // One batch: what went away, and what changed, in one commit.
    std::size_t removed = 0;
    if (options.prune) {
      std::error_code ec;
      for (const auto& g : gone)
        if (!fs::exists(fs::symlink_status(g, ec))) removed += indexer.remove_sources(g);
    }
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& c : changed)
      if (fs::exists(c, ec)) files.push_back(c);
    IndexReport r;
    if (!files.empty()) {
      IndexOptions o;  // no stop: a batch is finished even when Ctrl-C comes meanwhile
      o.prune = options.prune;  // ids gone from a changed feed go too
      r = indexer.index_paths(files, o);
    } else {
      indexer.commit();
    }
    r.removed += removed;
    changed.clear();
    gone.clear();
    report(r);
  }
}

}  // namespace fundstelle::cli
