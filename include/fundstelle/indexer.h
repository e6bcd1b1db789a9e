// Writing an index: add, replace and remove articles; index files and JSON Lines feeds.
//
// Thread safety: an Indexer is not thread-safe; use it from one thread. Only one Indexer (in any process) can
// hold an index open at a time; a second one gets an IndexError saying which process holds the lock (the
// writer records its PID in the file `fundstelle.lock` inside the index folder, locked with flock(2) for as
// long as the Indexer lives; a killed writer's lock goes with its process). Searchers may read the index
// while it is written: they see the state of the last commit.
//
// Atomicity: changes become visible only at commit(); an Indexer destroyed (or a process killed) before that
// leaves the index exactly as it was at the last commit. An article is never committed in part: if writing
// one fails (disk full, say), everything since the last commit is discarded and an IndexError says so.
//
// Errors: every failure is a fundstelle::Error (InputError, IndexError); no Xapian exception escapes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fundstelle/article.h"
#include "fundstelle/export.h"

namespace fundstelle {

// Where an indexing run stands: what IndexOptions::progress is told.
struct IndexProgress {
  enum class Phase {
    Reading,     // a feed's first pass: its ids only (of lines with one id, only the last is written)
    Analysing,   // the sources read and their articles analysed and written as they come
    Writing,     // everything read: the last articles written, pruned (--prune), committed
    Compacting,  // a first import's shards merged into one compacted index
    Done,        // the run has ended and committed (told once, last; a run that throws does not tell it)
  };
  Phase phase = Phase::Reading;
  std::size_t articles_read = 0;     // articles read from the sources so far (also unchanged ones)
  std::size_t articles_written = 0;  // of them, added or replaced so far
  std::size_t passages_written = 0;  // passages of the articles written
  std::uint64_t bytes_read = 0;      // of the sources, so far (of articles handed to a writer)
  std::uint64_t bytes_total = 0;     // of all the sources of the run (their sizes when it began)
  // The share of the reading done, 0 to 1, as an estimate of the work: a byte counts when the article it
  // belongs to is handed to a writer (not while it waits in a queue); a feed is read twice (first for its ids,
  // so that of lines with one id only the last is written), the first pass counted at a tenth of the second.
  // The time left can be estimated from it; writing the last articles and compacting come after it.
  double fraction = 0;
  double seconds = 0;  // since the run began
  std::string source;  // the file being read (empty once all are read)
};

// "reading", "analysing", "writing", "compacting", "done".
inline const char* to_string(IndexProgress::Phase phase) {
  switch (phase) {
    case IndexProgress::Phase::Reading: return "reading";
    case IndexProgress::Phase::Analysing: return "analysing";
    case IndexProgress::Phase::Writing: return "writing";
    case IndexProgress::Phase::Compacting: return "compacting";
    case IndexProgress::Phase::Done: break;
  }
  return "done";
}

// How index_paths reads http:// and https:// URLs: feeds by URL (RSS or Atom; a URL that answers with an HTML
// page is read as that one page). Requests are made one at a time, with a pause between two to one host.
struct FetchOptions {
  double timeout_seconds = 30;                    // for each request, connecting included
  std::size_t max_bytes = std::size_t{64} << 20;  // a larger answer is cut off and the URL skipped
  // Also fetch the page each new item links to and index the page's article text (its page frame left out)
  // instead of the feed's summary; the page's robots.txt is respected. An item already indexed from its page
  // is left as it is; one whose page could not be read is indexed from the feed, and its page tried again
  // when the feed next changes.
  bool pages = false;
  // Seconds between two requests to one host (longer when the host's robots.txt sets a Crawl-delay, up to 30).
  double delay_seconds = 1;
  std::string user_agent;  // empty: "Fundstelle/<version>"
};

// What became of one URL of a run.
struct FetchReport {
  enum class Outcome {
    Fetched,      // read (its items are counted in the run's added, replaced, unchanged)
    NotModified,  // the server said nothing changed since the last run (ETag or Last-Modified)
    Failed,       // no usable answer: see the run's problems
  };
  std::string url;
  Outcome outcome = Outcome::Failed;
  long status = 0;                 // HTTP status, 0 when no answer came
  std::size_t items = 0;           // items (articles) the answer held
  std::size_t pages = 0;           // linked pages fetched and read (FetchOptions::pages)
  std::size_t pages_refused = 0;   // linked pages robots.txt does not allow us to fetch
  std::size_t pages_failed = 0;    // linked pages that could not be fetched or held no article text
  double retry_after_seconds = 0;  // the server's Retry-After (with 429 or 503), 0 when it sent none
};

struct IndexOptions {
  bool prune = false;  // remove articles whose source lies under the given paths but was not seen this run
  std::size_t batch_articles = 2000;  // commit after this many changed articles (each commit is atomic)
  // Memory for the writers' buffers, in MiB: a writer commits before the article text it wrote since its last
  // commit outgrows a tenth of its share of this (Xapian holds several bytes per byte of text until a commit).
  // Peak resident memory is roughly 150 MiB plus this, whatever the corpus size (measured on 60 MB and 200 MB
  // corpora: bench/README.md), plus about 50 bytes per article of the run.
  std::size_t memory_mb = 128;
  // Threads for a first import (an index without articles): 0 uses every core. Each thread writes a shard of
  // its own, and the shards are merged into one compacted index at the end. Updates use one thread. A sharded
  // index (Indexer's `shards`) ignores this: it is always written by one thread per shard.
  unsigned threads = 0;
  // Told where the run stands: at its start, at least twice a second while it runs (also inside one large
  // feed, and while it compacts), at each change of phase, and once at its end (Phase::Done, after which
  // nothing is told; not when the run ends in an error). Called from a
  // thread of the run's, one call at a time; may be empty.
  std::function<void(const IndexProgress&)> progress;
  // Asked before each article; when it returns true the run commits what it has done so far and returns
  // (report.interrupted). May be empty. Used for Ctrl-C: finish the current batch cleanly, then stop (a first
  // import on several threads stops at once, also while it merges its shards, asked every tenth of a second
  // then: it keeps what its writers committed for the next run, which goes on from there, see
  // IndexReport::first_import_kept). The merge runs in child processes forked from the caller's (no exec),
  // which the stop kills: while they are forked, other threads of the caller should hold no lock a child could
  // need (glibc's allocator is safe at fork; an allocator without fork handlers may not be).
  std::function<bool()> stop;
  // When not empty: read only these files and folders, which lie at or under the paths given to index_paths
  // (ids stay what they are when the paths are indexed whole); --prune then looks only at articles from them,
  // so a file listed here that no longer exists has its articles removed. Used by --watch.
  std::vector<std::string> only;
  // Follow a symbolic link found in a folder to a file outside the folders given (by default such a link is
  // skipped, with a problem naming it: a link to /etc/shadow in a corpus must not be indexed and served).
  bool follow_links = false;
  FetchOptions fetch;  // for http(s):// URLs among the paths
};

struct IndexReport {
  std::size_t added = 0, replaced = 0, unchanged = 0, removed = 0, skipped = 0;
  std::size_t passages = 0;  // passages written (of added or replaced articles)
  std::size_t comments = 0;  // comments of added or replaced articles
  std::vector<Problem> problems;
  double seconds = 0;
  bool interrupted = false;  // options.stop ended the run early (what was done is committed)
  // A first import on several threads that was stopped: what its shard writers had committed (the counts
  // above) is kept beside the index, in its folder .parallel-build, not yet searchable; the next run into
  // the index (still without articles) goes on from there and installs it with the rest.
  bool first_import_kept = false;
  std::size_t kept_articles = 0;     // the articles it holds (of this run and of earlier ones it took up)
  std::vector<FetchReport> fetches;  // one for each URL among the paths, in their order
};

enum class ChangeKind { Added, Replaced, Unchanged };

class FUNDSTELLE_API Indexer {
 public:
  // Opens the index at `path` for writing, creating it if needed. With `rebuild`, every article put is written
  // anew (even if unchanged), and the articles that were there before and were not written again are dropped
  // at the end of the next index_paths / index_jsonl run (one that was not stopped), or at the first commit()
  // called directly: until then the old ones stay, so a rebuild cut short loses nothing. An index whose
  // rebuild was cut short must be opened with `rebuild` again. Throws IndexError if it is locked by another
  // writer (naming its PID), read-only, unreadable, or was built with another analyzer or schema (or has an
  // unfinished rebuild) and `rebuild` is false.
  //
  // Sharded indexes: with `shards` > 1 a new index is made of that many shards (folders shard-0 ... inside
  // `path`, each a whole index, listed in a Xapian stub `path`/XAPIANDB that searchers open as one index);
  // each article goes to the shard a stable hash of its id picks, so indexing it again replaces it there.
  // An existing sharded index is opened as such whatever `shards` says, if it is 0 or its number of shards;
  // other numbers, `shards` > 1 for an existing single index, and a single shard's folder given as `path`
  // throw IndexError (an index keeps its layout). index_paths writes the shards in parallel, one thread each.
  explicit Indexer(const std::string& path, bool rebuild = false, unsigned shards = 0);
  ~Indexer();  // discards uncommitted changes
  Indexer(const Indexer&) = delete;
  Indexer& operator=(const Indexer&) = delete;

