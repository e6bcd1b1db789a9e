#include "indexer/parallel_build.h"

#include <fcntl.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "fundstelle/error.h"
#include "indexer/schema.h"
#include "indexer/shard_layout.h"

namespace fundstelle::indexer {
namespace {

// At most this much article text waits in one shard's queue.
constexpr std::size_t kQueueBytes = 4u << 20;

}  // namespace

unsigned ParallelBuild::shard_of(const std::string& article_id, unsigned shards) {
  return schema::shard_of_key(schema::article_key(article_id), shards);
}

ParallelBuild::ParallelBuild(std::string folder, unsigned shards, std::size_t batch_articles, std::size_t batch_bytes)
    : folder_(std::move(folder)), index_(std::filesystem::path(folder_).parent_path().string()), batch_articles_(std::max<std::size_t>(1, batch_articles)),
      batch_bytes_(std::max<std::size_t>(1, batch_bytes)) {
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

ParallelBuild::ParallelBuild(std::vector<Writer> writers, const std::string& index, std::size_t batch_articles,
                             std::size_t batch_bytes)
    : index_(index), batch_articles_(std::max<std::size_t>(1, batch_articles)),
      batch_bytes_(std::max<std::size_t>(1, batch_bytes)) {
  for (unsigned i = 0; i < writers.size(); ++i) {
    auto shard = std::make_unique<Shard>();
    shard->path = shard_folder(index, i);
    shard->writer = std::move(writers[i]);
    shards_.push_back(std::move(shard));
  }
  start();
}

void ParallelBuild::start() {
  for (auto& shard : shards_) shard->thread = std::thread([this, s = shard.get()] { work(*s); });
}

ParallelBuild::~ParallelBuild() {
  if (!finished_)  // given up (an error, say): what still waits is not written
    for (auto& shard : shards_) {
      std::lock_guard lock(shard->mutex);
      shard->queue.clear();
      shard->queued_bytes = 0;
    }
  stop();
  std::error_code ec;
  if (!folder_.empty()) std::filesystem::remove_all(folder_, ec);
}

void ParallelBuild::work(Shard& shard) {
  try {
    std::unique_ptr<Indexer> own;
    Writer writer = shard.writer;
    if (!writer.put) {
      own = std::make_unique<Indexer>(shard.path);
      writer.put = [&own](const Article& a, std::size_t* written) { return own->put(a, written); };
      writer.commit = [&own] { own->commit(); };
    }
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
      }
      shard.changed.notify_all();  // room in the queue
      std::size_t written = 0;
      const ChangeKind change = writer.put(article, &written);
      if (change == ChangeKind::Unchanged) {
        ++shard.report.unchanged;
        continue;
      }
      ++(change == ChangeKind::Added ? shard.report.added : shard.report.replaced);
      shard.report.passages += written;
      shard.report.comments += article.comments.size();
      bytes += text_bytes(article);
      if (++articles >= batch_articles_ || bytes >= batch_bytes_) {
        writer.commit();
        articles = bytes = 0;
      }
    }
    writer.commit();
  } catch (...) {
    std::exception_ptr error = std::current_exception();
    try {
      throw;
    } catch (const IndexError& e) {
      // The message names the shard's folder; the user knows the index (the folder above this build's).
      error = std::make_exception_ptr(IndexError(
          shard.writer.put ? "indexing into " + index_ + " failed in " + shard.path +
                             " (each shard keeps what it committed; run the same command again to finish): " + e.what()
                       : "the first import into " + index_ + " failed, and the index stays as it was before it (empty): " +
                             e.what()));
    } catch (...) {
    }
    std::lock_guard lock(shard.mutex);
    shard.error = error;
    shard.queue.clear();
    shard.queued_bytes = 0;
    shard.closed = true;
    shard.changed.notify_all();
  }
}

void ParallelBuild::rethrow_first_error() {
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mutex);
    if (shard->error) std::rethrow_exception(shard->error);
  }
}

