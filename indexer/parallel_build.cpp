#include "indexer/parallel_build.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>

#include "fundstelle/error.h"
#include "index/compact.h"
#include "index/layout.h"
#include "index/origin.h"
#include "index/schema.h"
#include "indexer/batching.h"

namespace fundstelle::indexer {
namespace {

// At most this much article text waits in one shard's queue.
constexpr std::size_t kQueueBytes = 4u << 20;

// A shard of a build beside the index commits at least this often: Ctrl-C keeps what it committed and drops
// the rest (see finish), so this bounds the work a stop loses. Committing often costs a first import little,
// as its shards are compacted whole at the end anyway (the 19 MB collection: commits every 250 articles
// instead of 2,000 took the same time within the noise).
constexpr auto kCommitEvery = std::chrono::seconds(1);

}  // namespace

std::optional<unsigned> ParallelBuild::left_over(const std::string& folder) {
  // The build's own file, written before any shard: a folder without it (a run killed at its very start, or
  // anything else) is never taken up.
  const auto shards = index::first_import_marker(folder);
  if (!shards) return std::nullopt;
  for (unsigned k = 0; k < *shards; ++k) {
    try {
      if (!schema::index_origin(Xapian::Database(index::shard_folder(folder, k))).ours()) return std::nullopt;
    } catch (const Xapian::Error&) {
      return std::nullopt;  // not there (killed before its writer made it) or not readable: built anew
    }
  }
  return shards;
}

void ParallelBuild::clear(const std::string& folder) {
  std::error_code ec;
  std::filesystem::remove_all(folder, ec);
}

ParallelBuild::ParallelBuild(std::string folder, unsigned shards, bool exact_shards, WriterFactory make,
                             const IndexOptions& options, WrittenCounts* counts)
    : folder_(std::move(folder)), index_(std::filesystem::path(folder_).parent_path().string()), make_(std::move(make)),
      batch_articles_(std::max<std::size_t>(1, options.batch_articles)), batch_bytes_(1), counts_(counts) {
  namespace fs = std::filesystem;
  unsigned count = std::max(1u, shards);
  const auto earlier = left_over(folder_);
  std::error_code ec;
  if (earlier && (!exact_shards || *earlier == count)) {
    // Taken up: its shards stay, anything else goes (a merge that a killed run had begun).
    count = *earlier;
    resumed_ = true;
    std::vector<fs::path> other;
    for (const auto& entry : fs::directory_iterator(folder_, ec)) {
      bool ours = entry.path().filename() == index::kFirstImportMarker;
      for (unsigned k = 0; k < count && !ours; ++k) ours = entry.path() == index::shard_folder(folder_, k);
      if (!ours) other.push_back(entry.path());
    }
    for (const auto& path : other) fs::remove_all(path, ec);
  } else {
    fs::remove_all(folder_, ec);
    fs::create_directories(folder_, ec);
    if (ec) throw IndexError("cannot create the folder " + folder_ + " for the parallel build: " + ec.message());
    if (!index::write_first_import_marker(folder_, count))
      throw IndexError("cannot write in the folder " + folder_ + " for the parallel build");
  }
  batch_bytes_ = std::max<std::size_t>(1, batch_text_bytes(options, count));  // by the shards there are
  for (unsigned i = 0; i < count; ++i) {
    auto shard = std::make_unique<Shard>();
    shard->path = index::shard_folder(folder_, i);
    shards_.push_back(std::move(shard));
  }
  start();
}

ParallelBuild::ParallelBuild(std::vector<Writer*> writers, const std::string& index, std::size_t batch_articles,
                             std::size_t batch_bytes, WrittenCounts* counts)
    : index_(index), batch_articles_(std::max<std::size_t>(1, batch_articles)),
      batch_bytes_(std::max<std::size_t>(1, batch_bytes)), counts_(counts) {
  for (unsigned i = 0; i < writers.size(); ++i) {
    auto shard = std::make_unique<Shard>();
    shard->path = index::shard_folder(index, i);
    shard->writer = writers[i];
    shards_.push_back(std::move(shard));
  }
  start();
}

void ParallelBuild::start() {
  // Called from a constructor: when a thread cannot be started, no destructor runs, so the threads already
  // started are stopped here (a joinable std::thread destroyed would terminate the program).
  try {
    for (auto& shard : shards_) shard->thread = std::thread([this, s = shard.get()] { work(*s); });
  } catch (...) {
    stop();
    throw;
  }
}

ParallelBuild::~ParallelBuild() {
  if (!finished_) {
    // Given up (an error, say): what still waits is not written, and a build beside the index, removed
    // below, need not commit its shards' open batches first.
    if (beside()) dropping_ = true;
    drop_queued();
  }
  stop();
  if (beside() && !kept_) clear(folder_);
}

void ParallelBuild::work(Shard& shard) {
  try {
    std::unique_ptr<Writer> own;
    if (!shard.writer) own = make_(shard.path);
    write_queue(shard, shard.writer ? *shard.writer : *own);
  } catch (...) {
    std::exception_ptr error = std::current_exception();
    try {
      throw;
    } catch (const IndexError& e) {
      // The message names the shard's folder; the user knows the index (the folder above this build's).
      error = std::make_exception_ptr(IndexError(
          shard.writer ? "indexing into " + index_ + " failed in " + shard.path +
                             " (each shard keeps what it committed; run the same command again to finish): " + e.what()
                       : "the first import into " + index_ +
                             " failed, and the index stays as it was before it (empty): " + e.what(),
          e.kind()));
    } catch (...) {
    }
    std::lock_guard lock(shard.mutex);
    shard.error = error;
    clear_queue(shard);
    shard.closed = true;
    shard.changed.notify_all();
  }
}

// Writes what comes through the shard's queue until it is closed and empty, committing batch by batch.
void ParallelBuild::write_queue(Shard& shard, Writer& writer) {
  std::size_t articles = 0, bytes = 0;            // changed since this shard's last commit
  IndexReport open;                               // the counts of the same
  auto since = std::chrono::steady_clock::now();  // the last commit
  const auto commit = [&] {
    writer.commit();
    add_counts(shard.report, open);
    open = IndexReport{};
    articles = bytes = 0;
    since = std::chrono::steady_clock::now();
  };
  for (;;) {
    Article article;
    {
      std::unique_lock lock(shard.mutex);
      shard.changed.wait(lock, [&] { return !shard.queue.empty() || shard.closed; });
      if (shard.queue.empty()) break;  // closed, and everything written
      article = std::move(shard.queue.front());
      shard.queue.pop_front();
      shard.queued_bytes -= text_bytes(article);
      if (counts_) counts_->queued -= text_bytes(article);
    }
    shard.changed.notify_all();  // room in the queue
    if (dropping_) break;
    std::size_t written = 0;
    const ChangeKind change = writer.put(article, &written);
    if (dropping_) break;
    if (!tally(open, change, written, article.comments.size())) continue;
    if (counts_) {
      ++counts_->articles;
      counts_->passages += written;
    }
    bytes += text_bytes(article);
    if (++articles >= batch_articles_ || bytes >= batch_bytes_ ||
        (beside() && std::chrono::steady_clock::now() - since >= kCommitEvery))
      commit();
  }
  // Stopped: the open batch is left to the writer's destructor, which discards it (its articles were counted
  // as written in the progress; the next run writes them).
  if (!dropping_) commit();
}

void ParallelBuild::rethrow_first_error() {
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mutex);
    if (shard->error) std::rethrow_exception(shard->error);
  }
}

