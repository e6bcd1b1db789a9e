// The one writer interface the indexing run writes through, with two implementations: IndexWriter (one
// index, indexer/index_writer.h) and ShardWriter (N shards, each an IndexWriter, indexer/shard_writer.h).
// Whatever differs between the two layouts lives behind this interface; the run (indexer/run.h) and the
// public Indexer do not ask which one they have.
//
// Atomicity: changes become visible only at commit(); an article is never committed in part. Not
// thread-safe (a ShardWriter's parallel build writes its shards on threads of their own).
#pragma once

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/apart.h"
#include "fundstelle/article.h"
#include "fundstelle/indexer.h"

namespace fundstelle::indexer {

class ParallelBuild;
struct WrittenCounts;

// Whether an article's source (Article::source) is a file, which holds its text again: an absolute path.
// Anything else is an article with no file (posted over HTTP, put through the library, fetched from a feed's
// URL), whose only copy is the index's.
inline bool has_source_file(const std::string& source) { return source.starts_with('/'); }

// What the end of a rebuild does with an article it did not write again, by the article's source
// (has_source_file).
enum class Stale {
  Drop,      // its source is gone
  Keep,      // as it is: its source could not be read in this run
  FromText,  // written anew from the text the index keeps of it (schema::kMetaText); as it is if there is none
  Stop,      // the run is being stopped (Ctrl-C): the rebuild stays unfinished, what was done is kept
};
using StaleRule = std::function<Stale(const std::string& source)>;

struct RebuildEnd {
  std::size_t removed = 0;       // articles dropped
  std::size_t from_text = 0;     // written anew from their stored text
  std::size_t without_text = 0;  // to be written from their text, but the index keeps none (an older version
                                 // wrote them) or it does not read back (damaged): kept as they were
  bool stopped = false;          // the rule said Stop: the rebuild is not finished
  RebuildEnd& operator+=(const RebuildEnd& o) {
    removed += o.removed, from_text += o.from_text, without_text += o.without_text;
    stopped = stopped || o.stopped;
    return *this;
  }
};

class Writer {
 public:
  virtual ~Writer() = default;

  // The index written, for messages.
  virtual const std::string& path() const = 0;

  // Adds or replaces one article (all its passages at once), as Indexer::put.
  virtual ChangeKind put(const Article& article, std::size_t* passages_written) = 0;
  // Removes the article stored under `key` (schema::article_key) and its passages; false if none is recorded.
  virtual bool remove(const std::string& key) = 0;
  // Removes whatever is stored under `key`, recorded or not.
  virtual void erase(const std::string& key) = 0;
  // Commits a batch (a rebuild goes on). Throws IndexError, discarding what was not committed.
  virtual void commit() = 0;
  // The end of a rebuild: what it did not write again goes (without a rule) or as `rule` says. Nothing when
  // no rebuild is under way.
  virtual RebuildEnd finish_rebuild(const StaleRule& rule = {}) = 0;

  // The articles recorded with a source at or under one of `roots`, each as (key, source).
  virtual std::vector<std::pair<std::string, std::string>> sources_under(const std::vector<std::string>& roots) = 0;

  // The source folders the index remembers (schema::kMetaSources), in the order they were first indexed. An
  // index written before they were remembered gets them from its articles' records: the folder of each
  // .txt article whose source ends in its id, the folder with the most articles first.
  virtual std::vector<std::string> source_folders() = 0;
  // Remembers `folders` (written with the next commit).
  virtual void remember_source_folders(const std::vector<std::string>& folders) = 0;
  // A source folder moved from `from` to `to`: the articles recorded from files under `from` now come from
  // the same place under `to`. Returns how many records changed.
  virtual std::size_t move_sources(const std::string& from, const std::string& to) = 0;
  // The source recorded for the article stored under `key`, or nothing when none is recorded.
  virtual std::optional<std::string> recorded_source(const std::string& key) = 0;
  // What the index remembers of a feed URL (schema::kMetaFeed: indexer/web_reader.h's FeedState as JSON), ""
  // when nothing; and remembering it (written with the next commit).
  virtual std::string feed_state(const std::string& url) = 0;
  virtual void set_feed_state(const std::string& url, const std::string& state) = 0;
  // A --rebuild is under way (it ends with finish_rebuild).
  virtual bool rebuilding() = 0;
  // No article and no passage yet, and no rebuild under way: a first import, which may be built in parallel.
  virtual bool empty() = 0;

  // How a run writes on several threads: a build the run hands its articles to, or nothing (the run writes
  // on its own thread through put()). The build counts what it writes into `counts` (ParallelBuild).
  virtual std::unique_ptr<ParallelBuild> parallel_build(const IndexOptions& options, WrittenCounts* counts) = 0;
  // After a finished build that wrote beside the index (a first import): puts what it built in place. Its merge
  // can be stopped (ParallelBuild::merge): false when `apart.stopping` said so, nothing then installed.
  virtual bool install(ParallelBuild& build, const base::Apart& apart) = 0;

  // Throws away everything since the last commit, and starts afresh.
  virtual void discard() noexcept = 0;

  // After a Xapian error escaped an operation: discards what was not committed and throws IndexError.
  [[noreturn]] void fail(const Xapian::Error& error);
};

// Opens the index at `path` for writing, as Indexer's constructor describes: one index, or the shards of a
// sharded one (`shards` > 1 makes a new index sharded; an existing index keeps its layout).
std::unique_ptr<Writer> open_writer(const std::string& path, bool rebuild, unsigned shards);

}  // namespace fundstelle::indexer
