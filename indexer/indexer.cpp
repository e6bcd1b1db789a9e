// fundstelle::Indexer: the writer. One Xapian WritableDatabase, always inside a transaction, so that nothing
// reaches the disk except at commit() and an article is never committed in part.
#include "fundstelle/indexer.h"

#include <fcntl.h>
#include <malloc.h>
#include <sys/file.h>
#include <unistd.h>
#include <xapian.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <ctime>
#include <sstream>
#include <algorithm>
#include <fstream>
#include <unordered_map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <unordered_set>

#include "analyzers/german_analyzer.h"
#include "analyzers/utf8.h"
#include "fundstelle/error.h"
#include "indexer/document_builder.h"
#include "indexer/index_origin.h"
#include "indexer/jsonl_reader.h"
#include "indexer/parallel_build.h"
#include "indexer/passage_segmenter.h"
#include "indexer/schema.h"
#include "indexer/shard_layout.h"
#include "indexer/sources.h"
#include "indexer/txt_parser.h"
#include "indexer/valid_article.h"

namespace fundstelle {
namespace {

using nlohmann::json;

std::string content_hash(const Article& a) {
  // Everything that ends up in the index, plus the analyzer and schema that turn it into terms.
  std::uint64_t h = schema::fnv1a(analyzers::GermanAnalyzer::fingerprint());
  const auto mix = [&](std::string_view field) {
    h = schema::fnv1a(field, h);
    h = schema::fnv1a("\x1f", h);
  };
  mix(std::to_string(schema::kVersion));
  for (const std::string* f : {&a.id, &a.title, &a.url, &a.published, &a.author}) mix(*f);
  for (const auto& t : a.tags) mix(t);
  mix("\x1e");
  for (const auto& p : a.paragraphs) mix(p);
  mix("\x1e");
  for (const auto& c : a.comments) {
    mix(c.id), mix(c.author), mix(c.published), mix(c.text);
  }
  return schema::hex64(h);
}

bool under(const std::string& path, const std::string& root) {
  if (path == root) return true;
  return path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
         (root.back() == '/' || path[root.size()] == '/');
}

// The last line on which each id of a feed appears as a valid article (read as the feed itself is read, so
// that only lines that will be indexed count): 24 bytes an id, sorted by the id's hash.
class LastLines {
 public:
  explicit LastLines(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<Problem> ignored;  // the real read reports them
    indexer::read_jsonl(in, path, [&](Article&& a, std::uint64_t line) { lines_.emplace_back(schema::id_hash(a.id), line); },
                        ignored);
    // Lines grow: after a stable sort by hash, the last entry of each hash holds its last line.
    std::stable_sort(lines_.begin(), lines_.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<std::pair<schema::IdHash, std::uint64_t>> last;
    for (std::size_t i = 0; i < lines_.size(); ++i)
      if (i + 1 == lines_.size() || !(lines_[i + 1].first == lines_[i].first)) last.push_back(lines_[i]);
    lines_ = std::move(last);
    lines_.shrink_to_fit();
  }
  // The last line of `id`, or 0 if the feed has no valid line with it.
  std::uint64_t of(const std::string& id) const {
    const schema::IdHash h = schema::id_hash(id);
    const auto it = std::lower_bound(lines_.begin(), lines_.end(), h, [](const auto& e, const schema::IdHash& k) { return e.first < k; });
    return it != lines_.end() && it->first == h ? it->second : 0;
  }

 private:
  std::vector<std::pair<schema::IdHash, std::uint64_t>> lines_;
};

// The sources of `only` (files or folders at or under one of `roots`), with the ids they have when `roots`
// are indexed whole: relative to the root folder they lie in, or the file name of a root file. What no
// longer exists is left out silently (it is gone; --prune removes its articles).
std::vector<indexer::SourceFile> sources_within(const std::vector<std::string>& roots,
                                                const std::vector<std::string>& only, std::vector<Problem>& problems,
                                                std::vector<std::string>& unreadable_folders) {
  namespace fs = std::filesystem;
  std::vector<indexer::SourceFile> out;
  for (const auto& o : only) {
    const auto root = std::find_if(roots.begin(), roots.end(), [&](const auto& r) { return under(o, r); });
    if (root == roots.end()) {
      problems.push_back(Problem{o, 0, 0, false, true, "not under the paths being indexed"});
      continue;
    }
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(o, ec))) continue;
    for (auto& f : indexer::find_sources({o}, problems, &unreadable_folders)) {
      f.id = f.path == *root ? fs::path(f.path).filename().generic_string()
                             : fs::path(f.path).lexically_relative(*root).generic_string();
      out.push_back(std::move(f));
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  out.erase(std::unique(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path == b.path; }), out.end());
  return out;
}

// Counts one put() in the report; false when the article was unchanged.
bool tally(IndexReport& report, ChangeKind change, std::size_t passages, std::size_t comments) {
  switch (change) {
    case ChangeKind::Added: ++report.added; break;
    case ChangeKind::Replaced: ++report.replaced; break;
    case ChangeKind::Unchanged: ++report.unchanged; return false;
  }
  report.passages += passages;
  report.comments += comments;
  return true;
}

double seconds_since(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

// Bytes of writer memory (Xapian's buffered changes, the documents on their way) per byte of article text
// written since the last commit: six to seven were measured on the benchmark corpus; ten leaves room.
constexpr std::size_t kBufferBytesPerTextByte = 10;

// The article text a commit may wait for under IndexOptions::memory_mb, for `writers` writers at once.
std::size_t batch_text_bytes(const IndexOptions& options, unsigned writers) {
  const std::size_t budget = std::max<std::size_t>(16, options.memory_mb) << 20;
  return std::max<std::size_t>(1 << 20, budget / kBufferBytesPerTextByte / std::max(1u, writers));
}

// The warning for an earlier line of a feed whose id a later line repeats (the later line is indexed).
Problem repeated_id(const std::string& source, std::uint64_t line, const std::string& id, std::uint64_t later) {
  return Problem{source, line, 0, false, false,
                 "id \"" + id + "\" appears again on line " + std::to_string(later) + "; the later line wins"};
}


// The writer's own lock: flock(2) on `fundstelle.lock` in the index folder, holding the writer's PID, so that
// a second writer can say which process holds the index (Xapian's own lock, taken as well, cannot tell).
// The kernel drops the lock with the process, so a killed writer never leaves a stale lock behind.
class WriterLock {
 public:
  explicit WriterLock(const std::string& folder) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) throw IndexError("cannot create the index folder " + folder + ": " + ec.message());
    if (::access(folder.c_str(), W_OK) != 0) {
      const int err = errno;
      throw IndexError("cannot write to the index at " + folder + ": " + std::strerror(err) +
                       (err == EACCES || err == EROFS ? " (the folder is read-only for this user)" : ""));
    }
    const std::string file = folder + "/fundstelle.lock";
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    // Another user's lock file in a folder shared for writing: flock works on it read-only too.
    if (fd_ < 0 && errno == EACCES) fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      const int err = errno;
      throw IndexError("cannot lock the index at " + folder + ": " + std::strerror(err));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      char buf[32] = {};
      const ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
      ::close(fd_);
      if (err != EWOULDBLOCK) throw IndexError("cannot lock the index at " + folder + ": " + std::strerror(err));
      const long pid = n > 0 ? std::strtol(buf, nullptr, 10) : 0;
      throw IndexError("the index at " + folder + " is locked by " +
                       (pid > 0 ? "process " + std::to_string(pid) : std::string("another process")) +
                       " (another `fundstelle index` or a server accepting writes); try again when it is done");
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    // Best effort: the PID only improves the message a second writer gets.
    if (::ftruncate(fd_, 0) == 0) [[maybe_unused]] const ssize_t written = ::pwrite(fd_, pid.data(), pid.size(), 0);
  }
  ~WriterLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the flock
  }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace

struct Indexer::Impl {
  std::string path;
  std::unique_ptr<WriterLock> lock;
  // A sharded index (indexer/shard_layout.h): one Indexer per shard, in shard order, and `db` stays closed;
  // what follows routes each article to its shard. Empty: `db` is the index.
  std::vector<std::unique_ptr<Indexer>> shards;
  Xapian::WritableDatabase db;
  analyzers::GermanAnalyzer analyzer;
  indexer::PassageSegmenter segmenter;
  indexer::DocumentBuilder builder{analyzer};
  bool in_transaction = false;
  // A rebuild: the articles there were before it (`stale`) are removed at the end of the run unless written
  // again, not at its start, so that a rebuild cut short (killed, say) leaves every article in its old or its
  // new form, never gone. `rewritten` are those written again and committed, `pending` those written since
  // the last commit (forgotten if it is discarded).
  bool rebuilding = false;
  std::unordered_set<std::string> stale, rewritten, pending;
  // Words for spelling suggestions written since the last commit, with their counts: handed to Xapian once
  // per word at commit (its spelling table does real work per call, a fifth of all indexing time when it was
  // called once per word occurrence).
  std::unordered_map<std::string, Xapian::termcount> spelling;

