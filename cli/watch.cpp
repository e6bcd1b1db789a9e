#include "watch.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <optional>

#include "base/file_kinds.h"
#include "fundstelle/error.h"

namespace fundstelle::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The files the indexer reads (as in indexer/sources.cpp); others do not wake it.
bool indexable(const std::string& name) {
  const auto ext = fs::path(name).extension().string();
  return ext == ".txt" || ext == ".jsonl" || ext == ".ndjson" || base::is_html_name(name) || base::is_feed_name(name);
}

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

bool is_under(const std::string& path, const std::string& root) {
  return path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/';
}

}  // namespace

Watcher::Watcher(const std::vector<std::string>& paths, const WatchOptions& options,
                 std::function<void(const std::string&)> warn)
    : options_(options), warn_(std::move(warn)), fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
  if (fd_ < 0) throw Error(std::string("cannot watch files (inotify): ") + std::strerror(errno));
  for (const auto& p : paths) {
    if (base::is_http_url(p)) {
      paths_.push_back(p);
      if (std::none_of(feeds_.begin(), feeds_.end(), [&](const Feed& f) { return f.url == p; }))
        feeds_.push_back({p, Clock::now() + seconds(options_.poll_seconds), 0});
      continue;
    }
    const std::string abs = fs::absolute(p).lexically_normal().string();
    paths_.push_back(abs);
    std::error_code ec;
    if (fs::is_directory(abs, ec)) {
      trees_.insert(abs);
      add_tree(abs);
    } else {
      single_files_.insert(abs);
      add(fs::path(abs).parent_path().string());  // only this file's events there count (see wanted)
    }
  }
}

Watcher::~Watcher() { ::close(fd_); }

void Watcher::add(const std::string& folder) {
  const int wd = ::inotify_add_watch(fd_, folder.c_str(),
                                     IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ONLYDIR |
                                         IN_DONT_FOLLOW);
  if (wd < 0) {
    const int err = errno;
    if (err == ENOSPC) throw Error("cannot watch " + folder + ": too many folders (raise fs.inotify.max_user_watches)");
    warn_("cannot watch " + folder + ": " + std::strerror(err) + "; changes there are not seen");
    return;
  }
  folders_[wd] = folder;  // a folder watched again (renamed) keeps its descriptor under the new name
}

// A folder and every folder below it (without following links to folders, as indexing does).
void Watcher::add_tree(const std::string& root) {
  add(root);
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec))
    if (it->is_directory(ec) && !it->is_symlink(ec)) add(it->path().string());
}

bool Watcher::wanted(const std::string& path) const {
  if (single_files_.count(path)) return true;
  for (const auto& t : trees_)
    if (is_under(path, t)) return true;
  return false;
}

void Watcher::fetched(const IndexReport& report) {
  for (const auto& f : report.fetches) {
    const auto feed = std::find_if(feeds_.begin(), feeds_.end(), [&](const Feed& x) { return x.url == f.url; });
    if (feed == feeds_.end()) continue;
    double wait = options_.poll_seconds;
    if (f.outcome == FetchReport::Outcome::Failed) {
      ++feed->failures;
      const double cap = std::max(options_.poll_seconds, 86400.0);
      wait = std::min(cap, options_.poll_seconds * std::pow(2.0, std::min(feed->failures, 20u)));
      wait = std::max(wait, std::min(f.retry_after_seconds, 86400.0 * 7));
    } else {
      feed->failures = 0;
    }
    feed->due = Clock::now() + seconds(wait);
  }
}

