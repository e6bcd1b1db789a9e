// One index written: a Xapian WritableDatabase under our WriterLock, always inside a transaction, so that
// nothing reaches the disk except at commit() and an article is never committed in part.
#pragma once

#include <xapian.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "analyzers/german_analyzer.h"
#include "index/article_record.h"
#include "index/layout.h"
#include "index/writer_lock.h"
#include "indexer/document_builder.h"
#include "indexer/passage_segmenter.h"
#include "indexer/writer.h"

namespace fundstelle::indexer {

class IndexWriter final : public Writer {
 public:
  // Locks and opens (or creates) the index at `path`, checks that this Fundstelle may write it, and records
  // our schema and analyzer. With `rebuild`, see Indexer's constructor. Throws IndexError.
  IndexWriter(const std::string& path, bool rebuild);
  ~IndexWriter() override;  // discards uncommitted changes

  const std::string& path() const override { return path_; }
  ChangeKind put(const Article& article, std::size_t* passages_written) override;
  bool remove(const std::string& key) override;
  void erase(const std::string& key) override;
  void commit() override;
  RebuildEnd finish_rebuild(const StaleRule& rule = {}) override;
  std::vector<std::pair<std::string, std::string>> sources_under(const std::vector<std::string>& roots) override;
  bool empty() override;
  std::vector<std::string> source_folders() override;
  void remember_source_folders(const std::vector<std::string>& folders) override;
  std::optional<std::string> recorded_source(const std::string& key) override;
  bool rebuilding() override { return rebuilding_; }
  std::string feed_state(const std::string& url) override;
  void set_feed_state(const std::string& url, const std::string& state) override;
  std::size_t move_sources(const std::string& from, const std::string& to) override;
  std::unique_ptr<ParallelBuild> parallel_build(const IndexOptions& options, WrittenCounts* counts) override;
  bool install(ParallelBuild& build, const base::Apart& apart) override;

  // For the shard writer: an item of the index's metadata, and whether it holds any article or passage.
  std::string metadata(std::string_view key);
  void set_metadata(std::string_view key, const std::string& value);
  bool has_articles();
  const Xapian::Database& database() const { return db_; }
  // A first import into the (empty) index at `index`, written beside it: `shards` temporary IndexWriters under
  // its folder .parallel-build (index::first_import_folder), each on a thread of its own; or the build an earlier first
  // import left there, with its own number of shards unless `exact_shards` (then one with another is
  // removed). See ParallelBuild.
  static std::unique_ptr<ParallelBuild> build_beside(const std::string& index, unsigned shards, bool exact_shards,
                                                     const IndexOptions& options, WrittenCounts* counts);
  // Puts the finished index at `built` in the place of this (empty) one, and opens that for writing.
  void install_built(const std::string& built);
  void discard() noexcept override;

 private:
  void begin();
  void prepare(bool rebuild);
  std::optional<schema::ArticleRecord> record(const std::string& key);
  bool must_rewrite(const std::string& key);
  std::size_t write_from_text(const std::string& key, const std::string& source);
  void write(const Article& article, const std::string& key, const std::string& hash, std::size_t* passages_written);

  std::string path_;
  index::WriterLock lock_;
  Xapian::WritableDatabase db_;
  analyzers::GermanAnalyzer analyzer_;
  PassageSegmenter segmenter_;
  DocumentBuilder builder_{analyzer_};
  bool in_transaction_ = false;
  // A rebuild: the articles there were before it (`stale_`) are removed at the end of the run unless written
  // again, not at its start, so that a rebuild cut short (killed, say) leaves every article in its old or its
  // new form, never gone. `rewritten_` are those written again and committed, `pending_` those written since
  // the last commit (forgotten if it is discarded).
  bool rebuilding_ = false;
  std::unordered_set<std::string> stale_, rewritten_, pending_;
  // Words for spelling suggestions written since the last commit, with their counts: handed to Xapian once
  // per word at commit (its spelling table does real work per call, a fifth of all indexing time when it was
  // called once per word occurrence).
  std::unordered_map<std::string, Xapian::termcount> spelling_;
};

}  // namespace fundstelle::indexer
