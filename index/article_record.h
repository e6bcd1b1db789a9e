// How an article is stored: one metadata item per article, key schema::kMetaArticle + article key, value a
// JSON object. This file is the only place that knows its field names. Passages do not repeat what is here
// (index/passage_record.h); a hit reads its article's title, url and date from this record.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fundstelle::schema {

struct ArticleRecord {
  std::string id;      // the article id in full (the key may be a hash of it: schema::article_key)
  std::string hash;    // content hash (16 hex digits): an unchanged article is not written again
  std::string source;  // the file it came from (absolute path), for --prune
  std::string title, url, published;
  std::size_t passages = 0, comments = 0;
  bool has_passages = false;  // decoded: the record says how many passages it has (every record written does)
};

// The record as JSON (url and published only when not empty).
std::string encode_article(const ArticleRecord& record);

// Nothing when `raw` is not a record: empty (no such article), not JSON, not an object, or a field of the
// wrong type. Fields that are missing stay empty (id: empty, the caller knows the key).
std::optional<ArticleRecord> decode_article(std::string_view raw);

}  // namespace fundstelle::schema
