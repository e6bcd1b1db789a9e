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
#include <string>
#include <utility>
#include <vector>

#include "fundstelle/article.h"
#include "fundstelle/indexer.h"

namespace fundstelle::indexer {

class ParallelBuild;

// Whether the articles of a source (a file's absolute path) stay although a rebuild did not write them again:
// their source could not be read in this run.
using KeepSource = std::function<bool(const std::string& source)>;

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
  // The end of a rebuild: what it did not write again goes, except the articles of sources `keep` names.
  // Returns how many articles that removed; 0 when no rebuild is under way.
  virtual std::size_t finish_rebuild(const KeepSource& keep = {}) = 0;

  // The articles recorded with a source at or under one of `roots`, each as (key, source).
  virtual std::vector<std::pair<std::string, std::string>> sources_under(const std::vector<std::string>& roots) = 0;
  // No article and no passage yet, and no rebuild under way: a first import, which may be built in parallel.
  virtual bool empty() = 0;

  // How a run writes on several threads: a build the run hands its articles to, or nothing (the run writes
  // on its own thread through put()).
  virtual std::unique_ptr<ParallelBuild> parallel_build(const IndexOptions& options) = 0;
  // After a finished build that wrote beside the index (a first import): puts what it built in place.
  virtual void install(ParallelBuild& build) = 0;

  // Throws away everything since the last commit, and starts afresh.
  virtual void discard() noexcept = 0;

  // After a Xapian error escaped an operation: discards what was not committed and throws IndexError.
  [[noreturn]] void fail(const Xapian::Error& error);
};

// Opens the index at `path` for writing, as Indexer's constructor describes: one index, or the shards of a
// sharded one (`shards` > 1 makes a new index sharded; an existing index keeps its layout).
std::unique_ptr<Writer> open_writer(const std::string& path, bool rebuild, unsigned shards);

}  // namespace fundstelle::indexer