  void begin() {
    if (!in_transaction) db.begin_transaction(true);
    in_transaction = true;
  }
  static void prepare(Impl& self, bool rebuild);
  void open(const std::string& folder, bool rebuild);
  void open_shards(unsigned n, bool rebuild);

  // After a database error mid-run: nothing since the last commit may reach the disk.
  // The shard that holds the article stored under `key` (schema::article_key).
  Indexer& shard_of(const std::string& key) {
    return *shards[schema::shard_of_key(key, static_cast<unsigned>(shards.size()))];
  }

  [[noreturn]] void fail(const Xapian::Error& e) {
    discard();
    throw IndexError("indexing into " + path + " failed (" + e.get_description() +
                     "); changes since the last commit were discarded");
  }

  // Throws away everything since the last commit (after a failed write), and starts afresh.
  void discard() noexcept {
    try {
      if (in_transaction) db.cancel_transaction();
    } catch (...) {
    }
    in_transaction = false;
    pending.clear();
    spelling.clear();
    try {
      begin();
    } catch (...) {
    }
  }

  json record(const std::string& key) {
    const std::string raw = db.get_metadata(std::string(schema::kMetaArticle) + key);
    if (raw.empty()) return nullptr;
    try {
      return json::parse(raw);
    } catch (const json::exception&) {
      return nullptr;  // a damaged record: treat the article as absent, so it is written again
    }
  }

