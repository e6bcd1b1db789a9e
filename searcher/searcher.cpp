// fundstelle::Searcher: BM25 over passages (Xapian), then a rerank of the best candidates that prefers
// passages covering all query concepts, close together, then a cap of passages per article.
#include "fundstelle/searcher.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "analyzers/german_analyzer.h"
#include "base/dates.h"
#include "base/utf8.h"
#include "fundstelle/error.h"
#include "index/article_record.h"
#include "index/layout.h"
#include "index/open.h"
#include "index/origin.h"
#include "index/passage_record.h"
#include "index/schema.h"
#include "index/stored_text.h"
#include "searcher/explain.h"
#include "searcher/query_parser.h"
#include "searcher/ranker.h"
#include "searcher/shards.h"
#include "searcher/spelling_corrector.h"
#include "searcher/suggest.h"
#include "searcher/term_frequencies.h"
#include "searcher/weights.h"
#include "searcher/wildcard.h"

namespace fundstelle {

namespace {

// What a hit shows of its article (id, title, url, date), from the article's record; its id is the key when
// the record has none.
std::optional<schema::ArticleRecord> article_fields(const Xapian::Database& db, const std::string& key) {
  auto rec = schema::decode_article(db.get_metadata(std::string(schema::kMetaArticle) + key));
  if (rec && rec->id.empty()) rec->id = key;
  return rec;
}

// `field` cut to `max` code points (its bytes are at least as many).
void bound_for_hits(std::string& field, std::size_t max = Hit::kMaxField) {
  if (field.size() > max) field = base::clip(field, max);
}

// An article's record as its hits carry it (Hit::kMaxField, kMaxTags, kMaxTag): bounded whatever the article
// (at most some 60 KB: 32 tags of 256 code points, three fields of 2048; the id is at most 1 KB, the source
// file, which hits do not show, left out).
schema::ArticleRecord bounded_for_hits(schema::ArticleRecord r) {
  r.source.clear();
  bound_for_hits(r.title);
  bound_for_hits(r.url);
  bound_for_hits(r.author);
  if (r.tags.size() > Hit::kMaxTags) r.tags.resize(Hit::kMaxTags);
  for (auto& t : r.tags) bound_for_hits(t, Hit::kMaxTag);
  return r;
}

}  // namespace

struct Searcher::Impl {
  std::string path;
  OpenOptions open_options;
  searcher::ShardSet shards;
  Xapian::Database db;  // shards.all
  analyzers::GermanAnalyzer analyzer;
  searcher::QueryParser parser{analyzer};
  std::string uuid;  // of the index opened: a first import built in parallel puts a new one in its place

  // Sees the last commit (reopen() costs next to nothing when nothing changed). When the index was replaced
  // as a whole (a first import installs the merged index in place of the empty one), the tables open are
  // those of the old one: the index is opened anew.
  void refresh() {
    try {
      if (shards.reopen()) article_cache.clear();
      if (db.get_uuid() == uuid) return;
    } catch (const Xapian::DatabaseCorruptError&) {
    } catch (const Xapian::DatabaseOpeningError&) {
    }
    // Not index::open_for_read: a commit landing during the open (DatabaseModifiedError) must reach the caller's
    // retry loop, not become an error.
    if (shards.stub) {
      open();
      return;
    }
    article_cache.clear();
    db = Xapian::Database(path);
    shards.all = db;
    shards.each.front() = db;
    uuid = db.get_uuid();
  }

  void open() {
    article_cache.clear();
    shards = searcher::open_shards(path, open_options);
    db = shards.all;
    uuid = db.get_uuid();
  }

  // After a network error: the remote shards whose connection no longer answers are connected anew (a shard
  // server closes connections left idle beyond its idle timeout, 60 s by xapian-tcpsrv's default, and may
  // have been restarted), and the search can be run again. Those that cannot be reached are, with
  // allow_partial, left out (a warning each, in `warnings`); otherwise an IndexError names them. (The next
  // refresh() sees another set of shards than it opened, so it opens the stub anew: a shard that is back is
  // searched again, and one still gone is left out again with its warning.) After kMaxRetries tries
  // (`attempt`), or when no shard needed it, an IndexError says what failed (`doing`: "search in ", ...).
  void reconnect_shards(const Xapian::Error& error, int attempt, const std::string& doing,
                        std::vector<std::string>* warnings = nullptr) {
    if (attempt >= searcher::weights::kMaxRetries)
      throw IndexError(doing + path + " failed: " + error.get_description());
    searcher::ShardSet kept;
    kept.stub = true;
    kept.warnings = shards.warnings;
    std::vector<std::string> gone;
    bool reconnected = false;
    for (std::size_t i = 0; i < shards.each.size(); ++i) {
      Xapian::Database shard = shards.each[i];
      if (shards.remote[i]) try {
          shard.keep_alive();
        } catch (const Xapian::Error& e) {
          try {
            if (!shards.connect[i]) throw;
            shard = shards.connect[i]();
            reconnected = true;
          } catch (const Xapian::Error& again) {
            gone.push_back("shard " + shards.names[i] + " does not answer: " + again.get_msg());
            continue;
          }
        }
      kept.add(shard, shards.names[i], shards.remote[i], shards.connect[i]);
    }
    if (gone.empty() && !reconnected) throw IndexError(doing + path + " failed: " + error.get_description());
    if (!gone.empty() && (!open_options.allow_partial || kept.each.empty())) {
      std::string message = doing + path + " failed: ";
      for (std::size_t i = 0; i < gone.size(); ++i) message += (i ? "; " : "") + gone[i];
      throw IndexError(message);
    }
    for (auto& g : gone) {
      kept.warnings.push_back(g + "; searching without it");
      if (warnings) warnings->push_back(kept.warnings.back());
    }
    shards = std::move(kept);
    db = shards.all;
    article_cache.clear();
    prefetched.clear();
  }

