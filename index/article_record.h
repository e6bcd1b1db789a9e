// How an article is stored: one metadata item per article, key schema::kMetaArticle + article key, value a
// JSON object after a format byte and its checksum (kCheckedArticleFormat). This file is the only place that
// knows its field names. Passages do not repeat what is here
// (index/passage_record.h); a hit reads its article's title, url and date from this record.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fundstelle/article.h"
#include "fundstelle/passage.h"

namespace fundstelle::schema {

struct ArticleRecord {
  std::string id;      // the article id in full (the key may be a hash of it: schema::article_key)
  std::string hash;    // content hash (16 hex digits): an unchanged article is not written again
  std::string source;  // the file it came from (absolute path), for --prune
  std::string title, url, published;
  std::string author;             // (since schema 6)
  std::vector<std::string> tags;  // as written (since schema 6)
  std::size_t passages = 0, comments = 0;
  bool has_passages = false;  // decoded: the record says how many passages it has (every record written does)
};

// A record is kCheckedArticleFormat, the FNV-1a hash of the JSON that follows (8 bytes, little-endian), and
// the JSON: `check` finds a byte changed anywhere in it. Records written before 2026-12-07 are the JSON alone
// (they begin with '{'), still read.
inline constexpr char kCheckedArticleFormat = '\x01';

// The record (url and published only when not empty).
std::string encode_article(const ArticleRecord& record);

// Nothing when `raw` is not a record: empty (no such article), not JSON, not an object, a field of the wrong
// type, or its checksum does not match. Fields that are missing stay empty (id: empty, the caller knows the
// key).
std::optional<ArticleRecord> decode_article(std::string_view raw);

// The article itself as one line of the JSON Lines feed format (shared/formats/articles-jsonl.md; no '\n'):
// fields in the format's order, empty ones left out, the paragraphs joined by blank lines into `body`. The
// feed reader reads it back into the same article, so export -> index -> export gives the same bytes.
std::string encode_feed_line(const Article& article);

// The article's text as stored under kMetaText for every article written, so that `fundstelle export` can
// write the index's articles out and a rebuild can write anew those that have no file to read again. The
// text is stored once: what the article's passages hold (their text, index/passage_record.h) is not stored
// here again. A record is one of
//   'r'  what the passages do not hold (format kResidueText): the feed line with the body and each comment's
//        text left empty, and for the body and each comment its length and the pieces between passages
//        (paragraph breaks, headings, a comment that made no passage), compressed; the line is the passages'
//        texts laid over their spans with those pieces (decode_text). Written whenever that gives the line
//        back exactly, which encode_text checks before it chooses it.
//   'z'  the whole feed line, compressed ('z', the line's length as a varint, zlib's deflate stream; about a
//        third of the line): otherwise, for an article with no source file (its only copy is the index's, so
//        it is kept apart from its passages), and for every article written before 2026-12-07.
inline constexpr char kResidueText = 'r';
inline constexpr char kWholeText = 'z';

// A passage's text and where it lies: in the body (the paragraphs joined by a blank line) or in comment
// number `comment`, in code points.
struct TextPiece {
  PassageKind kind = PassageKind::Article;
  std::size_t comment = 0;
  Span span;
  std::string_view text;  // viewed, not owned: what holds it must outlive the piece
};

// The stored text of `article`, whose passages are `passages`.
std::string encode_text(const Article& article, const std::vector<TextPiece>& passages);
// The stored text of `article` whole ('z'): for an article that has no other source than the index (posted
// over HTTP, put through the library), whose text must not depend on every one of its passages being whole.
std::string encode_text(const Article& article);
// Whether a stored text needs the article's passages to be read (decode_text).
inline bool text_needs_passages(std::string_view stored) { return !stored.empty() && stored.front() == kResidueText; }
// The feed line back from a stored text and the article's passages as the index holds them (unused for a
// whole text); nothing when `stored` is empty or damaged, or the passages leave a hole in the text.
std::optional<std::string> decode_text(std::string_view stored, const std::vector<TextPiece>& passages = {});

// The id of a feed line (empty when it has none or is not JSON).
std::string feed_line_id(std::string_view line);

}  // namespace fundstelle::schema