  void erase(const std::string& key) {
    if (!shards.empty()) return shard_of(key).impl_->erase(key);
    db.delete_document(std::string(schema::kArticle) + key);
    db.set_metadata(std::string(schema::kMetaArticle) + key, "");
  }

  // Whether put() must write this article although it is unchanged: a rebuild writes everything anew.
  bool must_rewrite(const std::string& key) {
    if (!rebuilding || !stale.count(key) || rewritten.count(key)) return false;
    return pending.insert(key).second;
  }

  // The end of a rebuild: what it did not write again goes, except articles whose source could not be read in
  // this run (`keep`, as --prune keeps them). Returns how many articles that removed.
  std::size_t finish_rebuild(const std::function<bool(const std::string& source)>& keep = {}) {
    if (!shards.empty()) {
      std::size_t removed = 0;
      for (auto& s : shards) removed += s->impl_->finish_rebuild(keep);
      return removed;
    }
    if (!rebuilding) return 0;
    std::size_t removed = 0;
    for (const auto& key : stale) {
      if (rewritten.count(key) || pending.count(key)) continue;
      const json rec = record(key);
      if (keep && !rec.is_null() && keep(rec.value("source", ""))) continue;
      removed += rec.is_null() ? 0 : 1;
      erase(key);
    }
    stale.clear();
    rewritten.clear();
    pending.clear();
    db.set_metadata(std::string(schema::kMetaRebuilding), "");
    rebuilding = false;
    return removed;
  }

  // Commits, turning a database error into an IndexError (and discarding what was not committed).
  void commit() {
    if (!shards.empty()) {
      // Each shard commits atomically, one after the other: an article, wholly in one shard, is never
      // committed in part, though a run cut short may have committed some shards' last batch and not others'.
      for (auto& s : shards) s->impl_->commit();
      return;
    }
    try {
      if (in_transaction) {
        const std::time_t now = std::time(nullptr);
        char stamp[32];
        std::tm utc{};
        ::gmtime_r(&now, &utc);  // not std::gmtime: its result is shared by all threads (a first import has several)
        std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
        for (const auto& [word, count] : spelling) db.add_spelling(word, count);
        spelling.clear();
        db.set_metadata(std::string(schema::kMetaCommitted), stamp);
        db.commit_transaction();
      }
      in_transaction = false;
      rewritten.merge(pending);
      pending.clear();
      // Xapian's buffers of the batch are freed now, scattered over the heap; without handing the free pages
      // back, the resident size of a long run crept up batch by batch (252 -> 304 MB over 200 MB of text).
      ::malloc_trim(0);
      begin();
    } catch (const Xapian::Error& e) {
      discard();
      throw IndexError("cannot commit to the index at " + path + " (" + e.get_description() +
                       "); it stays as it was at the last commit");
    }
  }

  // A passage or an article record.
  bool has_articles() {
    const std::string prefix(schema::kMetaArticle);
    return db.get_doccount() != 0 || db.metadata_keys_begin(prefix) != db.metadata_keys_end(prefix);
  }

  // No article and no passage yet, and no rebuild under way: a first import, which may be built in parallel.
  bool empty() {
    if (!shards.empty()) return std::all_of(shards.begin(), shards.end(), [](auto& s) { return s->impl_->empty(); });
    return !rebuilding && !has_articles();
  }

