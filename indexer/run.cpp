#include "indexer/run.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>

#include "analyzers/normalize.h"
#include "base/file_kinds.h"
#include "base/files.h"
#include "index/schema.h"
#include "indexer/batching.h"
#include "indexer/feed_parser.h"
#include "indexer/html_parser.h"
#include "indexer/http_fetch.h"
#include "indexer/jsonl_reader.h"
#include "indexer/txt_parser.h"

namespace fundstelle::indexer {
namespace {

// The work of reading a byte of a source, for IndexProgress::fraction: the pass that analyses and writes
// counts ten, the first pass over a feed (its ids only) one: it takes about an eighth of the time (measured:
// 33 MB feed, 2 cores: 0.5 s of 5.6 s).
constexpr unsigned kWorkPerByte = 10, kFirstPassWork = 1;

double seconds_since(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

// How far `in` has been read (its buffer's position: read_jsonl reads through the buffer).
std::uint64_t position(std::istream& in) {
  const auto at = in.rdbuf()->pubseekoff(0, std::ios::cur, std::ios::in);
  return at < 0 ? 0 : static_cast<std::uint64_t>(at);
}

// The last line on which each id of a feed appears as a valid article (read as the feed itself is read, so
// that only lines that will be indexed count): 24 bytes an id, sorted by the id's hash.
class LastLines {
 public:
  // `stop` ends the read early (Ctrl-C): this pass over a large feed takes a while too; `at` is told the
  // position in the feed after each valid line (for progress).
  LastLines(const std::string& path, const std::function<bool()>& stop, const std::function<void(std::uint64_t)>& at) {
    std::ifstream in(path, std::ios::binary);
    std::vector<Problem> ignored;  // the real read reports them
    read_jsonl(
        in, path,
        [&](Article&& a, std::uint64_t line) {
          lines_.emplace_back(base::id_hash(a.id), line);
          at(position(in));
        },
        ignored, stop);
    // Lines grow: after a stable sort by hash, the last entry of each hash holds its last line.
    std::stable_sort(lines_.begin(), lines_.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<std::pair<base::IdHash, std::uint64_t>> last;
    for (std::size_t i = 0; i < lines_.size(); ++i)
      if (i + 1 == lines_.size() || !(lines_[i + 1].first == lines_[i].first)) last.push_back(lines_[i]);
    lines_ = std::move(last);
    lines_.shrink_to_fit();
  }
  // The last line of `id`, or 0 if the feed has no valid line with it.
  std::uint64_t of(const std::string& id) const {
    const base::IdHash h = base::id_hash(id);
    const auto it = std::lower_bound(lines_.begin(), lines_.end(), h,
                                     [](const auto& e, const base::IdHash& k) { return e.first < k; });
    return it != lines_.end() && it->first == h ? it->second : 0;
  }

 private:
  std::vector<std::pair<base::IdHash, std::uint64_t>> lines_;
};

// The sources of `only` (files or folders at or under one of `roots`), with the ids they have when `roots`
// are indexed whole: relative to the root folder they lie in, or the file name of a root file. What no
// longer exists is left out silently (it is gone; --prune removes its articles).
std::vector<SourceFile> sources_within(const std::vector<std::string>& roots, const std::vector<std::string>& only,
                                       std::vector<Problem>& problems, std::vector<std::string>& unreadable_folders,
                                       bool follow_links) {
  namespace fs = std::filesystem;
  std::vector<SourceFile> out;
  for (const auto& o : only) {
    const auto root = std::find_if(roots.begin(), roots.end(), [&](const auto& r) { return base::is_under(o, r); });
    if (root == roots.end()) {
      problems.push_back(Problem{o, 0, 0, false, true, "not under the paths being indexed"});
      continue;
    }
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(o, ec))) continue;
    for (auto& f : find_sources({o}, problems, &unreadable_folders, follow_links, *root)) {
      f.id = txt_id(f.path == *root ? fs::path(f.path).filename() : fs::path(f.path).lexically_relative(*root));
      out.push_back(std::move(f));
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  out.erase(std::unique(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path == b.path; }),
            out.end());
  return out;
}

// Why a document given as a feed is none (the source is skipped).
Problem not_a_feed(const FeedParse& parsed, const std::string& source) {
  return Problem{source,
                 0,
                 0,
                 false,
                 true,
                 parsed.root.empty() ? "not an RSS or Atom feed: " + parsed.error
                                     : "not an RSS or Atom feed (its root element is <" + parsed.root + ">)"};
}

// The warning for an earlier line of a feed whose id a later line repeats (the later line is indexed).
Problem repeated_id(const std::string& source, std::uint64_t line, const std::string& id, std::uint64_t later) {
  return Problem{source, line,
                 0,      false,
                 false,  "id \"" + id + "\" appears again on line " + std::to_string(later) + "; the later line wins"};
}

}  // namespace

IndexRun::IndexRun(Writer& writer, const IndexOptions& options)
    : writer_(writer), options_(options), batch_bytes_(batch_text_bytes(options, 1)) {}

IndexRun::~IndexRun() { stop_ticker(); }

IndexReport IndexRun::run(const std::vector<std::string>& paths) {
  const auto started = std::chrono::steady_clock::now();
  started_ = started;
  choose_sources(paths);
  // The sizes of the sources, for the progress (a feed is read twice: its ids first).
  std::vector<std::uint64_t> sizes;
  for (const auto& src : sources_) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(src.path, ec);
    sizes.push_back(ec ? 0 : static_cast<std::uint64_t>(size));
    bytes_total_ += sizes.back();
    work_total_ += sizes.back() * (kWorkPerByte + (src.type == SourceType::Jsonl ? kFirstPassWork : 0));
  }
  start_ticker();
  if (options_.prune) before_ = writer_.sources_under(scope_);
  parallel_ = writer_.parallel_build(options_, &written_);
  // The source folders choose_sources remembered name the articles of a first import's shards: committed now
  // (into the empty index), a rerun after a kill names the same files the same (the shards are taken up).
  if (parallel_ && parallel_->beside()) writer_.commit();
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    if (stopping()) break;
    const auto& src = sources_[i];
    set_source(src.path);
    if (src.type == SourceType::Jsonl) read_feed(src, sizes[i]);
    else if (src.type == SourceType::Html) read_html(src);
    else if (src.type == SourceType::Feed) read_xml_feed(src);
    else read_txt(src);
    source_done(sizes[i], kWorkPerByte + (src.type == SourceType::Jsonl ? kFirstPassWork : 0));
  }
  if (!urls_.empty()) web_ = std::make_unique<WebReader>(options_.fetch, [this] { return stopping(); });
  for (const auto& url : urls_) {
    if (stopping()) break;
    set_source(url);
    read_url(url);
  }
  set_source("");
  set_phase(IndexProgress::Phase::Writing);
  finish_parallel();
  // A feed's ETag is remembered only when all its items were handed on: after a run cut short the next one
  // must not be told "not modified" about items it never wrote (a parallel build leaves its queues unwritten).
  if (!report_.interrupted)
    for (const auto& [url, state] : feed_states_) writer_.set_feed_state(url, state);
  // An interrupted run has not seen everything: it neither prunes nor ends a rebuild.
  if (options_.prune && !report_.interrupted) prune();
  // A rebuild keeps, as --prune does, the articles of what could not be read in this run; those that have
  // no file to read again (posted over HTTP, put through the library) it writes anew from the text the index
  // keeps of them: dropping them would lose them for good.
  if (!report_.interrupted) {
    const RebuildEnd end = writer_.finish_rebuild([&](const std::string& source) {
      if (stopping()) return Stale::Stop;  // Ctrl-C while articles are written anew from their text
      if (!has_source_file(source)) return Stale::FromText;
      return unreadable(source) ? Stale::Keep : Stale::Drop;
    });
    report_.removed += end.removed;
    report_.replaced += end.from_text;
    if (end.without_text)
      report_.problems.push_back(
          Problem{"--rebuild", 0, 0, false, false,
                  "kept " + std::to_string(end.without_text) +
                      " articles that have no source file (posted over HTTP or put through the library) as they "
                      "were: the index keeps no text of them that reads back as an article (an earlier version "
                      "wrote them without it, or it is damaged: `fundstelle check`); post them again to write "
                      "them anew"});
  }
  writer_.commit();
  report_.seconds = seconds_since(started);
  stop_ticker();  // Done is told once, last
  set_phase(IndexProgress::Phase::Done);
  return std::move(report_);
}