  // The record of the article `key` as its hits carry it (bounded_for_hits), read from the shard of its
  // passage `docid` (each shard holds the records of its own articles).
  // Remembered until the index changes (refresh), as the next searches show many of the same articles again.
  std::optional<schema::ArticleRecord> article_fields_of(Xapian::docid docid, const std::string& key) {
    const std::size_t shard = shards.shard_of(docid);
    std::string cache_key = key;
    cache_key += '\0';
    cache_key += std::to_string(shard);
    if (const auto it = article_cache.find(cache_key); it != article_cache.end()) return it->second;
    auto record = article_fields(shards.each[shard], key);
    if (record) record = bounded_for_hits(std::move(*record));
    if (article_cache.size() >= kArticlesRemembered) article_cache.clear();
    article_cache.emplace(std::move(cache_key), record);
    return record;
  }
  // The article records read since the index last changed, by key and shard (bounded: emptied when full; a
  // record is some 60 KB at most, bounded_for_hits, mostly far less).
  static constexpr std::size_t kArticlesRemembered = 4096;
  std::unordered_map<std::string, std::optional<schema::ArticleRecord>> article_cache;

  // Whether any shard is remote. Xapian 1.4 sends a remote shard's posting lists whole and answers each
  // lookup and each document in an exchange of its own: there a search asks for its term frequencies
  // together (prefetch_frequencies), reranks from the candidates' texts, read from all shards at once
  // (reranked, ShardSet::documents), and reads the page from those documents.
  bool any_remote() const { return std::find(shards.remote.begin(), shards.remote.end(), true) != shards.remote.end(); }
  // The term frequencies of the search under way (cleared as each begins).
  searcher::TermFrequencies frequencies{db};
  // Reads `query_text` collecting the term frequencies it asks for, and looks them up together; again while
  // the answers lead the reading to terms it had not asked for (a compound the index holds of two words typed
  // apart asks for its own title, heading, part and typed-form terms), at most kFrequencyRounds times.
  static constexpr int kFrequencyRounds = 3;
  void prefetch_frequencies(std::string_view query_text, const SearchOptions& options) {
    struct Collecting {  // on for the collecting readings only, whatever they throw
      searcher::TermFrequencies& f;
      explicit Collecting(searcher::TermFrequencies& t) : f(t) { f.collect(true); }
      ~Collecting() { f.collect(false); }
    };
    for (int round = 0; round < kFrequencyRounds; ++round) {
      {
        Collecting on(frequencies);
        try {
          const searcher::ParsedQuery parsed = parser.parse(query_text, parse_options(options));
          spelling.unknown_words(parsed, &frequencies);
        } catch (const Error&) {  // (reading it for real says what is wrong)
        }
      }
      if (!frequencies.fetch_noted()) break;
    }
  }
  // The documents of the search under way fetched in batches (remote shards only; cleared as each run begins).
  std::unordered_map<Xapian::docid, Xapian::Document> prefetched;
  // Passages the last page made (page()) left out because their stored data or their article's record is
  // damaged (fundstelle check names them): told in a warning, not silently dropped.
  std::size_t damaged = 0;
  // Fetches the documents of `mset` not fetched yet, the shards at once (ShardSet::documents).
  void prefetch(const Xapian::MSet& mset) {
    std::vector<Xapian::docid> asked;
    for (auto it = mset.begin(); it != mset.end(); ++it)
      if (!prefetched.count(*it)) asked.push_back(*it);
    auto docs = shards.documents(asked);
    for (std::size_t i = 0; i < asked.size(); ++i) prefetched.emplace(asked[i], std::move(docs[i]));
  }
  // The passages of `mset` not in `seen` (which they join), reranked (searcher::rerank); over remote shards
  // from their texts (searcher::rerank_texts).
  std::vector<searcher::Candidate> reranked(const Xapian::MSet& mset, std::unordered_set<Xapian::docid>& seen,
                                            const searcher::ParsedQuery& parsed) {
    auto fresh = searcher::candidates_of(mset, seen);
    if (!any_remote()) return searcher::rerank(db, std::move(fresh), parsed);
    prefetch(mset);
    std::vector<std::string> texts;
    texts.reserve(fresh.size());
    for (const auto& c : fresh) {
      auto passage = schema::decode_passage(prefetched.at(c.docid).get_data());
      texts.push_back(passage ? std::move(passage->text) : std::string());
    }
    return searcher::rerank_texts(std::move(fresh), texts, parsed, analyzer);
  }
  // The document `docid` of this revision's match.
  Xapian::Document document(Xapian::docid docid) const {
    const auto it = prefetched.find(docid);
    return it != prefetched.end() ? it->second : db.get_document(docid, Xapian::DOC_ASSUME_VALID);
  }

  SearchResults search(std::string_view query_text, const searcher::ParsedQuery& parsed, const SearchOptions& options);
  SearchResults run(const searcher::ParsedQuery& parsed, const SearchOptions& options);
  SearchResults run_by_date(const searcher::ParsedQuery& parsed, const SearchOptions& options);
  searcher::ParseOptions parse_options(const SearchOptions& options);
  std::vector<Facet> facets(const searcher::ParsedQuery& parsed, const Xapian::Query& query,
                            const SearchOptions& options);
  std::vector<Hit> page(const std::vector<searcher::Candidate>& ranked, const SearchOptions& options,
                        std::size_t wanted, std::vector<std::size_t>& shown_at);
  void annotate(std::vector<Hit>& hits, const std::vector<searcher::Candidate>& ranked,
                const std::vector<std::size_t>& shown_at, const searcher::ParsedQuery& parsed,
                const Xapian::Query& query, const SearchOptions& options);
  searcher::SpellingCorrector spelling{db, analyzer, &shards};
};

Searcher::Searcher(const std::string& path, const OpenOptions& options) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->open_options = options;
  for (int attempt = 0;; ++attempt) {
    try {
      impl_->open();
      if (const auto origin = schema::index_origin(impl_->db); !impl_->shards.stub && !origin.ours())
        throw IndexError("the index at " + path + " was built by another version of Fundstelle (analyzer \"" +
                             origin.analyzer + "\")",
                         ErrorKind::ForeignIndex);
      return;
    } catch (const Xapian::DatabaseModifiedError& e) {
      // A writer committed twice while the index was being opened and its origin read (a server's thread
      // opening its searcher while articles are posted): opened again, as a search reads again.
      if (attempt >= searcher::weights::kMaxRetries)
        throw IndexError("cannot open the index at " + path + ": it keeps changing (" + e.get_msg() + ")");
      index::pause_after_commit(attempt);
    }
  }
}

