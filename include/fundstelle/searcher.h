// Searching an index for passages.
//
// Thread safety: a Searcher is not thread-safe; give each thread its own (they are cheap to open) and search
// from as many threads at once as you like (tested under ThreadSanitizer). Each search sees the index as of
// the last commit, also of commits made after the Searcher was opened; a search that races a commit is
// retried on the new revision.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fundstelle/export.h"
#include "fundstelle/passage.h"

namespace fundstelle {

// Where query words find synonyms to search as well (at a lower weight than the words typed).
enum class SynonymMode {
  None,    // no synonyms
  Domain,  // the project's domain synonym file (business, car and technology news)
  All,     // the domain file and OpenThesaurus (unambiguous words only)
};

// The order of the results.
enum class SortOrder {
  Relevance,  // the best passages first (the default)
  Newest,     // the passages that qualify (below), newest article first
  Oldest,     // the same, oldest first
};

struct SearchOptions {
  std::size_t limit = 10;
  std::size_t offset = 0;
  std::optional<PassageKind> kind;  // only passages of this kind
  std::size_t per_article = 2;      // at most this many passages of one article per result list (0: no limit)
  // Exactly the words typed: no synonyms, no compound parts near each other, no words joined into a compound
  // or a compound respelled, no noun in its other number, no spelling correction, no stopword left out. (A word still
  // finds the compounds it is part of: that is how the index is built.)
  bool exact = false;
  SynonymMode synonyms = SynonymMode::Domain;
  bool explain = false;  // fill Hit::explanation (costs a few small searches per hit)
  // Only passages of articles published in this range, inclusive: 2025 (the whole year), 2025-01, 2025-01-10,
  // an ISO 8601 date-time, German 10.01.2025 or 1.1.25, today/heute, yesterday/gestern, 7d (seven days
  // ago). A day takes in all its times; dates compare as written in the articles (their own time zone).
  // Empty: no bound. Articles without a date are left out as soon as either bound is set. A bound that is
  // none of these, or a range that ends before it begins, is an Error of kind BadInput.
  std::string published_from, published_to;
  // Only passages by one of these authors (a comment's own author for a comment), and of articles with each of
  // these tags; whole names and tags, their case does not matter ("anna meier" finds "Anna Meier").
  std::vector<std::string> authors;
  std::vector<std::string> tags;
  // Facet counts to return (SearchResults::facets), in this order: "author", "tag", "month" (of the article's
  // date, 2025-01), "year". Any other name is an Error of kind BadInput.
  std::vector<std::string> facets;
  std::size_t facet_limit = 10;  // values per facet, the most frequent first (0: all)
  // Seconds the matcher may spend (0: no limit); when it is up, the best passages found so far are ranked.
  double time_limit = 0;
  // By date, relevance still decides which passages qualify: those that hold every concept of the query (a
  // passage with one word of three does not), and have a date; among passages of one date, the better first.
  SortOrder sort = SortOrder::Relevance;
};

// Why a passage ranks where it does.
struct TermWeight {
  std::string term;   // the index term (a stem; for exact forms the unstemmed word)
  std::string kind;   // "word", "exact form", "compound part", "title"
  double weight = 0;  // its BM25 weight in this passage, scaled by `factor`
  double factor = 1;  // the query's scale for it (title, part, exact form, synonym: below 1)
};

struct Explanation {
  double bm25 = 0;           // Xapian's BM25 weight of the whole query (the sum of the term weights)
  std::size_t covered = 0;   // query concepts present in the passage text
  std::size_t concepts = 0;  // concepts in the query
  std::size_t typed = 0;     // concepts present in the very form typed
  double typed_factor = 1;   // the score's factor for them (1: none; more the rarer the typed forms)
  std::size_t window = 0;    // smallest span of word positions holding the covered concepts
  double proximity = 0;      // 1 when they stand together, towards 0 when far apart
  std::vector<TermWeight> terms;
};

// A query word the index does not know, and what it was corrected to.
struct Correction {
  std::string word;       // as typed
  std::string corrected;  // one of the index's own words, written like `word` (capitalised if it was)
};

// How a query word was searched for besides as typed.
enum class ExpansionKind {
  Synonyms,   // its synonyms (Beteiligung: Anteil, Teilhaber)
  Joined,     // two words typed apart, as the compound the index holds (Entwicklung Zentrum: Entwicklungszentrum)
  Respelled,  // a compound as the index writes it (Entwicklungzentrum: Entwicklungszentrum), a noun in its other
              // number (Firmen: Firma)
  Parts,      // a compound's parts near each other (Entwicklungszentrum: Entwicklung, Zentrum)
};
inline const char* to_string(ExpansionKind kind) {
  switch (kind) {
    case ExpansionKind::Joined: return "joined";
    case ExpansionKind::Respelled: return "respelled";
    case ExpansionKind::Parts: return "parts";
    case ExpansionKind::Synonyms: break;
  }
  return "synonyms";
}

// A query word and what was searched for it as well: synonyms, a compound, or a compound's parts.
struct Expansion {
  std::string word;                   // as typed (two words, for ExpansionKind::Joined)
  std::vector<std::string> synonyms;  // what was searched besides
  ExpansionKind kind = ExpansionKind::Synonyms;
};

// A hit carries its article's title, url and author, and its own section heading and comment author, each cut
// to kMaxField code points and "…" when longer, and at most kMaxTags of the article's tags, each cut likewise
// to kMaxTag: one article with a title of a megabyte must not cost a search a megabyte
// per hit. Searcher::article gives the article's fields whole, once (StoredArticle).
struct Hit {
  static constexpr std::size_t kMaxField = 2048;
  static constexpr std::size_t kMaxTags = 32;
  static constexpr std::size_t kMaxTag = 256;
  std::size_t rank = 0;  // 1-based, counting from the first result (offset included)
  double score = 0;
  std::string article;  // article id
  std::string title;
  std::string url;
  std::string published;          // the article's date
  std::string author;             // the passage's: the article's, or a comment's own (empty when the feed gave none)
  std::vector<std::string> tags;  // the article's
  std::string comment_published;  // a comment's own date, when the feed gave one
  PassageKind kind = PassageKind::Article;
  std::size_t ordinal = 0;                 // passage number within its article, from 0
  Span span;                               // where the passage lies in the article body or in its comment (code points)
  std::size_t comment = 0;                 // for comments: which comment of the article, from 0
  std::string section;                     // the heading the passage stands under in its article, or empty
  std::string text;                        // the passage text
  std::vector<Span> highlights;            // matched words in `text`, code point offsets, sorted, not overlapping
  std::optional<Explanation> explanation;  // with SearchOptions::explain
};

// An article as the index holds it: its metadata and its passages in order (body first, then comments).
struct StoredArticle {
  std::string id;
  std::string title;
  std::string url;
  std::string published;
  std::string author;
  std::vector<std::string> tags;
  std::vector<Hit> passages;  // rank and score are 0; no highlights; title, url, date and tags empty (above)
};

struct IndexStats {
  std::size_t articles = 0;
  std::size_t passages = 0;
  std::uint64_t bytes = 0;     // on disk (of the local shards only, for a sharded index)
  std::string last_commit;     // UTC, ISO 8601; empty if unknown (the latest of the shards')
  std::uint64_t revision = 0;  // Xapian's revision number of the index (the sum of the shards')
  std::size_t shards = 1;      // shards searched
};

// How a Searcher opens an index that lies on several shards (a stub listing them: README, "Shards").
struct OpenOptions {
  // A shard that cannot be opened or reached (at opening, or when a search finds it gone) is left out with a
  // warning instead of failing: results then come from the other shards only.
  bool allow_partial = false;
  // Remote shards: milliseconds to connect, and for each exchange with the server, before the shard counts
  // as unreachable (so that a dead machine cannot hang a search).
  unsigned timeout_ms = 10000;
};

// How many passages that qualify (those that hold every concept of the query, as for a date sort) have a value.
struct FacetValue {
  std::string value;  // as written in the articles (an author, a tag), or 2025-01 (month), 2025 (year)
  std::size_t count = 0;
};
struct Facet {
  std::string name;                // "author", "tag", "month", "year"
  std::vector<FacetValue> values;  // the most frequent first, then by value (months and years: newest first)
  std::size_t passages = 0;        // passages counted: those that qualify, the filters applied
};

struct SearchResults {
  std::vector<Hit> hits;
  // What this search had to leave out, in plain words: shards (OpenOptions::allow_partial; the hits come from
  // the others), and matching passages whose stored data or article record is damaged (check_index names
  // them).
  std::vector<std::string> warnings;
  std::size_t total_estimate = 0;  // passages matching the query, estimated
  std::vector<Expansion> expansions;
  // The query with each word the index does not know corrected from the index's own words (within an edit
  // budget by the word's length: none up to four letters, one up to eight, two from nine); empty when no word
  // needed or had a correction. `corrected` says the hits are for `suggestion` instead of the query; false
  // when the corrected query found nothing either (the hits are the query's own).
  std::string suggestion;
  bool corrected = false;
  std::vector<Correction> corrections;  // the words `suggestion` changed, in query order
  // Words of the query that were not searched, as typed: free stopwords left out beside other words (der,
  // und; words in phrases, under operators or alone are searched).
  std::vector<std::string> ignored;
  // Words of the query searched for, as typed, that the index holds nowhere and that had no correction (a
  // name it does not know, say): the hits are for the other words only.
  std::vector<std::string> unknown;
  std::vector<Facet> facets;  // those SearchOptions::facets asked for, in its order
};

// A completion of what is being typed (Searcher::suggest).
struct Suggestion {
  std::string text;          // the query with its last word completed
  std::string word;          // the completed word (capitalised where the index writes it so)
  std::size_t passages = 0;  // passages that hold the word
};

// What Searcher::export_articles wrote.
struct ExportReport {
  std::size_t articles = 0;  // lines written
  // Ids of articles written by an earlier Fundstelle, which did not keep an article's text: not exported
  // (writing them again keeps it: a rebuild, or a change).
  std::vector<std::string> without_text;
  // Ids of articles whose stored text, or a passage that holds part of it, is damaged: not exported
  // (`fundstelle check` reports the damage; indexing the article's source again writes it anew).
  std::vector<std::string> damaged;
};

class FUNDSTELLE_API Searcher {
 public:
  // Opens the index at `path` for reading: an index folder, or a stub listing the shards of one (local
  // folders, remote xapian-tcpsrv servers), searched as one index. Throws IndexError if there is none, a shard
  // cannot be opened or reached (unless options.allow_partial), or one was built with another analyzer or
  // schema.
  explicit Searcher(const std::string& path, const OpenOptions& options = {});
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Throws QueryError for a malformed query.
  SearchResults search(std::string_view query, const SearchOptions& options = {});

  // Completions of the last word of `typed` from the index's own words, for search as you type: words that
  // begin with it and compounds with a part that begins with it ("Zentr": Entwicklungszentrum, where the index
  // holds it), the most frequent first, at most `limit`; nothing for a last word of under two letters or one
  // followed by a space.
  std::vector<Suggestion> suggest(std::string_view typed, std::size_t limit = 8);
  // The stored article with this id, or nothing.
  std::optional<StoredArticle> article(const std::string& id);
  IndexStats stats();
  // Every article of the index as one line (no '\n') of the JSON Lines feed format (shared/formats/
  // articles-jsonl.md), handed to `write` shard by shard in the order of their keys: the article as it was
  // indexed (from a .txt file: its title, paragraphs and comments as read, the page clutter left out), which
  // `fundstelle index` reads back into the same article, so that export, index and export again give the same
  // bytes. Throws IndexError when the index changes too much while it is read (run it again).
  ExportReport export_articles(const std::function<void(std::string_view line)>& write);
  // The source folders the index remembers (Indexer::source_folders), read as a reader: while a writer works.
  std::vector<std::string> source_folders();
  // Shards left out when the index was opened (OpenOptions::allow_partial); empty when all are searched.
  const std::vector<std::string>& warnings() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fundstelle