  // Replaces this (empty) index by the one the parallel build made: its shards merged into one, or for a
  // sharded index each shard of the build into the shard of the same number.
  void install(indexer::ParallelBuild& build) {
    if (shards.empty()) {
      const std::string merged = path + "/.parallel-build/merged";
      build.merge(merged);
      install_built(merged);
      return;
    }
    // Compaction is Xapian's work on one thread per index: the shards on threads of their own.
    std::vector<std::exception_ptr> errors(shards.size());
    std::vector<std::thread> threads;
    for (unsigned k = 0; k < shards.size(); ++k)
      threads.emplace_back([&, k] {
        try {
          const std::string merged = path + "/.parallel-build/merged-" + std::to_string(k);
          build.merge(merged, k);
          Impl& shard = *shards[k]->impl_;
          shard.install_built(merged);
          shard.db.set_metadata(std::string(schema::kMetaShard), indexer::shard_label(k, static_cast<unsigned>(shards.size())));
          shard.commit();
        } catch (...) {
          errors[k] = std::current_exception();
        }
      });
    for (auto& t : threads) t.join();
    for (const auto& e : errors)
      if (e) std::rethrow_exception(e);
  }

  // Puts the finished index at `built` in the place of this (empty) one, and opens that for writing.
  void install_built(const std::string& built) {
    if (in_transaction) db.cancel_transaction();
    in_transaction = false;
    db.close();
    indexer::install_index(built, path);
    db = Xapian::WritableDatabase(path, Xapian::DB_OPEN);
    begin();
  }

  // The articles recorded with a source at or under `root`, and the source of each, by key.
  std::vector<std::pair<std::string, std::string>> sources_under(const std::vector<std::string>& roots) {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& s : shards) {
      auto part = s->impl_->sources_under(roots);
      out.insert(out.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    }
    if (!shards.empty()) return out;
    const std::string prefix(schema::kMetaArticle);
    for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
      const std::string key = (*it).substr(prefix.size());
      const json rec = record(key);
      if (rec.is_null()) continue;
      std::string source = rec.value("source", "");
      if (std::any_of(roots.begin(), roots.end(), [&](const auto& r) { return under(source, r); }))
        out.emplace_back(key, std::move(source));
    }
    return out;
  }
};

Indexer::Indexer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

// Locks and opens one index (not sharded) for writing.
void Indexer::Impl::open(const std::string& folder, bool rebuild) {
  path = folder;
  lock = std::make_unique<WriterLock>(path);
  try {
    db = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
  } catch (const Xapian::DatabaseLockError&) {
    throw IndexError("the index at " + path + " is locked by another writer (is `fundstelle index` running?)");
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot open the index at " + path + " for writing: " + e.get_msg());
  }
  try {
    prepare(*this, rebuild);
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot prepare the index at " + path + " for writing: " + e.get_description());
  }
}

// Opens the `n` shards of the sharded index at `path` (locked), checking that each is where the shard list
// puts it, and writes the list if it is not there yet (a new sharded index: its shards first, the list last).
void Indexer::Impl::open_shards(unsigned n, bool rebuild) {
  for (unsigned k = 0; k < n; ++k) {
    auto shard = std::make_unique<Impl>();
    shard->open(indexer::shard_folder(path, k), rebuild);
    const std::string place = shard->db.get_metadata(std::string(schema::kMetaShard));
    const std::string expected = indexer::shard_label(k, n);
    if (place.empty()) {
      if (shard->has_articles())
        throw IndexError(shard->path + " has articles but no shard number, so it was not written as " + expected + " of " +
                         path + " (an index of its own put there?); move it away, or index into a new folder");
      shard->db.set_metadata(std::string(schema::kMetaShard), expected);
      shard->commit();
    } else if (place != expected) {
      throw IndexError(shard->path + " was written as " + place + " of a sharded index, but " + path +
                       " lists it as " + expected + "; the shards of two indexes are mixed up");
    }
    shards.push_back(std::unique_ptr<Indexer>(new Indexer(std::move(shard))));
  }
  if (!std::filesystem::exists(path + "/XAPIANDB")) indexer::write_shard_list(path, n);
}

