#include "index/origin.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "index/article_record.h"

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

std::vector<std::string> source_folders(const std::vector<Xapian::Database>& shards) {
  std::vector<std::string> folders;
  if (const std::string stored = shards.front().get_metadata(std::string(kMetaSources)); !stored.empty()) {
    for (std::size_t at = 1; at < stored.size();) {  // each folder after a '\0'
      const std::size_t end = std::min(stored.find('\0', at), stored.size());
      folders.push_back(stored.substr(at, end - at));
      at = end + 1;
    }
    return folders;
  }
  std::map<std::string, std::size_t> articles;
  const std::string prefix(kMetaArticle);
  for (const auto& db : shards) {
    for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
      const auto rec = decode_article(db.get_metadata(*it));
      if (!rec || rec->id.empty() || !rec->source.starts_with('/') || rec->source.size() <= rec->id.size() + 1)
        continue;
      const std::size_t cut = rec->source.size() - rec->id.size() - 1;
      if (rec->source[cut] == '/' && rec->source.ends_with(rec->id)) ++articles[cut ? rec->source.substr(0, cut) : "/"];
    }
  }
  std::vector<std::pair<std::string, std::size_t>> by_count(articles.begin(), articles.end());
  std::stable_sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  for (auto& [folder, n] : by_count) folders.push_back(std::move(folder));
  return folders;
}

std::string encode_source_folders(const std::vector<std::string>& folders) {
  std::string stored;  // never empty (an empty value is no value): none remembered is "\0"
  for (const auto& f : folders) {
    stored.push_back('\0');
    stored += f;
  }
  return stored.empty() ? std::string(1, '\0') : stored;
}

}  // namespace fundstelle::schema
