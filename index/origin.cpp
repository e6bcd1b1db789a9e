#include "index/origin.h"

#include <filesystem>

namespace fundstelle::schema {

IndexOrigin index_origin(const Xapian::Database& db) {
  IndexOrigin o;
  o.schema = db.get_metadata(std::string(kMetaSchema));
  o.analyzer = db.get_metadata(std::string(kMetaAnalyzer));
  o.fresh = o.schema.empty() && db.get_doccount() == 0;
  o.rebuilding = !db.get_metadata(std::string(kMetaRebuilding)).empty();
  return o;
}

std::size_t article_count(const Xapian::Database& db) {
  const std::string prefix(kMetaArticle);
  std::size_t n = 0;
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) ++n;
  return n;
}

bool has_articles(const Xapian::Database& db) {
  const std::string prefix(kMetaArticle);
  return db.get_doccount() != 0 || db.metadata_keys_begin(prefix) != db.metadata_keys_end(prefix);
}

std::uint64_t index_bytes(const std::string& folder) {
  std::uint64_t bytes = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(folder, ec))
    if (e.is_regular_file(ec)) bytes += e.file_size(ec);
  return bytes;
}

}  // namespace fundstelle::schema