Searcher::~Searcher() = default;

const std::vector<std::string>& Searcher::warnings() const { return impl_->shards.warnings; }

namespace {

// A passage as stored in its document's data, with its article's fields.
Hit make_hit(schema::PassageRecord&& p, const schema::ArticleRecord& article) {
  Hit h;
  h.article = article.id;
  h.title = article.title;
  h.url = article.url;
  h.published = article.published;
  h.kind = p.kind;
  h.tags = article.tags;
  if (p.kind == PassageKind::Comment) {
    h.author = std::move(p.author);
    bound_for_hits(h.author);
    h.comment_published = std::move(p.published);
  } else {
    h.author = article.author;
  }
  h.ordinal = p.ordinal;
  h.comment = p.comment;
  h.span = p.span;
  h.section = std::move(p.section);
  bound_for_hits(h.section);
  h.text = std::move(p.text);
  return h;
}

// Nothing if the stored passage is damaged.
std::optional<Hit> make_hit(const std::string& data, const schema::ArticleRecord& article) {
  auto p = schema::decode_passage(data);
  if (!p) return std::nullopt;
  return make_hit(std::move(*p), article);
}

// Which passages a page has shown: a passage is shown once, not again as the same text in another article (a
// paragraph repeated on many pages) nor as the second window over the same sentence of one paragraph.
class Shown {
 public:
  // Whether a passage with this text key (schema::kValueText; empty: none known) repeats a text shown: known
  // without reading the passage.
  bool repeats_key(const std::string& key) const { return !key.empty() && keys_.count(key); }
  bool repeats(const std::string& article, const schema::PassageRecord& p) const {
    if (texts_.count(p.text)) return true;
    const auto it = spans_.find(article);
    if (it == spans_.end()) return false;
    return std::any_of(it->second.begin(), it->second.end(), [&](const Place& q) {
      return q.kind == p.kind && q.comment == p.comment && q.span.begin < p.span.end && p.span.begin < q.span.end;
    });
  }
  void add(const std::string& article, const schema::PassageRecord& p) {
    keys_.insert(schema::text_key(p.text));
    texts_.insert(p.text);
    spans_[article].push_back(Place{p.kind, p.comment, p.span});
  }

 private:
  struct Place {
    PassageKind kind;
    std::size_t comment;
    Span span;
  };
  std::unordered_set<std::string> texts_, keys_;
  std::unordered_map<std::string, std::vector<Place>> spans_;
};

}  // namespace

searcher::ParseOptions Searcher::Impl::parse_options(const SearchOptions& options) {
  searcher::ParseOptions p;
  p.expand_prefix = [this](const std::string& prefix) { return searcher::expand_prefix(db, analyzer, prefix); };
  p.term_frequency = [this](const std::string& term) { return frequencies(term); };
  p.compound_parts = !options.exact;
  p.drop_stopwords = !options.exact;
  p.synonyms = options.exact || options.synonyms == SynonymMode::None ? analyzers::SynonymSource::None
               : options.synonyms == SynonymMode::All                 ? analyzers::SynonymSource::All
                                                                      : analyzers::SynonymSource::Domain;
  return p;
}

namespace {

// The query with the search options' filters: the passage kind, the publication dates, authors and tags.
Xapian::Query filtered(const Xapian::Query& query, const SearchOptions& options, analyzers::GermanAnalyzer& analyzer) {
  Xapian::Query out = query;
  // Any of the authors; every tag. (A name that normalizes to nothing matches nothing.)
  const auto term = [&](std::string_view prefix, const std::string& name) {
    return Xapian::Query(std::string(prefix) + analyzer.normalize(name));
  };
  if (!options.authors.empty()) {
    std::vector<Xapian::Query> any;
    for (const auto& a : options.authors) any.push_back(term(schema::kAuthor, a));
    out = Xapian::Query(Xapian::Query::OP_FILTER, out, Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end()));
  }
  for (const auto& t : options.tags) out = Xapian::Query(Xapian::Query::OP_FILTER, out, term(schema::kTag, t));
  if (options.kind)
    out = Xapian::Query(Xapian::Query::OP_FILTER, out,
                        Xapian::Query(std::string(schema::kKind) + to_string(*options.kind)));
  if (!options.published_from.empty() || !options.published_to.empty()) {
    // The value holds the date as written (ISO 8601), which sorts as a string; "2025-03-22" as an upper
    // bound must include "2025-03-22T10:15:00", hence the high character after it.
    const std::string lo = options.published_from.empty() ? std::string("0") : options.published_from;
    const std::string hi = options.published_to.empty() ? std::string("\xff") : options.published_to + "\xff";
    out = Xapian::Query(Xapian::Query::OP_FILTER, out,
                        Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kValuePublished, lo, hi));
  }
  return out;
}

// The article key of each candidate, for the per-article cap: read from its document while the walk over
// the candidates is short (a dozen for a first page, usually); once it has passed over many passages of a
// few articles or of one repeated text, every candidate's article and text key (schema::kValueText) are read
// in one sweep of each value stream in document order, as one value at a time costs a lookup each.
class ArticleKeys {
 public:
  // Without `sweep` (remote shards, whose documents come with their values) always from the document.
  ArticleKeys(const Xapian::Database& db, const std::vector<searcher::Candidate>& ranked, std::size_t wanted,
              bool sweep)
      : db_(db), ranked_(ranked), wanted_(wanted), sweep_(sweep) {}

