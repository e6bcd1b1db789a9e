// The layout of a Fundstelle index, shared by the writer and the searcher (Xapian omega conventions for the
// standard prefixes; our own boolean terms start with X).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/hash.h"

namespace fundstelle::schema {

inline constexpr int kVersion = 7;  // 2: compound parts (P), spelling data; 3: passage data in a binary
                                    // format, article fields in the record only (index/passage_record.h);
                                    // 4: passages follow paragraphs, section headings (H), exact forms of
                                    // every word (E); 5: words written capitalised inside a
                                    // sentence (N); 6: authors (A, value 2), tags as written (value 3), a
                                    // comment's own author and date in its passage record; 7: a paragraph
                                    // of up to 800 characters is one passage (was 500)

// Term prefixes.
inline constexpr std::string_view kTitle = "S";         // title words, added to every body passage of the article
inline constexpr std::string_view kSection = "H";       // words of the heading a body passage stands under
inline constexpr std::string_view kExact = "E";         // every word's unstemmed form, without positions:
                                                        // the form typed ranks first
inline constexpr std::string_view kCompoundPart = "P";  // parts of compounds (zentrum in Entwicklungszentrum),
                                                        // at the compound's position: a part weighs less
                                                        // than the same word standing alone
inline constexpr std::string_view kCapitalised = "N";   // a word's form where the passage capitalises it inside a
                                                        // sentence (a noun or a name; no positions): what a
                                                        // capitalised query word may be corrected into
inline constexpr std::string_view kTag = "K";           // tags (normalized, whole)
inline constexpr std::string_view kAuthor = "A";        // the passage's author (normalized, whole): the article's,
                                                        // or the comment's own for a comment
inline constexpr std::string_view kArticle = "XA";      // XA<article key>: all passages of an article
inline constexpr std::string_view kKind = "XK";         // XKarticle / XKcomment

// Value slots.
inline constexpr unsigned kValueArticle = 0;    // article key: collapse key
inline constexpr unsigned kValuePublished = 1;  // ISO 8601 date, sorts as a string
inline constexpr unsigned kValueAuthor = 2;     // the passage's author as written (kAuthor), for facet counts
inline constexpr unsigned kValueTags = 3;       // the article's tags as written, each followed by '\n' (tags
                                                // hold no control character), for facet counts
inline constexpr unsigned kValueText = 4;       // the passage's text as text_key(): the searcher's collapse key

// The collapse key of a passage's text: its FNV-1a as 8 bytes. Passages with the same text (a paragraph that
// many pages repeat) share it, and the matcher keeps only the best of them (Searcher: a text is shown once),
// instead of the rerank reading them all. (An index written before this key: no value, nothing collapsed;
// the page still shows a text once.)
inline std::string text_key(std::string_view text) {
  std::uint64_t h = base::fnv1a(text);
  std::string out(8, '\0');
  for (auto& c : out) {
    c = static_cast<char>(h & 0xff);
    h >>= 8;
  }
  return out;
}

// The tags of an article as kValueTags holds them (a control character in a tag becomes a space), and back.
inline std::string join_tags(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& t : tags) {
    for (const char c : t) out.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
    out.push_back('\n');
  }
  return out;
}
inline std::vector<std::string> split_tags(std::string_view value) {
  std::vector<std::string> out;
  for (std::size_t end; (end = value.find('\n')) != std::string_view::npos; value.remove_prefix(end + 1))
    out.emplace_back(value.substr(0, end));
  return out;
}

// Metadata keys.
inline constexpr std::string_view kMetaSchema = "fundstelle:schema";
inline constexpr std::string_view kMetaAnalyzer = "fundstelle:analyzer";
inline constexpr std::string_view kMetaCommitted = "fundstelle:committed";    // UTC time of the last commit
inline constexpr std::string_view kMetaRebuilding = "fundstelle:rebuilding";  // set while a --rebuild runs
inline constexpr std::string_view kMetaSources = "fundstelle:sources";        // the source folders, each after '\0', in
                                                                              // the order first indexed: a .txt
                                                                              // file's id is its path under the
                                                                              // first that holds it
inline constexpr std::string_view kMetaShard = "fundstelle:shard";            // "shard-K of N", in a sharded index
                                                                              // (index/layout.h); absent otherwise
inline constexpr std::string_view kMetaArticle = "A:";  // "A:" + article key -> the article's record, sealed
                                                        // (index/sealed.h) JSON: id, hash, source, title,
                                                        // url, published, author, tags, passages, comments
inline constexpr std::string_view kMetaText = "T:";     // "T:" + article key -> the article's text
                                                        // (encode_text: what its passages do not hold of
                                                        // its feed line, or the whole line): export,
                                                        // rebuilds (index/stored_text.h)
inline constexpr std::string_view kMetaFeed = "F:";     // "F:" + article_key(feed URL) -> JSON: the URL, its
                                                        // ETag and Last-Modified, the time of the last answer
                                                        // (indexer/web_reader.h): conditional requests

// The key under which an article's terms and metadata are stored. Xapian limits terms to 245 bytes, so very
// long ids are replaced by a hash (ids are still stored in full in the article's record, kMetaArticle).
inline std::string article_key(std::string_view id) {
  if (id.size() <= 160) return std::string(id);
  const base::IdHash h = base::id_hash(id);
  return "#" + base::hex64(h.a) + base::hex64(h.b);
}

// The shard, of `shards`, that holds the article stored under `key` (article_key): a stable hash, the same on
// every run, machine and version, so that an article indexed again lands where it was and replaces itself.
inline unsigned shard_of_key(std::string_view key, unsigned shards) {
  return shards <= 1 ? 0 : static_cast<unsigned>(base::fnv1a(key) % shards);
}

}  // namespace fundstelle::schema