Indexer::Indexer(const std::string& path, bool rebuild, unsigned shards) : impl_(std::make_unique<Impl>()) {
  namespace fs = std::filesystem;
  impl_->path = path;
  const unsigned recorded = indexer::shard_count(path);  // 0: not sharded (yet)
  const bool single = fs::exists(path + "/iamglass");
  const std::string n = std::to_string(shards);
  if (recorded > 0 && shards > 0 && shards != recorded)
    throw IndexError(path + " is an index in " + std::to_string(recorded) + " shards, not " + n +
                     "; an index keeps its number of shards: to have " + n + ", index the sources into a new folder "
                     "with --shards " + n + " (or `fundstelle compact` it into one index)");
  if (recorded == 0 && single && shards > 1)
    throw IndexError(path + " is one index, not shards; to spread the articles over " + n +
                     " shards, index the sources into a new folder with --shards " + n + " (without --shards, " + path +
                     " is updated as it is)");
  if (recorded == 0 && !single && shards <= 1 && fs::exists(indexer::shard_folder(path, 0) + "/iamglass"))
    throw IndexError(path + " holds the shards of an index whose first `fundstelle index --shards N` did not finish; "
                     "run it again with the same --shards N");
  const unsigned count = recorded > 0 ? recorded : shards > 1 ? shards : 0;
  if (count > 0) {
    impl_->lock = std::make_unique<WriterLock>(path);
    impl_->open_shards(count, rebuild);
    return;
  }
  impl_->open(path, rebuild);
  if (const std::string place = impl_->db.get_metadata(std::string(schema::kMetaShard)); !place.empty())
    throw IndexError(path + " is " + place + " of the sharded index " + fs::path(path).parent_path().string() +
                     "; index into that folder, which puts each article into its shard");
}

// Checks the schema and analyzer of an opened index, and records ours. A rebuild keeps the old content until
// the run that follows has written its articles again (see `stale`).
void Indexer::Impl::prepare(Impl& self, bool rebuild) {
  const auto origin = schema::index_origin(self.db);
  if (!rebuild && origin.rebuilding)
    throw IndexError("a `fundstelle index --rebuild` of the index at " + self.path +
                     " was interrupted; run it again to finish it (searching works meanwhile)");
  if (!origin.ours() && !rebuild)
    throw IndexError("the index at " + self.path + " was built by another version of Fundstelle (schema " +
                     (origin.schema.empty() ? "unknown" : origin.schema) + ", analyzer \"" + origin.analyzer +
                     "\"); run `fundstelle index --rebuild` over all sources");
  self.begin();
  if (!origin.fresh && rebuild) {
    self.rebuilding = true;
    const std::string prefix(schema::kMetaArticle);
    for (auto it = self.db.metadata_keys_begin(prefix); it != self.db.metadata_keys_end(prefix); ++it)
      self.stale.insert((*it).substr(prefix.size()));
    // Passages without an article record (left by a damaged index) go as well.
    const std::string xa(schema::kArticle);
    for (auto it = self.db.allterms_begin(xa); it != self.db.allterms_end(xa); ++it)
      self.stale.insert((*it).substr(xa.size()));
    self.db.set_metadata(std::string(schema::kMetaRebuilding), "1");
  }
  self.db.set_metadata(std::string(schema::kMetaSchema), std::to_string(schema::kVersion));
  self.db.set_metadata(std::string(schema::kMetaAnalyzer), analyzers::GermanAnalyzer::fingerprint());
  // Committed at once, so that a write that fails (and is discarded) later cannot take the schema with it.
  self.commit();
}

Indexer::~Indexer() {
  try {
    if (impl_->in_transaction) impl_->db.cancel_transaction();
    impl_->db.close();
  } catch (...) {
  }
}