  // The key of candidate `i`, whose document is `doc`.
  std::string of(std::size_t i, const Xapian::Document& doc) {
    if (!keys_.empty()) return keys_[i];
    if (!sweep_ || ++read_ <= 2 * wanted_ + 10) return doc.get_value(schema::kValueArticle);
    std::vector<std::size_t> order(ranked_.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return ranked_[a].docid < ranked_[b].docid; });
    keys_ = sweep(order, schema::kValueArticle);
    texts_ = sweep(order, schema::kValueText);
    return keys_[i];
  }

  // The text key of candidate `i`, whose document is `doc`, once the sweep has read them or without the sweep
  // (empty before, and for a passage written without one).
  std::string text_of(std::size_t i, const Xapian::Document& doc) const {
    if (!sweep_) return doc.get_value(schema::kValueText);
    return texts_.empty() ? std::string() : texts_[i];
  }

 private:
  std::vector<std::string> sweep(const std::vector<std::size_t>& order, Xapian::valueno slot) const {
    std::vector<std::string> out(ranked_.size());
    auto v = db_.valuestream_begin(slot);
    const auto v_end = db_.valuestream_end(slot);
    for (const std::size_t k : order) {
      if (v == v_end) break;
      v.skip_to(ranked_[k].docid);
      if (v != v_end && v.get_docid() == ranked_[k].docid) out[k] = *v;
    }
    return out;
  }

  const Xapian::Database& db_;
  const std::vector<searcher::Candidate>& ranked_;
  std::size_t wanted_, read_ = 0;
  bool sweep_;
  std::vector<std::string> keys_, texts_;
};

// How many passages of one text a deeper tier keeps (schema::kValueText): the page shows the text once, from
// the first of them whose article the per-article cap has not filled; one more than the cap (at most 9)
// lets it through unless its best copies all sit in articles already full (then that text is not shown from
// a further article: the price of not reading hundreds of copies).
Xapian::doccount repeats_kept(const SearchOptions& options) {
  return static_cast<Xapian::doccount>(std::min<std::size_t>(options.per_article, 8) + 1);
}

}  // namespace

// Sorted by date (SearchOptions::sort): the passages that hold every concept of the query and have a date, by
// their article's date (as written: ISO 8601 sorts as text), then by BM25; the per-article cap and the
// repeated texts are left out as for relevance, the pool growing while the page is short.
SearchResults Searcher::Impl::run_by_date(const searcher::ParsedQuery& parsed, const SearchOptions& options) {
  using searcher::weights::kCandidateGrowth;
  const Xapian::Query query = filtered(parsed.query, options, analyzer);
  Xapian::Query qualify(Xapian::Query::OP_FILTER, query,
                        Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kValuePublished, std::string("0")));
  if (parsed.concepts.size() >= 2)
    qualify = Xapian::Query(Xapian::Query::OP_FILTER, qualify, searcher::every_concept(parsed));
  Xapian::Enquire e(db);
  e.set_query(qualify);
  e.set_weighting_scheme(Xapian::BM25Weight());
  e.set_sort_by_value_then_relevance(schema::kValuePublished, options.sort == SortOrder::Newest);
  // The time limit is the whole search's: each growth round of the pool gets what is left of it, and once it
  // is spent the page is what the last round found.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(options.time_limit);
  const std::size_t wanted = std::min<std::size_t>(options.offset, 1u << 20) +
                             std::min<std::size_t>(options.limit, 1u << 20);
  const std::size_t all = std::size_t{db.get_doccount()} + 1;
  prefetched.clear();
  SearchResults out;
  std::vector<searcher::Candidate> sorted;
  std::vector<std::size_t> shown_at;
  for (std::size_t fetched = std::min(std::max<std::size_t>(2 * wanted, 20), all);;
       fetched = std::min(fetched * kCandidateGrowth, all)) {
    bool last_round = false;
    if (options.time_limit > 0) {
      const double left = std::chrono::duration<double>(deadline - std::chrono::steady_clock::now()).count();
      last_round = left <= 0.001;
      e.set_time_limit(std::max(left, 0.001));
    }
    const Xapian::MSet mset = e.get_mset(0, static_cast<Xapian::doccount>(fetched));
    sorted.clear();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      searcher::Candidate c;
      c.docid = *it;
      c.bm25 = c.score = it.get_weight();
      sorted.push_back(std::move(c));
    }
    out = SearchResults{};
    if (any_remote()) prefetch(mset);
    out.hits = page(sorted, options, wanted, shown_at);
    out.total_estimate = mset.get_matches_estimated();
    if (out.hits.size() >= options.limit || mset.size() < fetched || fetched >= all || last_round) break;
  }
  annotate(out.hits, sorted, shown_at, parsed, query, options);
  for (const auto& ex : parsed.expansions) out.expansions.push_back(Expansion{ex.word, ex.synonyms, ex.kind});
  out.facets = facets(parsed, query, options);
  return out;
}