void ParallelBuild::put(Article article) {
  Shard& shard = *shards_[shard_of(article.id, static_cast<unsigned>(shards_.size()))];
  const std::size_t bytes = text_bytes(article);
  {
    std::unique_lock lock(shard.mutex);
    // One article larger than the bound still goes through, alone.
    shard.changed.wait(lock, [&] { return shard.closed || shard.queue.empty() || shard.queued_bytes + bytes <= kQueueBytes; });
    if (!shard.closed) {
      shard.queue.push_back(std::move(article));
      shard.queued_bytes += bytes;
    }
  }
  shard.changed.notify_all();
  rethrow_first_error();
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

IndexReport ParallelBuild::finish() {
  stop();  // the queues are drained before a thread ends
  rethrow_first_error();
  finished_ = true;
  IndexReport total;
  for (const auto& shard : shards_) {
    total.added += shard->report.added;
    total.replaced += shard->report.replaced;
    total.unchanged += shard->report.unchanged;
    total.passages += shard->report.passages;
    total.comments += shard->report.comments;
  }
  return total;
}

void ParallelBuild::merge(const std::string& destination, std::optional<unsigned> only) const {
  if (!finished_) throw IndexError("internal error: the parallel build was merged before it finished");
  try {
    Xapian::Database all;
    for (unsigned k = 0; k < shards_.size(); ++k)
      if (!only || *only == k) all.add_database(Xapian::Database(shards_[k]->path));
    merge_indexes(all, destination);
  } catch (const Xapian::Error& e) {
    throw IndexError("merging the shards of the parallel build into " + destination + " failed: " + e.get_description());
  }
}

namespace {

// Metadata the indexes share (schema, analyzer) has one value; article records, keyed by article, are in
// exactly one index each; of the commit times the latest is kept, of shard numbers none (the result is one index).
class MergeMetadata : public Xapian::Compactor {
 public:
  std::string resolve_duplicate_metadata(const std::string& key, std::size_t num_tags, const std::string tags[]) override {
    if (key == schema::kMetaCommitted) return *std::max_element(tags, tags + num_tags);
    return tags[0];
  }
};

}  // namespace

void merge_indexes(Xapian::Database indexes, const std::string& destination) {
  MergeMetadata metadata;
  indexes.compact(destination, Xapian::Compactor::FULL, 0, metadata);
  if (!indexes.get_metadata(std::string(schema::kMetaShard)).empty()) {
    Xapian::WritableDatabase merged(destination, Xapian::DB_OPEN);
    merged.set_metadata(std::string(schema::kMetaShard), "");  // removes it
    merged.commit();
  }
}

void install_index(const std::string& built, const std::string& target) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto fail = [&](const std::string& what) {
    throw IndexError("cannot install the new index in " + target + ": " + what + ": " + ec.message());
  };
  // First the version file goes (readers then find no index rather than a mixture), then every table of the
  // old index, then the new tables, and the new version file last.
  fs::remove(fs::path(target) / "iamglass", ec);
  if (ec) fail("removing iamglass");
  for (const auto& e : fs::directory_iterator(target, ec))
    if (e.path().extension() == ".glass" && !fs::remove(e.path(), ec) && ec) fail("removing " + e.path().string());
  if (ec) fail("listing the folder");
  for (const auto& e : fs::directory_iterator(built, ec)) {
    if (e.path().extension() != ".glass") continue;
    fs::rename(e.path(), fs::path(target) / e.path().filename(), ec);
    if (ec) fail("moving " + e.path().filename().string());
  }
  if (ec) fail("listing " + built);
  fs::rename(fs::path(built) / "iamglass", fs::path(target) / "iamglass", ec);
  if (ec) fail("moving iamglass");
  // The renames last through a crash only once the folder itself is on disk.
  if (const int fd = ::open(target.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace fundstelle::indexer