void ParallelBuild::put(Article article) {
  Shard& shard = *shards_[schema::shard_of_key(schema::article_key(article.id), static_cast<unsigned>(shards_.size()))];
  const std::size_t bytes = text_bytes(article);
  {
    std::unique_lock lock(shard.mutex);
    // One article larger than the bound still goes through, alone.
    shard.changed.wait(
        lock, [&] { return shard.closed || shard.queue.empty() || shard.queued_bytes + bytes <= kQueueBytes; });
    if (!shard.closed) {
      shard.queue.push_back(std::move(article));
      shard.queued_bytes += bytes;
      if (counts_) counts_->queued += bytes;
    }
  }
  shard.changed.notify_all();
  rethrow_first_error();
}

bool ParallelBuild::wait_taken(const std::function<bool()>& stopping) {
  for (auto& shard : shards_) {
    std::unique_lock lock(shard->mutex);
    while (!shard->queue.empty() && !shard->closed) {
      if (shard->changed.wait_for(lock, std::chrono::milliseconds(100),
                                  [&] { return shard->queue.empty() || shard->closed; }))
        break;
      lock.unlock();
      if (stopping && stopping()) return true;
      lock.lock();
    }
  }
  return false;
}

void ParallelBuild::stop() noexcept {
  for (auto& shard : shards_) {
    {
      std::lock_guard lock(shard->mutex);
      shard->closed = true;
    }
    shard->changed.notify_all();
  }
  for (auto& shard : shards_)
    if (shard->thread.joinable()) shard->thread.join();
}