SearchResults Searcher::Impl::run(const searcher::ParsedQuery& parsed, const SearchOptions& options) {
  if (options.sort != SortOrder::Relevance) return run_by_date(parsed, options);
  using searcher::weights::kCandidateGrowth;
  using searcher::weights::kFirstCandidates;
  const Xapian::Query query = filtered(parsed.query, options, analyzer);
  // (Saturated: a huge offset or limit asks for every passage, not for an overflowed count.)
  const std::size_t wanted = std::min<std::size_t>(options.offset, 1u << 20) +
                             std::min<std::size_t>(options.limit, 1u << 20);
  const std::size_t all = std::size_t{db.get_doccount()} + 1;
  prefetched.clear();

  const auto enquire = [&](const Xapian::Query& q) {
    Xapian::Enquire e(db);
    e.set_query(q);
    e.set_weighting_scheme(Xapian::BM25Weight());
    if (options.time_limit > 0) e.set_time_limit(options.time_limit);
    return e;
  };
  Xapian::Enquire bm25 = enquire(query);

  // The candidates come in tiers, each reranked on its own and ranked after the tiers before it, so the
  // order of results is one list whatever the page asked for: a first page is the same with --limit 10 or
  // 200, and pages continue each other. The first tier is the best kFirstCandidates passages by BM25 and, for
  // a query of two or more concepts, the best kFirstCandidates of those that cover every concept (which BM25
  // alone may rank far below: parts of a compound, a rare word beside frequent ones). While the page is short
  // (the per-article cap, repeated texts) and more passages match, the next tier is the next BM25 ranks, each
  // kCandidateGrowth times as deep as the ones before. The rerank reads word positions from the index (no
  // text to analyse per candidate; over remote shards it analyses their texts, see reranked()); the article
  // key, the text and its analysis for highlights are read for the passages shown only (and those the cap
  // passes over).
  std::unordered_set<Xapian::docid> seen;
  std::vector<std::size_t> shown_at;
  // The page found in `candidates`, with its highlights and explanations, and what the whole result says.
  const auto finish = [&](SearchResults& out, const std::vector<searcher::Candidate>& candidates,
                          Xapian::doccount estimate) {
    annotate(out.hits, candidates, shown_at, parsed, query, options);
    out.total_estimate = estimate;
    for (const auto& e : parsed.expansions) out.expansions.push_back(Expansion{e.word, e.synonyms, e.kind});
    out.facets = facets(parsed, query, options);
  };
  // Coverage first. The rerank puts the passages that cover every concept before all others, and each one
  // of the first tier's BM25 passages that does is among the best kFirstCandidates of them (its rank among
  // them is no worse than its rank in the tier). So when those fill the page, nothing else of the first tier
  // could be on it: the OR of the concepts is then only estimated (Xapian's estimate from its posting lists,
  // without a match), not evaluated. These passages collapse a repeated text as the deeper tiers do (below):
  // few passages hold every concept, so reading each one's text key costs little, and a text repeated on
  // hundreds of pages (a help page's frame line) no longer fills the tier with one hit's copies (the slowest
  // queries were those; bench/README.md).
  std::vector<searcher::Candidate> covering;
  // The texts of which that tier kept repeats_kept copies (perhaps of more): their further copies are not
  // taken from the first BM25 tier either, or they would be candidates only when the coverage-first tier
  // leaves the page short, and a first page would depend on its size.
  std::unordered_set<std::string> collapsed;
  if (parsed.concepts.size() >= 2) {
    Xapian::Enquire all_concepts =
        enquire(Xapian::Query(Xapian::Query::OP_FILTER, query, searcher::every_concept(parsed)));
    all_concepts.set_collapse_key(schema::kValueText, repeats_kept(options));
    const Xapian::MSet every = all_concepts.get_mset(0, static_cast<Xapian::doccount>(kFirstCandidates));
    std::unordered_map<std::string, Xapian::doccount> copies;
    for (auto it = every.begin(); it != every.end(); ++it) ++copies[it.get_collapse_key()];
    for (const auto& [text, n] : copies)
      if (!text.empty() && n >= repeats_kept(options)) collapsed.insert(text);
    covering = reranked(every, seen, parsed);
    if (covering.size() >= wanted) {  // (fewer cannot fill it)
      SearchResults out;
      out.hits = page(covering, options, wanted, shown_at);
      if (out.hits.size() >= options.limit) {
        finish(out, covering,
               std::max<Xapian::doccount>(bm25.get_mset(0, 0).get_matches_estimated(), every.get_matches_estimated()));
        return out;
      }
    }
  }
  std::size_t fetched = std::min(kFirstCandidates, all);
  Xapian::MSet mset = bm25.get_mset(0, static_cast<Xapian::doccount>(fetched));
  const Xapian::doccount estimate = mset.get_matches_estimated();
  std::vector<searcher::Candidate> ranked;
  {
    auto others = reranked(mset, seen, parsed);
    if (!collapsed.empty())
      std::erase_if(others, [&](const searcher::Candidate& c) {
        return collapsed.count(document(c.docid).get_value(schema::kValueText)) > 0;
      });
    ranked.reserve(others.size() + covering.size());
    std::merge(covering.begin(), covering.end(), others.begin(), others.end(), std::back_inserter(ranked),
               searcher::ranks_before);
  }
  bool every_match = mset.size() < fetched || fetched >= all;
  std::optional<Xapian::Enquire> distinct;
  SearchResults out;
  for (;;) {
    out = SearchResults{};
    out.hits = page(ranked, options, wanted, shown_at);
    if (out.hits.size() >= options.limit || every_match) break;
    const std::size_t next = std::min(fetched * kCandidateGrowth, all);
    // The deeper tiers: a text many passages repeat (a paragraph on every page of a site, the usual reason the
    // first tier left the page short) is a few candidates there, the best of its passages (repeats_kept). (Not
    // in the first tier: collapsing reads a value for every passage the matcher weighs, which costs more
    // there than the repeats it saves.) The passages of the tiers before are among the `next`, passed over.
    if (!distinct) {
      distinct = enquire(query);
      distinct->set_collapse_key(schema::kValueText, repeats_kept(options));
    }
    mset = distinct->get_mset(0, static_cast<Xapian::doccount>(next));
    every_match = mset.size() < next || next >= all;
    fetched = next;
    auto deeper = reranked(mset, seen, parsed);
    ranked.insert(ranked.end(), deeper.begin(), deeper.end());
  }
  finish(out, ranked, estimate);
  return out;
}