void IndexRun::start_ticker() {
  if (!options_.progress) return;
  tell_progress();
  ticker_ = std::thread([this] {
    std::unique_lock lock(ticker_mutex_);
    while (!ticker_wake_.wait_for(lock, std::chrono::milliseconds(500), [this] { return ticker_stop_; })) {
      lock.unlock();
      tell_progress();
      lock.lock();
    }
  });
}

void IndexRun::stop_ticker() noexcept {
  if (!ticker_.joinable()) return;
  {
    std::lock_guard lock(ticker_mutex_);
    ticker_stop_ = true;
  }
  ticker_wake_.notify_all();
  ticker_.join();
}

void IndexRun::tell_progress() {
  if (!options_.progress) return;
  std::lock_guard lock(tell_mutex_);
  IndexProgress p;
  p.phase = static_cast<IndexProgress::Phase>(phase_.load());
  p.articles_read = articles_read_.load();
  p.articles_written = written_.articles.load();
  p.passages_written = written_.passages.load();
  p.bytes_total = bytes_total_;
  // What was read but waits in the parallel build's queues is not done yet: the reading runs ahead of the
  // writers by up to their queues.
  const std::uint64_t read = bytes_done_.load() + bytes_now_.load();
  const std::uint64_t waiting = std::min(read, written_.queued.load());
  p.bytes_read = std::min(read - waiting, bytes_total_);
  const std::uint64_t work = work_done_.load() + work_now_.load();
  p.fraction = work_total_ == 0 ? 1.0
                                : std::min(1.0, static_cast<double>(work - std::min(work, waiting * kWorkPerByte)) /
                                                    static_cast<double>(work_total_));
  // Never back: an article is queued a moment before the reading position moves past it.
  p.bytes_read = told_bytes_ = std::max(p.bytes_read, told_bytes_);
  p.fraction = told_fraction_ = std::max(p.fraction, told_fraction_);
  p.seconds = seconds_since(started_);
  {
    std::lock_guard source_lock(source_mutex_);
    p.source = source_;
  }
  try {
    options_.progress(p);
  } catch (...) {  // a report that fails does not fail the run (nor end a thread with an exception)
  }
}

