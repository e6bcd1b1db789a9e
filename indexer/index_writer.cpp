#include "indexer/index_writer.h"

#include <malloc.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <thread>

#include "base/files.h"
#include "base/hash.h"
#include "fundstelle/error.h"
#include "index/article_record.h"
#include "index/compact.h"
#include "index/open.h"
#include "index/origin.h"
#include "index/schema.h"
#include "index/stored_text.h"
#include "indexer/batching.h"
#include "indexer/jsonl_reader.h"
#include "indexer/parallel_build.h"
#include "indexer/valid_article.h"

namespace fundstelle::indexer {
namespace {

std::string content_hash(const Article& a) {
  // Everything that ends up in the index, plus the analyzer and schema that turn it into terms.
  std::uint64_t h = base::fnv1a(analyzers::GermanAnalyzer::fingerprint());
  const auto mix = [&](std::string_view field) {
    h = base::fnv1a(field, h);
    h = base::fnv1a("\x1f", h);
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
  return base::hex64(h);
}

// The UTC time now, as recorded at each commit (schema::kMetaCommitted).
std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::tm utc{};
  ::gmtime_r(&now, &utc);  // not std::gmtime: its result is shared by all threads (a first import has several)
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return stamp;
}

// Whether a token's form feeds spelling suggestions: a word as written, of four bytes or more, no digits.
bool spelling_word(const analyzers::Token& t) {
  return (t.role == analyzers::TokenRole::Word || t.role == analyzers::TokenRole::Part) && t.form.size() >= 4 &&
         t.form.find_first_of("0123456789") == std::string::npos;
}

}  // namespace

IndexWriter::IndexWriter(const std::string& path, bool rebuild)
    : path_(path), lock_(path), db_(index::open_for_write(path)) {
  try {
    prepare(rebuild);
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot prepare the index at " + path_ + " for writing: " + e.get_description());
  }
}

IndexWriter::~IndexWriter() {
  try {
    if (in_transaction_) db_.cancel_transaction();
    db_.close();
  } catch (...) {
  }
}

void IndexWriter::begin() {
  if (!in_transaction_) db_.begin_transaction(true);
  in_transaction_ = true;
}

// Checks the schema and analyzer of the opened index, and records ours. A rebuild keeps the old content until
// the run that follows has written its articles again (see `stale_`).
void IndexWriter::prepare(bool rebuild) {
  const auto origin = schema::index_origin(db_);
  if (!rebuild && origin.rebuilding)
    throw IndexError("a rebuild of the index at " + path_ + " was interrupted (searching works meanwhile)",
                     ErrorKind::ForeignIndex);
  if (!origin.ours() && !rebuild)
    throw IndexError("the index at " + path_ + " was built by another version of Fundstelle (schema " +
                         (origin.schema.empty() ? "unknown" : origin.schema) + ", analyzer \"" + origin.analyzer +
                         "\")",
                     ErrorKind::ForeignIndex);
  begin();
  if (!origin.fresh && rebuild) {
    rebuilding_ = true;
    const std::string prefix(schema::kMetaArticle);
    for (auto it = db_.metadata_keys_begin(prefix); it != db_.metadata_keys_end(prefix); ++it)
      stale_.insert((*it).substr(prefix.size()));
    // Passages without an article record (left by a damaged index) go as well.
    const std::string xa(schema::kArticle);
    for (auto it = db_.allterms_begin(xa); it != db_.allterms_end(xa); ++it) stale_.insert((*it).substr(xa.size()));
    db_.set_metadata(std::string(schema::kMetaRebuilding), "1");
  }
  db_.set_metadata(std::string(schema::kMetaSchema), std::to_string(schema::kVersion));
  db_.set_metadata(std::string(schema::kMetaAnalyzer), analyzers::GermanAnalyzer::fingerprint());
  // Committed at once, so that a write that fails (and is discarded) later cannot take the schema with it.
  commit();
}

void IndexWriter::discard() noexcept {
  try {
    if (in_transaction_) db_.cancel_transaction();
  } catch (...) {
  }
  in_transaction_ = false;
  pending_.clear();
  spelling_.clear();
  try {
    begin();
  } catch (...) {
  }
}

// The record of the article `key`; nothing if there is none, or it is damaged (then the article counts as
// absent, so it is written again).
std::optional<schema::ArticleRecord> IndexWriter::record(const std::string& key) {
  return schema::decode_article(db_.get_metadata(std::string(schema::kMetaArticle) + key));
}

void IndexWriter::erase(const std::string& key) {
  db_.delete_document(std::string(schema::kArticle) + key);
  db_.set_metadata(std::string(schema::kMetaArticle) + key, "");
  db_.set_metadata(std::string(schema::kMetaText) + key, "");
}

bool IndexWriter::remove(const std::string& key) {
  try {
    if (!record(key)) return false;
    erase(key);
    return true;
  } catch (const Xapian::Error& e) {
    fail(e);
  }
}

// Whether put() must write this article although it is unchanged: a rebuild writes everything anew.
bool IndexWriter::must_rewrite(const std::string& key) {
  if (!rebuilding_ || !stale_.count(key) || rewritten_.count(key)) return false;
  return pending_.insert(key).second;
}

RebuildEnd IndexWriter::finish_rebuild(const StaleRule& rule) {
  RebuildEnd end;
  if (!rebuilding_) return end;
  // Articles written anew from their text are committed in batches, as a run's are (an index of mostly
  // posted articles must not be rewritten in one transaction held in memory).
  const std::size_t batch_articles = IndexOptions{}.batch_articles, batch_bytes = batch_text_bytes(IndexOptions{}, 1);
  std::size_t articles = 0, bytes = 0;
  for (const auto& key : stale_) {
    if (rewritten_.count(key) || pending_.count(key)) continue;
    const auto rec = record(key);
    const Stale what = rule && rec ? rule(rec->source) : Stale::Drop;
    if (what == Stale::Stop) {
      end.stopped = true;  // still rebuilding: the next run must be a rebuild, which starts over
      return end;
    }
    if (what == Stale::FromText) {
      if (const std::size_t written = write_from_text(key, rec->source)) {
        ++end.from_text;
        bytes += written;
        if (++articles >= batch_articles || bytes >= batch_bytes) {
          commit();
          articles = bytes = 0;
        }
      } else {
        ++end.without_text;
      }
      continue;
    }
    if (what == Stale::Keep) continue;
    end.removed += rec ? 1 : 0;
    erase(key);
  }
  stale_.clear();
  rewritten_.clear();
  pending_.clear();
  db_.set_metadata(std::string(schema::kMetaRebuilding), "");
  rebuilding_ = false;
  return end;
}

// Writes the article stored under `key` anew from the text the index keeps of it, through the feed reader
// (as it came, if it came as a feed line). Returns the length of that text; 0 when there is none (or it
// cannot be read back).
std::size_t IndexWriter::write_from_text(const std::string& key, const std::string& source) {
  const auto line = index::stored_feed_line(db_, key);
  if (!line) return 0;
  Article article;
  std::vector<Problem> problems;
  if (!parse_jsonl_line(*line, source, 0, article, problems)) return 0;
  write(article, key, content_hash(article), nullptr);
  return line->size();
}

void IndexWriter::commit() {
  try {
    if (in_transaction_) {
      for (const auto& [word, count] : spelling_) db_.add_spelling(word, count);
      spelling_.clear();
      db_.set_metadata(std::string(schema::kMetaCommitted), utc_now());
      db_.commit_transaction();
    }
    in_transaction_ = false;
    rewritten_.merge(pending_);
    pending_.clear();
    // Xapian's buffers of the batch are freed now, scattered over the heap; without handing the free pages
    // back, the resident size of a long run crept up batch by batch (252 -> 304 MB over 200 MB of text).
    ::malloc_trim(0);
    begin();
  } catch (const Xapian::Error& e) {
    discard();
    throw IndexError("cannot commit to the index at " + path_ + " (" + e.get_description() +
                     "); it stays as it was at the last commit");
  }
}

std::string IndexWriter::metadata(std::string_view key) { return db_.get_metadata(std::string(key)); }

void IndexWriter::set_metadata(std::string_view key, const std::string& value) {
  db_.set_metadata(std::string(key), value);
}

bool IndexWriter::has_articles() { return schema::has_articles(db_); }

bool IndexWriter::empty() { return !rebuilding_ && !has_articles(); }

std::vector<std::pair<std::string, std::string>> IndexWriter::sources_under(const std::vector<std::string>& roots) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::string prefix(schema::kMetaArticle);
  for (auto it = db_.metadata_keys_begin(prefix); it != db_.metadata_keys_end(prefix); ++it) {
    const std::string key = (*it).substr(prefix.size());
    auto rec = record(key);
    if (!rec) continue;
    if (std::any_of(roots.begin(), roots.end(), [&](const auto& r) { return base::is_under(rec->source, r); }))
      out.emplace_back(key, std::move(rec->source));
  }
  return out;
}