namespace {

constexpr const char* kFacetNames[] = {"author", "tag", "month", "year"};

// The values of one facet, most frequent first (months and years: newest first), at most `limit` (0: all).
std::vector<FacetValue> top_values(std::vector<FacetValue> values, bool by_date, std::size_t limit) {
  std::sort(values.begin(), values.end(), [&](const FacetValue& a, const FacetValue& b) {
    if (by_date) return a.value > b.value;
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  if (limit && values.size() > limit) values.resize(limit);
  return values;
}

}  // namespace

// The facet counts asked for, over the passages that qualify as for a date sort (those of the filtered query
// that hold every concept of it), counted by Xapian's ValueCountMatchSpy in one match over all of them (which
// remote shards run too): an author from its value; a tag from the article's list of tags, a month and a year
// from the date, each value of those slots counting for all it holds. Authors and tags written differently
// (case, accents) are one value, shown as most of their passages write it.
std::vector<Facet> Searcher::Impl::facets(const searcher::ParsedQuery& parsed, const Xapian::Query& query,
                                          const SearchOptions& options) {
  if (options.facets.empty()) return {};
  Xapian::Query qualify = query;
  if (parsed.concepts.size() >= 2)
    qualify = Xapian::Query(Xapian::Query::OP_FILTER, qualify, searcher::every_concept(parsed));
  Xapian::Enquire e(db);
  e.set_query(qualify);
  e.set_weighting_scheme(Xapian::BoolWeight());
  if (options.time_limit > 0) e.set_time_limit(options.time_limit);
  const auto slot_of = [](const std::string& name) {
    return name == "author" ? schema::kValueAuthor : name == "tag" ? schema::kValueTags : schema::kValuePublished;
  };
  std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
  std::vector<Xapian::valueno> slots;
  for (const auto& name : options.facets) {
    const Xapian::valueno slot = slot_of(name);
    if (std::find(slots.begin(), slots.end(), slot) != slots.end()) continue;
    slots.push_back(slot);
    spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(slot));
    e.add_matchspy(spies.back().get());
  }
  const Xapian::MSet mset = e.get_mset(0, 0, db.get_doccount());
  std::vector<Facet> out;
  for (const auto& name : options.facets) {
    const auto& spy =
        *spies[static_cast<std::size_t>(std::find(slots.begin(), slots.end(), slot_of(name)) - slots.begin())];
    Facet f;
    f.name = name;
    f.passages = mset.get_matches_estimated();
    // value -> (count, the forms written and how often)
    std::map<std::string, std::pair<std::size_t, std::map<std::string, std::size_t>>> merged;
    const auto add = [&](const std::string& key, const std::string& shown, std::size_t n) {
      auto& m = merged[key];
      m.first += n;
      m.second[shown] += n;
    };
    for (auto v = spy.values_begin(); v != spy.values_end(); ++v) {
      const std::string value = *v;
      const std::size_t n = v.get_termfreq();
      if (name == "author") {
        add(analyzer.normalize(value), value, n);
      } else if (name == "tag") {
        std::set<std::string> once;  // a tag listed twice by one article counts once
        for (auto& t : schema::split_tags(value))
          if (once.insert(analyzer.normalize(t)).second) add(analyzer.normalize(t), t, n);
      } else {
        const std::size_t size = name == "month" ? 7 : 4;
        if (value.size() >= size) add(value.substr(0, size), value.substr(0, size), n);
      }
    }
    for (auto& [key, m] : merged) {
      if (key.empty()) continue;
      const auto shown = std::max_element(m.second.begin(), m.second.end(),
                                          [](const auto& a, const auto& b) { return a.second < b.second; });
      f.values.push_back(FacetValue{shown->first, m.first});
    }
    f.values = top_values(std::move(f.values), name == "month" || name == "year", options.facet_limit);
    out.push_back(std::move(f));
  }
  return out;
}

// The hits of the page asked for: the reranked candidates in order, past options.offset, up to options.limit;
// each with its text and article fields, and its place in `ranked` in `shown_at` (annotate() adds highlights
// and explanations to the page finally shown, not to those a short page made the caller grow). The per-article cap
// (options.per_article) leaves out further passages of an article, except that for a query of two or more concepts a
// passage with every concept is demoted rather than dropped: it waits for the end of the passages with every concept
// and comes before those with fewer. When the cap leaves the page short, the caller grows the pool.
std::vector<Hit> Searcher::Impl::page(const std::vector<searcher::Candidate>& ranked, const SearchOptions& options,
                                      std::size_t wanted, std::vector<std::size_t>& shown_at) {
  std::vector<Hit> hits;
  shown_at.clear();
  ArticleKeys keys(db, ranked, wanted, !any_remote());
  std::unordered_map<std::string, std::size_t> per_article;
  std::unordered_map<std::string, std::optional<schema::ArticleRecord>> articles;
  Shown shown;
  std::size_t position = 0;
  damaged = 0;  // (a search may make its page more than once, from tier to tier: the last one is shown)
  // Shows candidate `i` unless it repeats a text shown or is damaged; false when the cap (if `capped`) defers it.
  const auto take = [&](std::size_t i, bool capped) {
    const searcher::Candidate& c = ranked[i];
    // The docid comes from this revision's match: no need to check that the document exists.
    const Xapian::Document doc = document(c.docid);
    const std::string article = keys.of(i, doc);
    std::size_t& of_article = per_article[article];
    // (The cap before the text: a passage over it is not read. One deferred that repeats a text shown is
    // left out when it is taken.)
    if (capped && options.per_article && of_article >= options.per_article) return false;
    if (shown.repeats_key(keys.text_of(i, doc))) return true;
    auto passage = schema::decode_passage(doc.get_data());
    if (!passage) {  // damaged stored data: not shown
      ++damaged;
      return true;
    }
    if (shown.repeats(article, *passage)) return true;
    ++of_article;
    shown.add(article, *passage);
    if (++position <= options.offset) return true;
    auto fields = articles.find(article);
    if (fields == articles.end()) fields = articles.emplace(article, article_fields_of(c.docid, article)).first;
    if (!fields->second) {  // damaged article record: not shown
      --position;
      ++damaged;
      return true;
    }
    Hit h = make_hit(std::move(*passage), *fields->second);
    h.rank = position;
    h.score = c.score;
    hits.push_back(std::move(h));
    shown_at.push_back(i);
    return true;
  };
  const auto every = [&](std::size_t i) {
    return ranked[i].features.concepts >= 2 && ranked[i].features.covered == ranked[i].features.concepts;
  };
  std::vector<std::size_t> deferred;  // passages with every concept over the cap
  for (std::size_t i = 0; i < ranked.size() && hits.size() < options.limit; ++i) {
    if (i > 0 && every(i - 1) && !every(i))
      for (std::size_t k = 0; k < deferred.size() && hits.size() < options.limit; ++k) take(deferred[k], false);
    if (hits.size() < options.limit && !take(i, true) && every(i)) deferred.push_back(i);
  }
  return hits;
}

// The explanation of each hit (with --explain), and its highlights (searcher::highlights), from the positions
// the rerank read, else (a passage without two concepts) from the index, read in document order as posting
// lists run; with remote shards from the analysed text instead.
void Searcher::Impl::annotate(std::vector<Hit>& hits, const std::vector<searcher::Candidate>& ranked,
                              const std::vector<std::size_t>& shown_at, const searcher::ParsedQuery& parsed,
                              const Xapian::Query& query, const SearchOptions& options) {
  if (options.explain)
    for (std::size_t i = 0; i < hits.size(); ++i) {
      const auto& c = ranked[shown_at[i]];
      hits[i].explanation = searcher::explain(db, c.docid, c.bm25, c.features, parsed, query, hits[i].article);
    }
  std::vector<std::size_t> unread;  // hits whose candidate has no positions
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const auto& c = ranked[shown_at[i]];
    if (!c.features.highlights.empty()) hits[i].highlights = c.features.highlights;  // (reranked from the text)
    else if (!c.positions.empty())
      hits[i].highlights = searcher::highlights(parsed, analyzer, hits[i].text, c.positions);
    else unread.push_back(i);
  }
  if (unread.empty()) return;
  // Xapian 1.4 sends a remote shard's posting lists whole: there, analysing the few texts shown costs less.
  if (std::find(shards.remote.begin(), shards.remote.end(), true) != shards.remote.end()) {
    for (const std::size_t i : unread)
      hits[i].highlights = searcher::passage_features(parsed, analyzer.analyze(hits[i].text)).highlights;
    return;
  }
  std::sort(unread.begin(), unread.end(),
            [&](std::size_t a, std::size_t b) { return ranked[shown_at[a]].docid < ranked[shown_at[b]].docid; });
  searcher::PositionReader reader(db, searcher::highlight_terms(parsed));
  searcher::TermPositions positions;
  for (const std::size_t i : unread) {
    reader.read(ranked[shown_at[i]].docid, positions, true);
    hits[i].highlights = searcher::highlights(parsed, analyzer, hits[i].text, searcher::positions_of(positions));
  }
}

