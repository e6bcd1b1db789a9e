#include "index/article_record.h"

#include <zlib.h>

#include <new>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/varint.h"
#include "index/sealed.h"

namespace fundstelle::schema {

using nlohmann::json;

std::string encode_article(const ArticleRecord& r) {
  json record = {{"id", r.id},       {"hash", r.hash},         {"source", r.source},
                 {"title", r.title}, {"passages", r.passages}, {"comments", r.comments}};
  if (!r.url.empty()) record["url"] = r.url;
  if (!r.published.empty()) record["published"] = r.published;
  if (!r.author.empty()) record["author"] = r.author;
  if (!r.tags.empty()) record["tags"] = r.tags;
  std::string out = unsealed(kCheckedArticleFormat);
  out += record.dump();
  return seal(std::move(out));
}

std::optional<ArticleRecord> decode_article(std::string_view raw) {
  if (raw.empty()) return std::nullopt;
  if (raw.front() == kCheckedArticleFormat) {
    if (!unseal(raw)) return std::nullopt;
  } else if (raw.front() != '{') {  // (written before records were sealed: the JSON alone)
    return std::nullopt;
  }
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
    r.author = rec.value("author", "");
    if (const auto t = rec.find("tags"); t != rec.end()) r.tags = t->get<std::vector<std::string>>();
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

std::string encode_feed_line(const Article& a) {
  nlohmann::ordered_json line;
  line["id"] = a.id;
  const auto field = [&](const char* name, const std::string& value) {
    if (!value.empty()) line[name] = value;
  };
  field("title", a.title);
  field("url", a.url);
  field("published", a.published);
  field("author", a.author);
  if (!a.tags.empty()) line["tags"] = a.tags;
  std::string body;
  for (const auto& p : a.paragraphs) {
    if (!body.empty()) body += "\n\n";
    body += p;
  }
  line["body"] = body;
  if (!a.comments.empty()) {
    auto& comments = line["comments"] = nlohmann::ordered_json::array();
    for (const auto& c : a.comments) {
      nlohmann::ordered_json comment;
      if (!c.id.empty()) comment["id"] = c.id;
      if (!c.author.empty()) comment["author"] = c.author;
      if (!c.published.empty()) comment["published"] = c.published;
      comment["text"] = c.text;
      comments.push_back(std::move(comment));
    }
  }
  // Invalid UTF-8 cannot reach here (the writer repairs every article first); should it, it is replaced
  // rather than thrown over.
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string encode_text(const Article& article) {
  const std::string line = encode_feed_line(article);
  std::string out = "z";
  base::put_varint(out, line.size());
  const std::size_t head = out.size();
  uLongf size = compressBound(static_cast<uLong>(line.size()));
  out.resize(head + size);
  if (compress2(reinterpret_cast<Bytef*>(out.data() + head), &size, reinterpret_cast<const Bytef*>(line.data()),
                static_cast<uLong>(line.size()), Z_DEFAULT_COMPRESSION) != Z_OK)
    throw std::bad_alloc();  // the only failure possible with a buffer of compressBound's size
  out.resize(head + size);
  return out;
}

std::string feed_line_id(std::string_view line) {
  const json j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return {};
  const auto id = j.find("id");
  return id != j.end() && id->is_string() ? id->get<std::string>() : std::string();
}

std::optional<std::string> decode_text(std::string_view stored) {
  if (stored.empty() || stored.front() != 'z') return std::nullopt;
  stored.remove_prefix(1);
  std::uint64_t length = 0;
  // Deflate shrinks at most about 1032 to 1: a larger length is damage, not a reason to allocate it.
  if (!base::get_varint(stored, length) || length > stored.size() * std::uint64_t{1032} + 64) return std::nullopt;
  std::string line(length, '\0');
  uLongf size = static_cast<uLongf>(length);
  if (uncompress(reinterpret_cast<Bytef*>(line.data()), &size, reinterpret_cast<const Bytef*>(stored.data()),
                 static_cast<uLong>(stored.size())) != Z_OK ||
      size != length)
    return std::nullopt;
  return line;
}

}  // namespace fundstelle::schema