std::vector<std::string> IndexWriter::source_folders() { return schema::source_folders({db_}); }

void IndexWriter::remember_source_folders(const std::vector<std::string>& folders) {
  db_.set_metadata(std::string(schema::kMetaSources), schema::encode_source_folders(folders));
}

std::optional<std::string> IndexWriter::recorded_source(const std::string& key) {
  try {
    auto rec = record(key);
    if (!rec) return std::nullopt;
    return std::move(rec->source);
  } catch (const Xapian::Error& e) {
    fail(e);
  }
}

std::string IndexWriter::feed_state(const std::string& url) {
  return metadata(std::string(schema::kMetaFeed) + schema::article_key(url));
}

void IndexWriter::set_feed_state(const std::string& url, const std::string& state) {
  set_metadata(std::string(schema::kMetaFeed) + schema::article_key(url), state);
}

std::size_t IndexWriter::move_sources(const std::string& from, const std::string& to) {
  std::size_t moved = 0;
  const std::string prefix(schema::kMetaArticle);
  std::vector<std::pair<std::string, schema::ArticleRecord>> changed;
  for (auto it = db_.metadata_keys_begin(prefix); it != db_.metadata_keys_end(prefix); ++it) {
    const std::string key = (*it).substr(prefix.size());
    auto rec = record(key);
    if (!rec || !base::is_under(rec->source, from)) continue;
    rec->source = base::moved_path(rec->source, from, to);
    changed.emplace_back(key, std::move(*rec));
  }
  for (const auto& [key, rec] : changed) {  // not while the keys are iterated
    db_.set_metadata(prefix + key, schema::encode_article(rec));
    ++moved;
  }
  return moved;
}