void IndexRun::set_phase(IndexProgress::Phase phase) {
  if (phase_.exchange(static_cast<int>(phase)) != static_cast<int>(phase)) tell_progress();
}

void IndexRun::set_source(const std::string& source) {
  std::lock_guard lock(source_mutex_);
  source_ = source;
}

void IndexRun::source_done(std::uint64_t bytes, unsigned work_per_byte) {
  // The source's part of the "now" counters goes before it is added to the "done" ones: a report in between
  // sees a little less, never more (tell_progress does not go back).
  bytes_now_ = 0;
  work_now_ = 0;
  bytes_done_ += bytes;
  work_done_ += bytes * work_per_byte;
}

void IndexRun::choose_sources(const std::vector<std::string>& given) {
  auto& problems = report_.problems;
  // URLs are fetched (after the files), each once; the rest are files and folders.
  std::vector<std::string> paths, only;
  for (const auto& p : given) {
    if (!base::is_http_url(p)) paths.push_back(p);
    else if (std::find(urls_.begin(), urls_.end(), p) == urls_.end()) urls_.push_back(p);
  }
  for (const auto& o : options_.only)
    if (!base::is_http_url(o)) only.push_back(o);
  if (!options_.only.empty())
    std::erase_if(urls_, [&](const std::string& u) {
      return std::find(options_.only.begin(), options_.only.end(), u) == options_.only.end();
    });
  std::vector<std::string> roots;
  for (const auto& p : paths) roots.push_back(absolute_path(p));
  scope_ = roots;
  if (options_.only.empty()) {
    sources_ = find_sources(paths, problems, &unreadable_folders_, options_.follow_links);
  } else {
    scope_.clear();
    for (const auto& o : only) scope_.push_back(absolute_path(o));
    sources_ = sources_within(roots, scope_, problems, unreadable_folders_, options_.follow_links);
  }
  for (const auto& p : problems) report_.skipped += p.skipped ? 1 : 0;
  name_by_folders(roots);
}