ChangeKind Indexer::put(const Article& given, std::size_t* passages_written) {
  if (passages_written) *passages_written = 0;
  if (given.id.empty()) throw InputError("an article needs an id", given.source);
  if (!impl_->shards.empty()) return impl_->shard_of(schema::article_key(given.id)).put(given, passages_written);
  const Article article = indexer::with_valid_utf8(given);
  const std::string key = schema::article_key(article.id);
  const std::string hash = content_hash(article);
  try {
    const json old = impl_->record(key);
    const bool rewrite = impl_->must_rewrite(key);
    if (!old.is_null() && old.value("hash", "") == hash && !rewrite) {
      if (old.value("source", "") != article.source) {
        json updated = old;
        updated["source"] = article.source;
        impl_->db.set_metadata(std::string(schema::kMetaArticle) + key, updated.dump());
      }
      return ChangeKind::Unchanged;
    }
    // Everything is prepared before the index is touched, so that only the database itself can fail
    // between the first and the last change of this article.
    const auto passages = impl_->segmenter.segment(article);
    const auto title_terms = impl_->builder.title_terms(article);
    std::vector<Xapian::Document> documents;
    std::vector<std::string> spellings;
    documents.reserve(passages.size());
    for (const auto& p : passages) {
      documents.push_back(impl_->builder.build(article, p, title_terms, hash));
      // The words as written (normalized, not stemmed) feed spelling suggestions. Counts are not taken back
      // when an article is replaced or removed; the searcher checks a suggestion against the index instead.
      for (const auto& t : impl_->builder.last_tokens())
        if ((t.role == analyzers::TokenRole::Word || t.role == analyzers::TokenRole::Part) && t.form.size() >= 4 &&
            t.form.find_first_of("0123456789") == std::string::npos)
          spellings.push_back(t.form);
    }
    json record = {{"id", article.id},           {"hash", hash},
                   {"source", article.source},   {"title", article.title},
                   {"passages", passages.size()}, {"comments", article.comments.size()}};
    // What a hit shows of its article is read from here (the passages do not repeat it).
    if (!article.url.empty()) record["url"] = article.url;
    if (!article.published.empty()) record["published"] = article.published;
    const std::string rec = record.dump();
    try {
      // Always: a damaged record must not leave the old passages next to the new ones.
      impl_->db.delete_document(std::string(schema::kArticle) + key);
      for (auto& d : documents) impl_->db.add_document(d);
      for (const auto& w : spellings) ++impl_->spelling[w];
      impl_->db.set_metadata(std::string(schema::kMetaArticle) + key, rec);
    } catch (const Xapian::Error& e) {
      // Half of this article may be written: drop everything since the last commit rather than ever commit it.
      impl_->discard();
      throw IndexError("writing article \"" + article.id + "\" to " + impl_->path + " failed (" + e.get_description() +
                       "); changes since the last commit were discarded");
    } catch (...) {  // out of memory, say: the same
      impl_->discard();
      throw;
    }
    if (passages_written) *passages_written = passages.size();
    return old.is_null() ? ChangeKind::Added : ChangeKind::Replaced;
  } catch (const Xapian::Error& e) {
    impl_->fail(e);  // reading may write too (Xapian flushes its cache when it must)
  }
}

IndexReport Indexer::index_jsonl(std::istream& in, const std::string& source) try {
  const auto started = std::chrono::steady_clock::now();
  IndexReport report;
  std::vector<std::pair<Article, std::uint64_t>> articles;
  indexer::read_jsonl(in, source, [&](Article&& a, std::uint64_t line) { articles.emplace_back(std::move(a), line); },
                      report.problems);
  for (const auto& p : report.problems) report.skipped += p.skipped ? 1 : 0;
  std::unordered_map<std::string, std::uint64_t> last_line;
  for (const auto& [a, line] : articles) last_line[a.id] = line;
  for (const auto& [a, line] : articles) {
    if (last_line[a.id] != line) {
      report.problems.push_back(repeated_id(source, line, a.id, last_line[a.id]));
      continue;
    }
    std::size_t written = 0;
    const ChangeKind change = put(a, &written);
    tally(report, change, written, a.comments.size());
  }
  report.removed += impl_->finish_rebuild();
  impl_->commit();
  report.seconds = seconds_since(started);
  return report;
} catch (const Xapian::Error& e) {
  impl_->fail(e);
}

bool Indexer::remove(const std::string& article_id) {
  const std::string key = schema::article_key(article_id);
  if (!impl_->shards.empty()) return impl_->shard_of(key).remove(article_id);
  try {
    if (impl_->record(key).is_null()) return false;
    impl_->erase(key);
    return true;
  } catch (const Xapian::Error& e) {
    impl_->fail(e);
  }
}

void Indexer::commit() {
  try {
    impl_->finish_rebuild();
  } catch (const Xapian::Error& e) {
    impl_->fail(e);
  }
  impl_->commit();
}