using searcher::weights::kMaxRetries;

namespace {

// The options with their date bounds in the ISO form the index compares (SearchOptions::published_from), and
// their facet names checked.
SearchOptions validated(const SearchOptions& options) {
  SearchOptions out = options;
  for (auto [text, name, side] : {std::tuple{&out.published_from, "published_from", base::DateSide::From},
                                  {&out.published_to, "published_to", base::DateSide::To}}) {
    if (text->empty()) continue;
    const auto bound = base::date_bound(*text, side);
    if (!bound)
      throw Error(std::string(name) + " \"" + *text + "\" is not a date (" + base::kDateForms + ")",
                  ErrorKind::BadInput);
    *text = *bound;
  }
  for (const auto& name : out.facets)
    if (std::find(std::begin(kFacetNames), std::end(kFacetNames), name) == std::end(kFacetNames))
      throw Error("unknown facet \"" + name + "\" (facets: author, tag, month, year)", ErrorKind::BadInput);
  if (base::ends_before_it_begins(out.published_from, out.published_to))
    throw Error("published_to (" + out.published_to + ") is before published_from (" + out.published_from +
                    "): the date range holds no day",
                ErrorKind::BadInput);
  return out;
}

}  // namespace

SearchResults Searcher::search(std::string_view query_text, const SearchOptions& asked) {
  Impl& m = *impl_;
  const SearchOptions options = validated(asked);
  std::vector<std::string> warnings;  // shards left out during this search
  for (int attempt = 0;; ++attempt) {
    try {
      m.refresh();
      m.frequencies.clear();
      if (m.any_remote()) m.prefetch_frequencies(query_text, options);
      // Parsed here, as wildcards are expanded from the index.
      const searcher::ParsedQuery parsed = m.parser.parse(query_text, m.parse_options(options));
      SearchResults out = m.search(query_text, parsed, options);
      m.prefetched.clear();  // (documents of shards that may be left out or reopened before the next search)
      out.warnings = std::move(warnings);
      if (m.damaged)
        out.warnings.push_back(std::to_string(m.damaged) +
                               (m.damaged == 1 ? " matching passage was" : " matching passages were") +
                               " left out: its stored data or its article's record is damaged (fundstelle check "
                               "names them; index their articles again to mend them)");
      if (m.db.get_doccount() == 0 && index::first_import_kept(m.path))
        out.warnings.push_back(index::kFirstImportKeptNote);
      return out;
    } catch (const Xapian::NetworkError& e) {  // a remote shard went away (or timed out)
      m.reconnect_shards(e, attempt, "search in ", &warnings);
    } catch (const Xapian::DatabaseModifiedError&) {
      // A writer committed twice while this search read: read again from the new revision, backing off a
      // little (at most about a second in all) so that a burst of commits can pass.
      m.article_cache.clear();
      if (attempt >= kMaxRetries)
        throw IndexError("the index at " + m.path + " keeps changing under the search; try again");
      index::pause_after_commit(attempt);
    } catch (const Xapian::Error& e) {
      m.article_cache.clear();
      throw IndexError("search in " + m.path + " failed: " + e.get_description());
    }
  }
}

SearchResults Searcher::Impl::search(std::string_view query_text, const searcher::ParsedQuery& parsed,
                                     const SearchOptions& options) {
  Impl& m = *this;
  // What the search did with the words typed: those left out, and those the index holds nowhere (looked up
  // once, for the report and for the spelling correction).
  const auto report = [](SearchResults& r, const searcher::ParsedQuery& q, const auto& unknown) {
    r.ignored = q.ignored;
    for (const searcher::QueryWord* w : unknown) r.unknown.push_back(w->text);
  };
  const auto unknown = m.spelling.unknown_words(parsed, &m.frequencies);
  const auto as_typed = [&] {
    SearchResults out = m.run(parsed, options);
    report(out, parsed, unknown);
    return out;
  };
  if (options.exact) return as_typed();
  // Each word the index does not know is corrected on its own (within its edit budget), also when the other
  // words find passages: a misspelt word is never dropped silently from an OR of the words.
  // A correction not sure enough to make without asking (a capitalised word that may be a name the index
  // does not hold) is only suggested, unless another word's correction is made.
  const double seconds = options.time_limit > 0 ? std::min(options.time_limit, searcher::weights::kMaxCorrectionSeconds)
                                                : searcher::weights::kMaxCorrectionSeconds;
  auto [sure, all] = m.spelling.correct(
      query_text, unknown, &m.frequencies,
      std::chrono::steady_clock::now() +
          std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds)));
  if (!sure.changed) {
    SearchResults out = as_typed();
    if (all.changed) {
      out.suggestion = std::move(all.query);
      out.corrections = std::move(all.corrections);
    }
    return out;
  }
  // The corrected query is searched first: what was asked is searched too only when it finds nothing (then
  // the answer is what was asked, and a hint), not every time only to be put aside.
  const std::string suggestion = sure.query;
  if (m.any_remote()) m.prefetch_frequencies(suggestion, options);
  const searcher::ParsedQuery better = m.parser.parse(suggestion, m.parse_options(options));
  SearchResults corrected = m.run(better, options);
  // (Found nothing at all: a page past the end of what it found is still its page, not a reason to go back
  // to the words as typed.)
  if (corrected.hits.empty() && corrected.total_estimate == 0) {
    SearchResults out = as_typed();
    out.suggestion = suggestion;
    out.corrections = std::move(sure.corrections);
    return out;
  }
  report(corrected, better, m.spelling.unknown_words(better, &m.frequencies));
  corrected.suggestion = suggestion;
  corrected.corrected = true;
  corrected.corrections = std::move(sure.corrections);
  return corrected;
}