void Watcher::run(Indexer& indexer, const std::function<bool()>& stop,
                  const std::function<void(const IndexReport&)>& report, int wake_fd) {
  std::set<std::string> changed;  // files and folders to read again, or (with prune) gone
  Clock::time_point first_change{}, last_change{};
  const auto note = [&](const std::string& path) {
    if (changed.empty()) first_change = Clock::now();
    last_change = Clock::now();
    changed.insert(path);
  };
  alignas(inotify_event) char buf[64 * 1024];
  // `interruptible`: a run of feed URLs stops at Ctrl-C (a long --fetch-pages run with its pauses; what it
  // fetched is committed, and the feeds are read whole again next time, as no ETag is remembered).
  const auto index = [&](std::vector<std::string> only, bool interruptible) {
    IndexOptions o;
    if (interruptible) o.stop = stop;
    o.prune = options_.prune;
    o.follow_links = options_.follow_links;
    o.batch_articles = options_.batch_articles;
    o.memory_mb = options_.memory_mb;
    o.fetch = options_.fetch;
    o.only = std::move(only);
    const IndexReport r = indexer.index_paths(paths_, o);
    fetched(r);
    report(r);
  };
  while (!stop()) {
    std::optional<Clock::time_point> due;
    if (!changed.empty())
      due = std::min(last_change + seconds(options_.quiet_seconds), first_change + seconds(options_.max_wait_seconds));
    for (const auto& f : feeds_) due = due ? std::min(*due, f.due) : f.due;
    int timeout_ms = -1;
    if (due) {
      const auto now = Clock::now();
      const double ms = std::chrono::duration<double, std::milli>(*due - now).count();
      timeout_ms = *due <= now ? 0 : static_cast<int>(std::min(ms, 3600e3)) + 1;
    }
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    const int ready = ::poll(fds, wake_fd >= 0 ? 2 : 1, timeout_ms);
    if (ready < 0 && errno != EINTR)
      throw Error(std::string("waiting for file changes failed: ") + std::strerror(errno));
    if (ready > 0 && (fds[0].revents & POLLIN)) {
      for (ssize_t n; (n = ::read(fd_, buf, sizeof buf)) > 0;) {
        for (ssize_t at = 0; at < n;) {
          const auto* ev = reinterpret_cast<const inotify_event*>(buf + at);
          at += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
          if (ev->mask & IN_Q_OVERFLOW) {  // events were lost: look at everything again
            for (const auto& p : paths_) note(p);
            continue;
          }
          if (ev->mask & IN_IGNORED) {
            folders_.erase(ev->wd);
            continue;
          }
          const auto folder = folders_.find(ev->wd);
          if (folder == folders_.end() || ev->len == 0) continue;
          const std::string path = folder->second + "/" + ev->name;
          if (!wanted(path)) continue;
          const bool is_dir = ev->mask & IN_ISDIR;
          if (is_dir && (ev->mask & (IN_CREATE | IN_MOVED_TO))) {
            add_tree(path);
            note(path);  // and what was put in it before the watch began
          } else if (!is_dir && (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) && indexable(ev->name)) {
            note(path);
          } else if ((ev->mask & (IN_DELETE | IN_MOVED_FROM)) && (is_dir || indexable(ev->name)) && options_.prune) {
            note(path);  // gone: with only + prune, its articles are removed
          }
        }
      }
    }
    // Feed URLs that are due, in one run of their own (files changed meanwhile wait for theirs).
    std::vector<std::string> due_feeds;
    for (const auto& f : feeds_)
      if (f.due <= Clock::now()) due_feeds.push_back(f.url);
    if (!due_feeds.empty() && !stop()) index(std::move(due_feeds), true);
    if (changed.empty()) continue;
    const auto now = Clock::now();
    if (now < last_change + std::chrono::duration<double>(options_.quiet_seconds) &&
        now < first_change + std::chrono::duration<double>(options_.max_wait_seconds) && !stop())
      continue;
    // One batch: the changed and the gone, read as part of the watched paths, in one run (no stop: a batch
    // is finished even when Ctrl-C comes meanwhile).
    std::vector<std::string> files(changed.begin(), changed.end());
    changed.clear();
    index(std::move(files), false);
  }
}

}  // namespace fundstelle::cli
