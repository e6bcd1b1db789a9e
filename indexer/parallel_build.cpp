#include "indexer/parallel_build.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>

#include "fundstelle/error.h"
#include "index/compact.h"
#include "index/layout.h"
#include "index/schema.h"
#include "indexer/batching.h"

namespace fundstelle::indexer {
namespace {

// At most this much article text waits in one shard's queue.
constexpr std::size_t kQueueBytes = 4u << 20;

}  // namespace

ParallelBuild::ParallelBuild(std::string folder, unsigned shards, WriterFactory make, std::size_t batch_articles,
                             std::size_t batch_bytes, WrittenCounts* counts)
    : folder_(std::move(folder)), index_(std::filesystem::path(folder_).parent_path().string()), make_(std::move(make)),
      batch_articles_(std::max<std::size_t>(1, batch_articles)), batch_bytes_(std::max<std::size_t>(1, batch_bytes)),
      counts_(counts) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::remove_all(folder_, ec);  // the shards of an earlier run that was killed
  fs::create_directories(folder_, ec);
  if (ec) throw IndexError("cannot create the folder " + folder_ + " for the parallel build: " + ec.message());
  for (unsigned i = 0; i < std::max(1u, shards); ++i) {
    auto shard = std::make_unique<Shard>();
    shard->path = folder_ + "/shard-" + std::to_string(i);
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
  if (!finished_) drop_queued();  // given up (an error, say): what still waits is not written
  stop();
  std::error_code ec;
  if (!folder_.empty()) std::filesystem::remove_all(folder_, ec);
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
  std::size_t articles = 0, bytes = 0;  // changed since this shard's last commit
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
    std::size_t written = 0;
    const ChangeKind change = writer.put(article, &written);
    if (!tally(shard.report, change, written, article.comments.size())) continue;
    if (counts_) {
      ++counts_->articles;
      counts_->passages += written;
    }
    bytes += text_bytes(article);
    if (++articles >= batch_articles_ || bytes >= batch_bytes_) {
      writer.commit();
      articles = bytes = 0;
    }
  }
  writer.commit();
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

IndexReport ParallelBuild::finish(bool drop_queued_articles) {
  if (drop_queued_articles) drop_queued();
  stop();  // the queues are drained before a thread ends
  rethrow_first_error();
  finished_ = true;
  IndexReport total;
  for (const auto& shard : shards_) add_counts(total, shard->report);
  return total;
}

void ParallelBuild::merge(const std::string& destination, std::optional<unsigned> only) const {
  if (!finished_) throw IndexError("internal error: the parallel build was merged before it finished");
  try {
    Xapian::Database all;
    for (unsigned k = 0; k < shards_.size(); ++k)
      if (!only || *only == k) all.add_database(Xapian::Database(shards_[k]->path));
    index::merge_indexes(all, destination);
  } catch (const Xapian::Error& e) {
    throw IndexError("merging the shards of the parallel build into " + destination +
                     " failed: " + e.get_description());
  }
}

}  // namespace fundstelle::indexer