std::unique_ptr<ParallelBuild> IndexWriter::parallel_build(const IndexOptions& options, WrittenCounts* counts) {
  // A first import is written by one thread per core, each into a shard of its own, merged at the end.
  // A first import that was stopped is taken up whatever the threads (one per shard it has); an index with
  // articles cannot take one up (a build killed after its install, or articles put since): it goes.
  const std::string folder = index::first_import_folder(path_);
  const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  if (!empty() || (threads <= 1 && !ParallelBuild::left_over(folder))) {
    ParallelBuild::clear(folder);
    return nullptr;
  }
  return build_beside(path_, threads, false, options, counts);
}

std::unique_ptr<ParallelBuild> IndexWriter::build_beside(const std::string& index, unsigned shards, bool exact_shards,
                                                         const IndexOptions& options, WrittenCounts* counts) {
  return std::make_unique<ParallelBuild>(
      index::first_import_folder(index), shards, exact_shards,
      [](const std::string& shard) { return std::make_unique<IndexWriter>(shard, false); }, options, counts);
}

bool IndexWriter::install(ParallelBuild& build, const base::Apart& apart) {
  const std::string merged = index::first_import_folder(path_) + "/merged";
  if (!build.merge(merged, apart)) return false;
  install_built(merged);
  return true;
}