std::vector<Suggestion> Searcher::suggest(std::string_view typed, std::size_t limit) {
  Impl& m = *impl_;
  for (int attempt = 0;; ++attempt) {
    try {
      m.refresh();
      return searcher::suggest(m.db, m.analyzer, typed, limit);
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt >= kMaxRetries) throw IndexError("the index at " + m.path + " keeps changing; try again");
    } catch (const Xapian::NetworkError& e) {  // (shards left out with allow_partial: the next search warns)
      m.reconnect_shards(e, attempt, "reading the index at ");
    } catch (const Xapian::Error& e) {
      throw IndexError("reading the index at " + m.path + " failed: " + e.get_description());
    }
  }
}

std::optional<StoredArticle> Searcher::article(const std::string& id) {
  Impl& m = *impl_;
  for (int attempt = 0;; ++attempt) {
    try {
      m.refresh();
      const std::string key = schema::article_key(id);
      const std::string term = std::string(schema::kArticle) + key;
      auto it = m.db.postlist_begin(term);
      if (it == m.db.postlist_end(term)) return std::nullopt;
      // The article's fields whole, once; its passages carry only its id and author (bounded as in every hit),
      // so that an article of thousands of passages is not thousands of copies of its title and tags.
      const auto whole = article_fields(m.shards.each[m.shards.shard_of(*it)], key);
      if (!whole) return std::nullopt;
      schema::ArticleRecord of_passages;
      of_passages.id = whole->id;
      of_passages.author = whole->author;
      bound_for_hits(of_passages.author);
      std::vector<Hit> passages;
      for (; it != m.db.postlist_end(term); ++it)
        if (auto hit = make_hit(m.db.get_document(*it).get_data(), of_passages)) passages.push_back(std::move(*hit));
      if (passages.empty()) return std::nullopt;
      std::sort(passages.begin(), passages.end(), [](const Hit& a, const Hit& b) { return a.ordinal < b.ordinal; });
      StoredArticle a;
      a.id = whole->id;
      a.title = whole->title;
      a.url = whole->url;
      a.published = whole->published;
      a.author = whole->author;
      a.tags = whole->tags;
      a.passages = std::move(passages);
      return a;
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt >= kMaxRetries) throw IndexError("the index at " + m.path + " keeps changing; try again");
    } catch (const Xapian::NetworkError& e) {  // (shards left out with allow_partial: the next search warns)
      m.reconnect_shards(e, attempt, "reading the index at ");
    } catch (const Xapian::Error& e) {
      throw IndexError("reading the index at " + m.path + " failed: " + e.get_description());
    }
  }
}

IndexStats Searcher::stats() {
  Impl& m = *impl_;
  try {
    m.refresh();
    IndexStats s;
    s.passages = m.db.get_doccount();
    s.shards = m.shards.each.size();
    for (std::size_t i = 0; i < m.shards.each.size(); ++i) {
      const Xapian::Database& shard = m.shards.each[i];
      s.articles += schema::article_count(shard);
      s.last_commit = std::max(s.last_commit, shard.get_metadata(std::string(schema::kMetaCommitted)));
      s.revision += shard.get_revision();
      if (!m.shards.remote[i]) s.bytes += schema::index_bytes(m.shards.names[i]);
    }
    return s;
  } catch (const Xapian::Error& e) {
    throw IndexError("reading the index at " + m.path + " failed: " + e.get_description());
  }
}

std::vector<std::string> Searcher::source_folders() {
  Impl& m = *impl_;
  try {
    m.refresh();
    return schema::source_folders(m.shards.each);
  } catch (const Xapian::Error& e) {
    throw IndexError("reading the index at " + m.path + " failed: " + e.get_description());
  }
}

ExportReport Searcher::export_articles(const std::function<void(std::string_view line)>& write) {
  Impl& m = *impl_;
  try {
    m.refresh();
    ExportReport report;
    const std::string prefix(schema::kMetaArticle);
    for (const Xapian::Database& shard : m.shards.each) {
      for (auto it = shard.metadata_keys_begin(prefix); it != shard.metadata_keys_end(prefix); ++it) {
        const std::string key = (*it).substr(prefix.size());
        const auto line = index::stored_feed_line(shard, key);
        if (!line) {
          const auto rec = article_fields(shard, key);
          const bool kept = !shard.get_metadata(std::string(schema::kMetaText) + key).empty();
          (kept ? report.damaged : report.without_text).push_back(rec ? rec->id : key);
          continue;
        }
        write(*line);
        ++report.articles;
      }
    }
    return report;
  } catch (const Xapian::DatabaseModifiedError&) {
    throw IndexError("the index at " + m.path + " changed too much while it was exported; run the export again",
                     ErrorKind::Locked);
  } catch (const Xapian::Error& e) {
    throw IndexError("reading the index at " + m.path + " failed: " + e.get_description());
  }
}

}  // namespace fundstelle