// One file is one article whatever path it was given by: a .txt file's id is its path under the first source
// folder the index remembers that holds it (`index corpus/` and later `index .` from the folder above give
// corpus/a.txt one id). A folder given that no remembered one holds is remembered after them, and so is the
// folder of a .txt file given by itself.
void IndexRun::name_by_folders(const std::vector<std::string>& given) {
  namespace fs = std::filesystem;
  folders_ = writer_.source_folders();
  const std::size_t remembered = folders_.size();
  const auto holder = [&](const std::string& path) {
    return std::find_if(folders_.begin(), folders_.end(), [&](const auto& f) { return base::is_under(path, f); });
  };
  for (const auto& path : given) {
    std::error_code ec;
    std::string folder = path;
    if (!fs::is_directory(path, ec)) {
      if ((fs::path(path).extension() != ".txt" && !base::is_html_name(path)) || !fs::exists(path, ec)) continue;
      folder = fs::path(path).parent_path().string();
    }
    if (holder(folder) == folders_.end()) folders_.push_back(folder);
  }
  for (auto& s : sources_) {
    if (s.type != SourceType::Txt && s.type != SourceType::Html) continue;  // feeds name their articles
    const auto f = holder(s.path);
    if (f != folders_.end()) s.id = txt_id(fs::path(s.path).lexically_relative(*f));
  }
  // A file met through two of the paths given is read once.
  std::set<std::string> seen;
  std::erase_if(sources_, [&](const SourceFile& s) { return !seen.insert(s.path).second; });
  if (folders_.size() != remembered) writer_.remember_source_folders(folders_);
}

// Asked before each article; once it says stop, the rest of the run is skipped and what is done committed.
bool IndexRun::stopping() {
  if (!report_.interrupted && options_.stop && options_.stop()) report_.interrupted = true;
  return report_.interrupted;
}

// A source that was not read (in full): counted as skipped, and its articles kept by --prune.
void IndexRun::skip(const std::string& source) {
  ++report_.skipped;
  unreadable_sources_.insert(source);
}

bool IndexRun::unreadable(const std::string& source) const {
  return unreadable_sources_.count(source) > 0 || std::any_of(unreadable_folders_.begin(), unreadable_folders_.end(),
                                                              [&](const auto& f) { return base::is_under(source, f); });
}

void IndexRun::read_feed(const SourceFile& src, std::uint64_t size) {
  auto& problems = report_.problems;
  std::ifstream in(src.path, std::ios::binary);
  if (!in) {
    problems.push_back(Problem{src.path, 0, 0, false, true, "cannot open file (permission denied or vanished)"});
    skip(src.path);
    return;
  }
  // Duplicate ids within one feed: the last line wins, and earlier ones are not written at all, so a rerun of
  // the same feed finds everything unchanged.
  set_phase(IndexProgress::Phase::Reading);
  const LastLines last_lines(
      src.path, [this] { return stopping(); }, [this](std::uint64_t at) { work_now_ = at * kFirstPassWork; });
  work_now_ = size * kFirstPassWork;  // the first pass over the feed read it all
  if (report_.interrupted) return;
  set_phase(IndexProgress::Phase::Analysing);
  const std::size_t before_problems = problems.size();
  read_jsonl(
      in, src.path,
      [&](Article&& a, std::uint64_t line) {
        if (const std::uint64_t last = last_lines.of(a.id); last != 0 && last != line) {
          problems.push_back(repeated_id(src.path, line, a.id, last));
          return;
        }
        put(std::move(a));
        const std::uint64_t at = position(in);
        bytes_now_ = at;
        work_now_ = (size * kFirstPassWork) + at * kWorkPerByte;
      },
      problems, [this] { return stopping(); });
  for (std::size_t i = before_problems; i < problems.size(); ++i)
    if (problems[i].skipped) skip(src.path);
}