IndexReport Indexer::index_paths(const std::vector<std::string>& paths, const IndexOptions& options) try {
  const auto started = std::chrono::steady_clock::now();
  IndexReport report;
  auto& problems = report.problems;
  std::vector<std::string> unreadable_folders;  // --prune keeps what lies under them
  std::vector<std::string> roots;
  for (const auto& p : paths) roots.push_back(indexer::absolute_path(p));
  std::vector<std::string> scope = roots;  // what this run looks at: the paths, or options.only
  std::vector<indexer::SourceFile> sources;
  if (options.only.empty()) {
    sources = indexer::find_sources(paths, problems, &unreadable_folders);
  } else {
    scope.clear();
    for (const auto& o : options.only) scope.push_back(indexer::absolute_path(o));
    sources = sources_within(roots, scope, problems, unreadable_folders);
  }
  for (const auto& p : problems) report.skipped += p.skipped ? 1 : 0;

  // Articles recorded before this run in its scope, by key, with their sources: the candidates for --prune.
  std::vector<std::pair<std::string, std::string>> before;
  if (options.prune) before = impl_->sources_under(scope);
  // Files that could not be read in full: their articles are not "gone", so --prune keeps them.
  std::set<std::string> unreadable_sources;
  std::size_t changed_since_commit = 0, articles_seen = 0;

  // Where each article of this run came from (an index into `source_names`: many articles share a feed),
  // which also tells the articles met in this run, by the hash of the article key. About 40 bytes an article,
  // with a feed's last lines (24) the part of the memory of a run that grows with the number of articles.
  std::unordered_map<schema::IdHash, std::uint32_t, schema::IdHashHasher> source_of_key;
  std::vector<std::string> source_names;
  // A first import is written by one thread per core, each into a shard of its own, merged at the end.
  const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  std::unique_ptr<indexer::ParallelBuild> parallel;
  const auto shard_count = static_cast<unsigned>(impl_->shards.size());
  if (shard_count > 0 && impl_->empty()) {
    // A first import into a sharded index: built and compacted beside it, as into a single index (below),
    // each article in the build's shard of the same number, which the index's shards then become.
    parallel = std::make_unique<indexer::ParallelBuild>(impl_->path + "/.parallel-build", shard_count,
                                                        options.batch_articles, batch_text_bytes(options, shard_count));
  } else if (shard_count > 0) {
    // An update of a sharded index: one writer per shard, each on its own thread.
    std::vector<indexer::ParallelBuild::Writer> writers;
    for (auto& shard : impl_->shards)
      writers.push_back({[s = shard.get()](const Article& a, std::size_t* written) { return s->put(a, written); },
                         [s = shard->impl_.get()] { s->commit(); }});  // a batch: a rebuild goes on
    parallel = std::make_unique<indexer::ParallelBuild>(
        std::move(writers), impl_->path, options.batch_articles,
        batch_text_bytes(options, shard_count));
  } else if (threads > 1 && impl_->empty())
    parallel = std::make_unique<indexer::ParallelBuild>(impl_->path + "/.parallel-build", threads, options.batch_articles,
                                                        batch_text_bytes(options, threads));
  const std::size_t batch_bytes = batch_text_bytes(options, 1);
  std::size_t text_since_commit = 0;
  auto put_one = [&](Article&& article) {
    const std::string key = schema::article_key(article.id);
    if (source_names.empty() || source_names.back() != article.source) source_names.push_back(article.source);
    const auto source = static_cast<std::uint32_t>(source_names.size() - 1);
    const auto [first, fresh] = source_of_key.emplace(schema::id_hash(key), source);
    if (!fresh && source_names[first->second] != article.source) {
      // Two files give the same id (the same relative path under two folders): the later one replaces the
      // earlier in the index. Say so instead of letting one article vanish.
      problems.push_back(Problem{article.source, 0, 0, false, false,
                                 "article id \"" + article.id + "\" also came from " + source_names[first->second] +
                                     " in this run; this one replaces it"});
      first->second = source;
    }
    ++articles_seen;
    if (parallel) {
      parallel->put(std::move(article));
      return;
    }
    std::size_t written = 0;
    const ChangeKind change = put(article, &written);
    if (!tally(report, change, written, article.comments.size())) return;
    text_since_commit += indexer::text_bytes(article);
    if (++changed_since_commit >= std::max<std::size_t>(1, options.batch_articles) || text_since_commit >= batch_bytes) {
      impl_->commit();  // a batch: a rebuild goes on (see finish_rebuild)
      changed_since_commit = text_since_commit = 0;
    }
  };
  // Asked before each article; once it says stop, the rest of the run is skipped and what is done committed.
  const auto stopping = [&] {
    if (!report.interrupted && options.stop && options.stop()) report.interrupted = true;
    return report.interrupted;
  };

  for (const auto& src : sources) {
    if (stopping()) break;
    if (options.progress) options.progress(articles_seen, src.path);
    if (src.type == indexer::SourceType::Jsonl) {
      std::ifstream in(src.path, std::ios::binary);
      if (!in) {
        problems.push_back(Problem{src.path, 0, 0, false, true, "cannot open file (permission denied or vanished)"});
        ++report.skipped;
        unreadable_sources.insert(src.path);
        continue;
      }
      // Duplicate ids within one feed: the last line wins, and earlier ones are not written at all, so a
      // rerun of the same feed finds everything unchanged.
      const LastLines last_lines(src.path);
      const std::size_t before_problems = problems.size();
      indexer::read_jsonl(in, src.path, [&](Article&& a, std::uint64_t line) {
        if (const std::uint64_t last = last_lines.of(a.id); last != 0 && last != line) {
          problems.push_back(repeated_id(src.path, line, a.id, last));
          return;
        }
        put_one(std::move(a));
        if (options.progress && articles_seen % 1000 == 0) options.progress(articles_seen, src.path);
      }, problems, stopping);
      for (std::size_t i = before_problems; i < problems.size(); ++i) {
        if (!problems[i].skipped) continue;
        ++report.skipped;
        unreadable_sources.insert(src.path);
      }
      continue;
    }

    std::string raw;
    if (!indexer::read_file(src.path, raw, problems)) {
      ++report.skipped;
      unreadable_sources.insert(src.path);
      continue;
    }
    if (!indexer::prepare_txt(raw, src.path, problems)) {
      ++report.skipped;
      unreadable_sources.insert(src.path);
      continue;
    }
    auto parsed = indexer::parse_txt_article(raw, src.id, src.path);
    if (parsed.article.paragraphs.empty() && parsed.article.comments.empty()) {
      problems.push_back(Problem{src.path, 0, 0, false, true, "no article text (only a title or page clutter)"});
      ++report.skipped;
      unreadable_sources.insert(src.path);
      continue;
    }
    put_one(std::move(parsed.article));
  }
  if (parallel) {
    const IndexReport built = parallel->finish();
    report.added += built.added;
    report.replaced += built.replaced;
    report.unchanged += built.unchanged;
    report.passages += built.passages;
    report.comments += built.comments;
    if (impl_->empty() && built.added + built.replaced > 0) impl_->install(*parallel);
    parallel.reset();
  }

  // An interrupted run has not seen everything: it neither prunes nor ends a rebuild.
  if (options.prune && !report.interrupted) {
    for (const auto& [key, source] : before) {
      if (source_of_key.count(schema::id_hash(key)) || unreadable_sources.count(source)) continue;
      if (std::any_of(unreadable_folders.begin(), unreadable_folders.end(), [&path = source](const auto& f) { return under(path, f); }))
        continue;
      impl_->erase(key);
      ++report.removed;
    }
  }
  // A rebuild keeps, as --prune does, the articles of what could not be read in this run.
  if (!report.interrupted)
    report.removed += impl_->finish_rebuild([&](const std::string& source) {
      return unreadable_sources.count(source) > 0 ||
             std::any_of(unreadable_folders.begin(), unreadable_folders.end(), [&](const auto& f) { return under(source, f); });
    });
  impl_->commit();
  report.seconds = seconds_since(started);
  return report;
} catch (const Xapian::Error& e) {
  impl_->fail(e);
}