  // Indexes .html pages, RSS and Atom feeds, .txt files and .jsonl feeds, given as files or folders (searched
  // recursively), and feeds by URL (http:// or https://, as IndexOptions::fetch says), and commits.
  // A URL is fetched with a conditional request when the index remembers its ETag or Last-Modified date from
  // an earlier run, so that a feed that did not change costs one short answer. Its items keep their ids (the
  // feed's guid or id) and stay when they leave the feed (--prune never removes them: a feed shows only its
  // latest items). A URL that cannot be fetched is a skipped problem, with its FetchReport.
  // Into an index without articles (a first import) it writes on IndexOptions::threads threads, one shard
  // each, and merges the shards into one compacted index that takes the empty one's place at the end: readers
  // see nothing of such a run until it ends. One that is stopped or killed before that leaves the index
  // empty and its shards beside it, as they last committed; the next run takes them up (when they were
  // written by this version of Fundstelle) and installs them with the rest at its end. Otherwise it writes on the
  // calling thread, batch by batch; a sharded index is written by one thread per shard, batch by batch, each shard
  // committing on its own.
  IndexReport index_paths(const std::vector<std::string>& paths, const IndexOptions& options = {});

  // Indexes a JSON Lines feed read from `in` (the format of index_paths' .jsonl files; `source` names it in
  // problems) and commits. Within the feed a later line with the same id wins.
  IndexReport index_jsonl(std::istream& in, const std::string& source);