void IndexRun::read_txt(const SourceFile& src) {
  set_phase(IndexProgress::Phase::Analysing);
  auto& problems = report_.problems;
  std::string raw;
  if (!read_file(src.path, raw, problems) || !prepare_txt(raw, src.path, problems)) {
    skip(src.path);
    return;
  }
  put_if_text(parse_txt_article(raw, src.id, src.path).article);
}

// An article read from one file (.txt, .html): put, unless nothing of it is text.
void IndexRun::put_if_text(Article&& article) {
  if (article.paragraphs.empty() && article.comments.empty()) {
    report_.problems.push_back(
        Problem{article.source, 0, 0, false, true, "no article text (only a title or page clutter)"});
    skip(article.source);
    return;
  }
  put(std::move(article));
}

void IndexRun::read_html(const SourceFile& src) {
  set_phase(IndexProgress::Phase::Analysing);
  auto& problems = report_.problems;
  std::string raw;
  if (!read_file(src.path, raw, problems)) {
    skip(src.path);
    return;
  }
  if (raw.find_first_not_of(" \t\r\n\f") == std::string::npos) {
    problems.push_back(Problem{src.path, 0, 0, false, true, "empty file"});
    skip(src.path);
    return;
  }
  auto parsed = parse_html_article(raw, src.id, src.path);
  for (auto& w : parsed.warnings) problems.push_back(Problem{src.path, 0, 0, false, false, std::move(w)});
  put_if_text(std::move(parsed.article));
}

void IndexRun::read_xml_feed(const SourceFile& src) {
  set_phase(IndexProgress::Phase::Analysing);
  auto& problems = report_.problems;
  std::string raw;
  if (!read_file(src.path, raw, problems, kMaxFeedFileBytes)) {
    skip(src.path);
    return;
  }
  auto parsed = parse_feed(raw, src.path);
  if (!parsed.is_feed) {
    // A .xml in a folder may be anything; named by itself it was meant to be a feed.
    if (!src.named && base::has_extension(src.path, ".xml")) return;
    problems.push_back(not_a_feed(parsed, src.path));
    skip(src.path);
    return;
  }
  // An item skipped counts as a source not read in full: --prune keeps what the feed had (as for a .jsonl).
  for (auto& p : parsed.problems) {
    if (p.skipped) skip(src.path);
    problems.push_back(std::move(p));
  }
  for (auto& a : parsed.articles) {
    if (stopping()) return;
    put(std::move(a));
  }
}