void ParallelBuild::drop_queued() noexcept {
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mutex);
    clear_queue(*shard);
  }
}

void ParallelBuild::clear_queue(Shard& shard) noexcept {
  if (counts_) counts_->queued -= shard.queued_bytes;
  shard.queue.clear();
  shard.queued_bytes = 0;
}

IndexReport ParallelBuild::finish(bool stopped) {
  if (stopped) {
    // A build beside the index is kept for the next run as its shards last committed it: committing their
    // open batches now (seconds late in a large import) and merging (longer still) would keep Ctrl-C waiting.
    if (beside()) dropping_ = true;
    drop_queued();
  }
  stop();  // the queues are drained before a thread ends
  rethrow_first_error();
  finished_ = true;
  kept_ = dropping_;
  IndexReport total;
  for (const auto& shard : shards_) add_counts(total, shard->report);
  return total;
}

void ParallelBuild::keep() {
  if (finished_ && beside()) kept_ = true;
}

std::size_t ParallelBuild::kept_articles() const {
  if (!kept_) return 0;
  std::size_t n = 0;
  for (const auto& shard : shards_) try {
      n += schema::article_count(Xapian::Database(shard->path));
    } catch (const Xapian::Error&) {
    }
  return n;
}

bool ParallelBuild::merge(const std::string& destination, const base::Apart& apart) const {
  std::vector<unsigned> all(shards_.size());
  for (unsigned k = 0; k < all.size(); ++k) all[k] = k;
  return merge_apart({{all, destination}}, apart);
}

bool ParallelBuild::merge_each(const std::vector<std::string>& destinations, const base::Apart& apart) const {
  if (destinations.size() != shards_.size())
    throw IndexError("internal error: " + std::to_string(destinations.size()) + " destinations for " +
                     std::to_string(shards_.size()) + " shards");
  std::vector<std::pair<std::vector<unsigned>, std::string>> jobs;
  for (unsigned k = 0; k < destinations.size(); ++k) jobs.push_back({{k}, destinations[k]});
  return merge_apart(jobs, apart);
}

bool ParallelBuild::merge_apart(const std::vector<std::pair<std::vector<unsigned>, std::string>>& jobs,
                                const base::Apart& apart) const {
  if (!finished_) throw IndexError("internal error: the parallel build was merged before it finished");
  std::vector<std::function<void()>> tasks;
  for (const auto& [shards, destination] : jobs)
    tasks.push_back([this, &shards = shards, &destination = destination] {
      try {
        Xapian::Database all;
        for (const unsigned k : shards) all.add_database(Xapian::Database(shards_[k]->path));
        index::merge_indexes(all, destination);
      } catch (const Xapian::Error& e) {
        throw std::runtime_error(e.get_description());
      }
    });
  const auto failed = base::run_apart(tasks, apart);
  std::error_code ec;
  if (!failed) {
    for (const auto& job : jobs) std::filesystem::remove_all(job.second, ec);
    return false;
  }
  for (std::size_t k = 0; k < jobs.size(); ++k)
    if (!(*failed)[k].empty())
      throw IndexError("merging the shards of the parallel build into " + jobs[k].second + " failed: " + (*failed)[k]);
  return true;
}

}  // namespace fundstelle::indexer