void IndexWriter::install_built(const std::string& built) {
  if (in_transaction_) db_.cancel_transaction();
  in_transaction_ = false;
  db_.close();
  index::install_index(built, path_);
  db_ = Xapian::WritableDatabase(path_, Xapian::DB_OPEN);
  begin();
}

ChangeKind IndexWriter::put(const Article& given, std::size_t* passages_written) {
  if (passages_written) *passages_written = 0;
  const Article article = with_valid_utf8(given);
  const std::string key = schema::article_key(article.id);
  const std::string hash = content_hash(article);
  try {
    const auto old = record(key);
    const bool rewrite = must_rewrite(key);
    if (old && old->hash == hash && !rewrite) {
      if (old->source != article.source) {
        schema::ArticleRecord updated = *old;
        updated.source = article.source;
        db_.set_metadata(std::string(schema::kMetaArticle) + key, schema::encode_article(updated));
      }
      return ChangeKind::Unchanged;
    }
    write(article, key, hash, passages_written);
    return old ? ChangeKind::Replaced : ChangeKind::Added;
  } catch (const Xapian::Error& e) {
    fail(e);  // reading may write too (Xapian flushes its cache when it must)
  }
}

// Writes an article (new or changed) with all its passages.
void IndexWriter::write(const Article& article, const std::string& key, const std::string& hash,
                        std::size_t* passages_written) {
  // Everything is prepared before the index is touched, so that only the database itself can fail between
  // the first and the last change of this article.
  const auto passages = segmenter_.segment(article);
  const auto title_terms = builder_.title_terms(article);
  std::vector<Xapian::Document> documents;
  std::vector<std::string> spellings;
  documents.reserve(passages.size());
  for (const auto& p : passages) {
    documents.push_back(builder_.build(article, p, title_terms, hash));
    // The words as written (normalized, not stemmed) feed spelling suggestions. Counts are not taken back
    // when an article is replaced or removed; the searcher checks a suggestion against the index instead.
    for (const auto& t : builder_.last_tokens())
      if (spelling_word(t)) spellings.push_back(t.form);
  }
  schema::ArticleRecord record;
  record.id = article.id;
  record.hash = hash;
  record.source = article.source;
  record.title = article.title;
  record.passages = passages.size();
  record.comments = article.comments.size();
  // What a hit shows of its article is read from here (the passages do not repeat it).
  record.url = article.url;
  record.published = article.published;
  record.author = article.author;
  record.tags = article.tags;
  const std::string rec = schema::encode_article(record);
  // The text once, what the passages do not hold, for an article read from a file (which holds it again);
  // whole for one posted or put without a file: the index is its only copy (a rebuild writes it from there).
  std::vector<schema::TextPiece> pieces;
  pieces.reserve(passages.size());
  for (const auto& p : passages) pieces.push_back(schema::TextPiece{p.kind, p.comment, p.span, p.text});
  const std::string text = has_source_file(article.source) ? schema::encode_text(article, pieces)
                                                           : schema::encode_text(article);
  try {
    // Always: a damaged record must not leave the old passages next to the new ones. Passages are only ever
    // added and deleted, never replaced in place: a document id holds one passage for the life of the database
    // (its uuid), which lets a searcher read documents over connections at another revision (ShardSet).
    db_.delete_document(std::string(schema::kArticle) + key);
    for (auto& d : documents) db_.add_document(d);
    for (const auto& w : spellings) ++spelling_[w];
    db_.set_metadata(std::string(schema::kMetaArticle) + key, rec);
    db_.set_metadata(std::string(schema::kMetaText) + key, text);
  } catch (const Xapian::Error& e) {
    // Half of this article may be written: drop everything since the last commit rather than ever commit it.
    discard();
    throw IndexError("writing article \"" + article.id + "\" to " + path_ + " failed (" + e.get_description() +
                     "); changes since the last commit were discarded");
  } catch (...) {  // out of memory, say: the same
    discard();
    throw;
  }
  if (passages_written) *passages_written = passages.size();
}

}  // namespace fundstelle::indexer