CompactReport compact_index(const std::string& index, const std::string& destination) {
  namespace fs = std::filesystem;
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  if (fs::exists(fs::symlink_status(destination, ec)))
    throw IndexError(destination + " exists; compact into a new folder (nothing there is replaced)");
  CompactReport report;
  const unsigned shards = indexer::shard_count(
      index, "compact merges the local shards of one index: compact remote shards on their own machines");
  if (shards == 0 && !fs::exists(index + "/iamglass")) throw IndexError("there is no index at " + index);
  const WriterLock lock(index);  // no writer changes what is read, and none starts before the copy is done
  const std::string temp = destination + ".compacting";
  fs::remove_all(temp, ec);  // left by a compaction that was killed
  try {
    Xapian::Database all;
    std::vector<std::string> folders;
    for (unsigned k = 0; k < std::max(1u, shards); ++k)
      folders.push_back(shards ? indexer::shard_folder(index, k) : index);
    for (const auto& folder : folders) {
      const Xapian::Database db(folder);
      const auto origin = schema::index_origin(db);
      if (!origin.ours())
        throw IndexError(folder + " was built by another version of Fundstelle; run `fundstelle index --rebuild` "
                         "before compacting it");
      if (origin.rebuilding)
        throw IndexError("a `fundstelle index --rebuild` of " + index + " was interrupted; finish it before compacting");
      all.add_database(db);
      report.bytes_before += schema::index_bytes(folder);
      report.articles += schema::article_count(db);  // shard by shard: a Database of several has the first one's metadata
    }
    report.shards = std::max(1u, shards);
    report.passages = all.get_doccount();
    fs::create_directories(fs::absolute(destination).parent_path(), ec);
    indexer::merge_indexes(all, temp);
  } catch (const Xapian::Error& e) {
    fs::remove_all(temp, ec);
    throw IndexError("compacting " + index + " into " + destination + " failed: " + e.get_description());
  } catch (...) {
    fs::remove_all(temp, ec);
    throw;
  }
  fs::rename(temp, destination, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove_all(temp, ec);
    throw IndexError("cannot move the compacted index into place at " + destination + ": " + why);
  }
  report.bytes_after = schema::index_bytes(destination);
  report.seconds = seconds_since(started);
  return report;
}

}  // namespace fundstelle