// A feed by URL: fetched (conditionally, when the index remembers its ETag or date), its items put as a .rss
// file's are; with FetchOptions::pages each new item's page read in place of the feed's text. A URL that
// answers with an HTML page is that one page, its id the URL.
void IndexRun::read_url(const std::string& url) {
  set_phase(IndexProgress::Phase::Analysing);
  auto& problems = report_.problems;
  FetchReport fetch;
  fetch.url = url;
  FeedState state = decode_feed_state(writer_.feed_state(url));
  // (a hash collision of two long URLs, or nothing remembered; a rebuild reads every feed whole, anew)
  if (state.url != url || writer_.rebuilding()) state = FeedState{};
  const HttpResponse answer = web_->get(url, &state);
  fetch.status = answer.status;
  fetch.retry_after_seconds = answer.retry_after_seconds;
  const auto failed = [&](const std::string& why) {
    problems.push_back(Problem{url, 0, 0, false, true, why});
    ++report_.skipped;
    report_.fetches.push_back(std::move(fetch));
  };
  if (!answer.ok) return failed(answer.aborted ? "not fetched: the run was stopped" : "cannot fetch: " + answer.error);
  if (answer.status == 304) {
    fetch.outcome = FetchReport::Outcome::NotModified;
    report_.fetches.push_back(std::move(fetch));
    return;
  }
  if (answer.status < 200 || answer.status >= 300)
    return failed("cannot fetch: HTTP status " + std::to_string(answer.status));
  auto parsed = parse_feed(answer.body, url);
  // A feed on this machine or a private network may link to pages there; one on the internet may not.
  const bool private_feed = is_private_address(answer.ip);
  if (parsed.is_feed) {
    for (auto& p : parsed.problems) {
      if (p.skipped) ++report_.skipped;
      problems.push_back(std::move(p));
    }
    fetch.items = parsed.articles.size();
    for (auto& a : parsed.articles) {
      if (stopping()) break;
      if (options_.fetch.pages) {
        // An item read from its page before (its recorded source is the page) is left as it is.
        const auto recorded = writer_.recorded_source(schema::article_key(a.id));
        if (recorded && *recorded != url && !writer_.rebuilding()) {
          ++report_.unchanged;
          ++articles_seen_;
          continue;
        }
        read_page_of(a, fetch, private_feed);
      }
      put(std::move(a));
    }
  } else if (analyzers::ascii_lower(answer.content_type).find("html") != std::string::npos ||
             (answer.content_type.empty() && parsed.root == "html")) {
    auto page = parse_html_article(answer.body, url, url, charset_in_content(answer.content_type));
    for (auto& w : page.warnings) problems.push_back(Problem{url, 0, 0, false, false, std::move(w)});
    fetch.items = 1;
    put_if_text(std::move(page.article));
  } else {
    return failed(parsed.root.empty() && !answer.content_type.empty()
                      ? "not an RSS or Atom feed nor an HTML page (Content-Type: " + answer.content_type + ")"
                      : not_a_feed(parsed, url).message);
  }
  fetch.outcome = FetchReport::Outcome::Fetched;
  state.url = url;
  state.etag = answer.etag;
  state.last_modified = answer.last_modified;
  state.fetched.clear();  // now
  if (!report_.interrupted) feed_states_.emplace_back(url, encode_feed_state(state));
  report_.fetches.push_back(std::move(fetch));
}

// With FetchOptions::pages: the page an item links to, read as a .html file is, gives the item its text and
// comments (and what the feed left empty of its metadata); the item's source becomes the page. An item whose
// page cannot be read keeps the feed's text, with a warning.
void IndexRun::read_page_of(Article& item, FetchReport& fetch, bool allow_private) {
  if (!base::is_http_url(item.url)) return;
  HttpResponse answer;
  const auto got = web_->get_page(item.url, answer, allow_private);
  if (got == WebReader::Page::Refused) {
    ++fetch.pages_refused;
    report_.problems.push_back(
        Problem{item.url, 0, 0, false, false,
                "robots.txt does not allow fetching this page; the item \"" + item.id + "\" is indexed from the feed"});
    return;
  }
  if (got == WebReader::Page::Failed) {
    ++fetch.pages_failed;
    report_.problems.push_back(
        Problem{item.url, 0, 0, false, false,
                "cannot fetch the page (" + answer.error + "); the item \"" + item.id + "\" is indexed from the feed"});
    return;
  }
  auto page = parse_html_article(answer.body, item.id, item.url, charset_in_content(answer.content_type));
  for (auto& w : page.warnings) report_.problems.push_back(Problem{item.url, 0, 0, false, false, std::move(w)});
  Article& a = page.article;
  if (a.paragraphs.empty()) {
    ++fetch.pages_failed;
    report_.problems.push_back(
        Problem{item.url, 0, 0, false, false,
                "the page holds no article text; the item \"" + item.id + "\" is indexed from the feed"});
    return;
  }
  ++fetch.pages;
  item.paragraphs = std::move(a.paragraphs);
  item.comments = std::move(a.comments);
  if (item.title.empty()) item.title = std::move(a.title);
  if (item.published.empty()) item.published = std::move(a.published);
  if (item.author.empty()) item.author = std::move(a.author);
  if (item.tags.empty()) item.tags = std::move(a.tags);
  item.source = item.url;
}

