#include "index/stored_text.h"

#include <vector>

#include "base/hash.h"
#include "index/article_record.h"
#include "index/passage_record.h"
#include "index/schema.h"

namespace fundstelle::index {

std::optional<std::string> stored_feed_line(const Xapian::Database& db, const std::string& key) {
  const std::string stored = db.get_metadata(std::string(schema::kMetaText) + key);
  if (!schema::text_needs_passages(stored)) return schema::decode_text(stored);
  // Only the passages of the article's version its record names (check reports others, which a bug or a
  // merge of damaged shards could leave beside them): a line is never laid together from two versions.
  const auto article = schema::decode_article(db.get_metadata(std::string(schema::kMetaArticle) + key));
  std::vector<schema::PassageRecord> records;
  const std::string term = std::string(schema::kArticle) + key;
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
    auto record = schema::decode_passage(db.get_document(*p).get_data());
    if (!record) return std::nullopt;
    if (article && base::hex64(record->revision) != article->hash) continue;
    records.push_back(std::move(*record));
  }
  std::vector<schema::TextPiece> pieces;
  pieces.reserve(records.size());
  for (const auto& r : records) pieces.push_back(schema::TextPiece{r.kind, r.comment, r.span, r.text});
  return schema::decode_text(stored, pieces);
}

}  // namespace fundstelle::index
