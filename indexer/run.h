// An indexing run: sources (files and folders, or a JSON Lines stream) read into articles and written through
// a Writer, batch by batch or on the writer's parallel build; then --prune and the end of a rebuild. What
// Indexer::index_paths and Indexer::index_jsonl promise (fundstelle/indexer.h) is done here.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <istream>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/hash.h"
#include "fundstelle/indexer.h"
#include "indexer/parallel_build.h"
#include "indexer/sources.h"
#include "indexer/web_reader.h"
#include "indexer/writer.h"

namespace fundstelle::indexer {

class IndexRun {
 public:
  IndexRun(Writer& writer, const IndexOptions& options);
  ~IndexRun();
  IndexRun(const IndexRun&) = delete;
  IndexRun& operator=(const IndexRun&) = delete;
  // Indexes `paths` and commits. Xapian errors reach the caller (for Writer::fail).
  IndexReport run(const std::vector<std::string>& paths);

 private:
  void choose_sources(const std::vector<std::string>& paths);
  void name_by_folders(const std::vector<std::string>& given);
  void read_feed(const SourceFile& src, std::uint64_t size);
  void read_txt(const SourceFile& src);
  void read_html(const SourceFile& src);
  void read_xml_feed(const SourceFile& src);
  void read_url(const std::string& url);
  void read_page_of(Article& item, FetchReport& fetch, bool allow_private);
  void put_if_text(Article&& article);
  void skip(const std::string& source);
  void put(Article&& article);
  void note_source(const Article& article);
  bool stopping();
  void finish_parallel();
  void prune();
  bool unreadable(const std::string& source) const;
  // Progress (IndexOptions::progress): the reading thread keeps the counters below, a ticker thread tells
  // them twice a second; a change of phase is told at once.
  void start_ticker();
  void stop_ticker() noexcept;
  void tell_progress();
  void set_phase(IndexProgress::Phase phase);
  void set_source(const std::string& source);
  // A source of `bytes` read in full, each byte `work_per_byte` of work (run.cpp's kWorkPerByte).
  void source_done(std::uint64_t bytes, unsigned work_per_byte);

  Writer& writer_;
  const IndexOptions& options_;
  IndexReport report_;
  std::vector<SourceFile> sources_;
  std::vector<std::string> urls_;  // feeds by URL, read after the files
  std::unique_ptr<WebReader> web_;
  std::vector<std::pair<std::string, std::string>> feed_states_;  // (URL, FeedState as JSON) to remember
  std::vector<std::string> scope_;                                // what this run looks at: the paths, or options.only
  std::vector<std::string> folders_;                              // the source folders, as remembered after this run
  std::vector<std::string> unreadable_folders_;                   // --prune keeps what lies under them
  std::set<std::string> unreadable_sources_;  // files not read in full: their articles are not "gone"
  // Articles recorded before this run in its scope, by key, with their sources: the candidates for --prune.
  std::vector<std::pair<std::string, std::string>> before_;
  // Where each article of this run came from (an index into `source_names_`: many articles share a feed),
  // which also tells the articles met in this run, by the hash of the article key. About 40 bytes an article,
  // with a feed's last lines (24) the part of the memory of a run that grows with the number of articles.
  std::unordered_map<base::IdHash, std::uint32_t, base::IdHashHasher> source_of_key_;
  std::vector<std::string> source_names_;
  std::size_t batch_bytes_ = 0, changed_since_commit_ = 0, text_since_commit_ = 0, articles_seen_ = 0;

  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::atomic<int> phase_{static_cast<int>(IndexProgress::Phase::Reading)};
  std::atomic<std::size_t> articles_read_{0};
  WrittenCounts written_;  // by this thread, or by the parallel build's threads (so declared before it)
  std::unique_ptr<ParallelBuild> parallel_;
  std::atomic<std::uint64_t> bytes_done_{0};  // of the sources read in full
  std::atomic<std::uint64_t> bytes_now_{0};   // of the source being read
  std::atomic<std::uint64_t> work_done_{0};   // bytes read in passes over sources read in full (feeds: two)
  std::atomic<std::uint64_t> work_now_{0};    // in passes over the source being read
  std::uint64_t bytes_total_ = 0, work_total_ = 0;
  std::mutex source_mutex_;  // guards source_
  std::string source_;
  std::mutex tell_mutex_;  // one call of options_.progress at a time; guards the two below
  std::uint64_t told_bytes_ = 0;
  double told_fraction_ = 0;
  std::mutex ticker_mutex_;
  std::condition_variable ticker_wake_;
  bool ticker_stop_ = false;
  std::thread ticker_;
};

// Indexes a JSON Lines feed read from `in` (`source` names it in problems) through `writer`, and commits:
// Indexer::index_jsonl. Xapian errors reach the caller.
IndexReport index_stream(Writer& writer, std::istream& in, const std::string& source);

// Indexes one HTML page (the bytes of a .html file) as the article `id`, and commits: Indexer::index_html.
IndexReport index_html_page(Writer& writer, std::string_view page, const std::string& id, const std::string& source,
                            std::string_view content_type = {});
// Indexes an RSS or Atom feed (the bytes of a .rss file), and commits: Indexer::index_feed. Of two items with
// one id the later wins.
IndexReport index_feed_document(Writer& writer, std::string_view feed, const std::string& source);

}  // namespace fundstelle::indexer