// Remembers where an article came from; two files giving the same id are reported.
void IndexRun::note_source(const Article& article) {
  const std::string key = schema::article_key(article.id);
  if (source_names_.empty() || source_names_.back() != article.source) source_names_.push_back(article.source);
  const auto source = static_cast<std::uint32_t>(source_names_.size() - 1);
  const auto [first, fresh] = source_of_key_.emplace(base::id_hash(key), source);
  if (!fresh && source_names_[first->second] != article.source) {
    // Two files give the same id (the same relative path under two folders): the later one replaces the
    // earlier in the index. Say so instead of letting one article vanish.
    report_.problems.push_back(Problem{article.source, 0, 0, false, false,
                                       "article id \"" + article.id + "\" also came from " +
                                           source_names_[first->second] + " in this run; this one replaces it"});
    first->second = source;
  }
}

void IndexRun::put(Article&& article) {
  note_source(article);
  ++articles_seen_;
  articles_read_ = articles_seen_;
  if (parallel_) {
    parallel_->put(std::move(article));
    return;
  }
  std::size_t written = 0;
  const ChangeKind change = writer_.put(article, &written);
  if (!tally(report_, change, written, article.comments.size())) return;
  ++written_.articles;
  written_.passages += written;
  text_since_commit_ += text_bytes(article);
  if (++changed_since_commit_ >= std::max<std::size_t>(1, options_.batch_articles) ||
      text_since_commit_ >= batch_bytes_) {
    writer_.commit();  // a batch: a rebuild goes on (see Writer::finish_rebuild)
    changed_since_commit_ = text_since_commit_ = 0;
  }
}

void IndexRun::finish_parallel() {
  if (!parallel_) return;
  // Stopped (Ctrl-C), also while the shards still write what was read: what waits in the queues is left for
  // the next run, which indexes it then (a first import keeps its shards for it, see ParallelBuild).
  if (!report_.interrupted) parallel_->wait_taken([this] { return stopping(); });
  const IndexReport built = parallel_->finish(report_.interrupted);
  add_counts(report_, built);
  // Ctrl-C while the shards wrote their last articles: their build is kept rather than merged.
  if (stopping()) parallel_->keep();
  if (!parallel_->kept() && writer_.empty() && (built.added + built.replaced > 0 || parallel_->resumed())) {
    set_phase(IndexProgress::Phase::Compacting);
    // The merge runs in child processes, which Ctrl-C stops at once (it grows with the import: minutes for a
    // large one); they are forked while the progress ticker allocates nothing (it tells progress under
    // tell_mutex_ and waits otherwise).
    base::Apart apart;
    apart.stopping = [this] { return stopping(); };
    apart.quietly = [this](const std::function<void()>& fork) {
      std::lock_guard lock(tell_mutex_);
      fork();
    };
    bool installed = false;
    try {
      installed = writer_.install(*parallel_, apart);
    } catch (...) {
      // A merge that failed (disk full, its process killed by the kernel for memory): the shards stay for the
      // next run, which takes them up if the index is still empty.
      parallel_->keep();
      throw;
    }
    set_phase(IndexProgress::Phase::Writing);
    if (!installed) {
      parallel_->keep();  // stopped while merging: the shards stay, as they are, for the next run
    } else {
      // The index built beside this one took its place: what this run had remembered in it (uncommitted) is
      // not there.
      if (!folders_.empty()) writer_.remember_source_folders(folders_);
      // A build taken up from an earlier run may hold articles this run did not meet: --prune looks at them.
      if (options_.prune && parallel_->resumed()) before_ = writer_.sources_under(scope_);
    }
  }
  if (parallel_->kept()) {
    // A first import stopped: its shards stay beside the index, as they last committed, for the next run.
    report_.first_import_kept = true;
    report_.kept_articles = parallel_->kept_articles();
  }
  parallel_.reset();
}