  // Indexes one HTML page (its bytes, in any charset it declares), read as index_paths reads a .html file, as
  // the article `id`, and commits. `source` names it in problems and becomes the article's source. The
  // `content_type` it came with (HTTP's "text/html; charset=iso-8859-1"), when given, names its charset
  // before the page itself does, as the HTML standard says.
  IndexReport index_html(std::string_view page, const std::string& id, const std::string& source,
                         std::string_view content_type = {});
  // Indexes an RSS or Atom feed (its bytes), one article per item as index_paths reads a .rss file, and
  // commits. A document that is not a feed is a skipped problem.
  IndexReport index_feed(std::string_view feed, const std::string& source);

  // Adds or replaces one article (all its passages at once). Not visible before commit().
  ChangeKind put(const Article& article, std::size_t* passages_written = nullptr);
  // Removes an article and all its passages; false if it was not there.
  bool remove(const std::string& article_id);
  void commit();

  // The source folders the index remembers, in the order they were first indexed: a .txt file's id is its
  // path under the first of them that holds it, so a file indexed through another path (`index corpus/`,
  // later `index .` from the folder above) keeps its id. index_paths remembers each folder given that none of
  // them holds, and the folder of a .txt file given by itself.
  std::vector<std::string> source_folders();
  // A remembered source folder was moved (or renamed) from `from` to `to`: its place in the list and the
  // source of every article from files under it are changed, and committed, so that indexing `to` finds the
  // articles unchanged and --prune under `from` no longer counts them. Returns how many articles it moved.
  // Throws InputError when `from` is not a remembered folder or `to` is one already.
  std::size_t move_source_folder(const std::string& from, const std::string& to);
  // Forgets a remembered source folder (one given by mistake, such as a home folder that now names every
  // file under it), and commits. Its articles stay as they are, with their ids; the files under it are named
  // by the other folders from now on. Throws InputError when `folder` is not a remembered one.
  void forget_source_folder(const std::string& folder);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One article in the JSON Lines feed format (one line: {"id", "body", ...}, see README), read exactly as
// index_paths reads a line of a .jsonl file. Throws InputError (its message the one a feed's problem would
// carry) when the line is not an article; repairs it reports as warnings into `warnings` (may be null).
FUNDSTELLE_API Article article_from_json(std::string_view line, std::vector<Problem>* warnings = nullptr);

struct CompactReport {
  unsigned shards = 1;  // of the index compacted
  std::size_t articles = 0, passages = 0;
  std::uint64_t bytes_before = 0, bytes_after = 0;  // on disk
  double seconds = 0;
};

// Writes the index at `index` as one compacted index at `destination` (which must not exist): the shards of a
// sharded index merged into one (Xapian's compaction: the same articles, passages, spelling data and ranking),
// or a single index rewritten without the free space of its B-trees. `index` is locked against writers
// meanwhile and stays as it is; `destination` appears only when complete (written beside it, then renamed).
// Throws IndexError for an index of another version, a --rebuild left unfinished, a shard list with remote
// shards, or a destination that exists.
FUNDSTELLE_API CompactReport compact_index(const std::string& index, const std::string& destination);

}  // namespace fundstelle
