#include "index/article_record.h"

#include <nlohmann/json.hpp>

namespace fundstelle::schema {

using nlohmann::json;

std::string encode_article(const ArticleRecord& r) {
  json record = {{"id", r.id},       {"hash", r.hash},         {"source", r.source},
                 {"title", r.title}, {"passages", r.passages}, {"comments", r.comments}};
  if (!r.url.empty()) record["url"] = r.url;
  if (!r.published.empty()) record["published"] = r.published;
  return record.dump();
}

std::optional<ArticleRecord> decode_article(std::string_view raw) {
  if (raw.empty()) return std::nullopt;
  const json rec = json::parse(raw, nullptr, false);
  if (rec.is_discarded() || !rec.is_object()) return std::nullopt;
  try {
    ArticleRecord r;
    r.id = rec.value("id", "");
    r.hash = rec.value("hash", "");
    r.source = rec.value("source", "");
    r.title = rec.value("title", "");
    r.url = rec.value("url", "");
    r.published = rec.value("published", "");
    r.comments = rec.value("comments", std::size_t{0});
    if (const auto p = rec.find("passages"); p != rec.end()) {
      r.passages = p->get<std::size_t>();
      r.has_passages = true;
    }
    return r;
  } catch (const json::exception&) {  // a field of the wrong type
    return std::nullopt;
  }
}

}  // namespace fundstelle::schema