void IndexRun::prune() {
  for (const auto& [key, source] : before_) {
    if (source_of_key_.count(base::id_hash(key)) || unreadable(source)) continue;
    writer_.erase(key);
    ++report_.removed;
  }
}

namespace {

// Writes `articles` (of two with one id, the later), commits, and reports them with `problems`.
IndexReport write_all(Writer& writer, std::vector<Article> articles, std::vector<Problem> problems,
                      std::chrono::steady_clock::time_point started) {
  IndexReport report;
  report.problems = std::move(problems);
  for (const auto& p : report.problems) report.skipped += p.skipped ? 1 : 0;
  std::unordered_map<std::string, std::size_t> last;
  for (std::size_t i = 0; i < articles.size(); ++i) last[articles[i].id] = i;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    if (last[articles[i].id] != i) continue;
    std::size_t written = 0;
    const ChangeKind change = writer.put(articles[i], &written);
    tally(report, change, written, articles[i].comments.size());
  }
  writer.commit();
  report.seconds = seconds_since(started);
  return report;
}

}  // namespace

IndexReport index_html_page(Writer& writer, std::string_view page, const std::string& id, const std::string& source,
                            std::string_view content_type) {
  const auto started = std::chrono::steady_clock::now();
  auto parsed = parse_html_article(page, id, source, charset_in_content(content_type));
  std::vector<Problem> problems;
  for (auto& w : parsed.warnings) problems.push_back(Problem{source, 0, 0, false, false, std::move(w)});
  std::vector<Article> articles;
  if (id.empty()) problems.push_back(Problem{source, 0, 0, false, true, "an HTML page needs an article id"});
  else if (parsed.article.paragraphs.empty() && parsed.article.comments.empty())
    problems.push_back(Problem{source, 0, 0, false, true, "no article text (only a title or page clutter)"});
  else articles.push_back(std::move(parsed.article));
  return write_all(writer, std::move(articles), std::move(problems), started);
}

IndexReport index_feed_document(Writer& writer, std::string_view feed, const std::string& source) {
  const auto started = std::chrono::steady_clock::now();
  auto parsed = parse_feed(feed, source);
  if (!parsed.is_feed) parsed.problems.push_back(not_a_feed(parsed, source));
  return write_all(writer, std::move(parsed.articles), std::move(parsed.problems), started);
}

IndexReport index_stream(Writer& writer, std::istream& in, const std::string& source) {
  const auto started = std::chrono::steady_clock::now();
  IndexReport report;
  std::vector<std::pair<Article, std::uint64_t>> articles;
  read_jsonl(
      in, source, [&](Article&& a, std::uint64_t line) { articles.emplace_back(std::move(a), line); }, report.problems);
  for (const auto& p : report.problems) report.skipped += p.skipped ? 1 : 0;
  std::unordered_map<std::string, std::uint64_t> last_line;
  for (const auto& [a, line] : articles) last_line[a.id] = line;
  for (const auto& [a, line] : articles) {
    if (last_line[a.id] != line) {
      report.problems.push_back(repeated_id(source, line, a.id, last_line[a.id]));
      continue;
    }
    std::size_t written = 0;
    const ChangeKind change = writer.put(a, &written);
    tally(report, change, written, a.comments.size());
  }
  report.removed += writer.finish_rebuild().removed;
  writer.commit();
  report.seconds = seconds_since(started);
  return report;
}

}  // namespace fundstelle::indexer
