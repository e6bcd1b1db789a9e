#include "index/article_record.h"

#include <zlib.h>

#include <algorithm>
#include <new>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/utf8.h"
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

namespace {

// The feed line's body: the paragraphs as they are, joined by a blank line.
std::string feed_body(const Article& a) {
  std::string body;
  for (const auto& p : a.paragraphs) {
    if (!body.empty()) body += "\n\n";
    body += p;
  }
  return body;
}

}  // namespace

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
  line["body"] = feed_body(a);
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

namespace {

// `data` as its length (a varint) and zlib's deflate stream of it.
void append_deflated(std::string& out, std::string_view data) {
  base::put_varint(out, data.size());
  const std::size_t head = out.size();
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  out.resize(head + size);
  if (compress2(reinterpret_cast<Bytef*>(out.data() + head), &size, reinterpret_cast<const Bytef*>(data.data()),
                static_cast<uLong>(data.size()), Z_DEFAULT_COMPRESSION) != Z_OK)
    throw std::bad_alloc();  // the only failure possible with a buffer of compressBound's size
  out.resize(head + size);
}

// What append_deflated() wrote (all of `stored`), or nothing when it is damaged.
std::optional<std::string> inflated(std::string_view stored) {
  std::uint64_t length = 0;
  // Deflate shrinks at most about 1032 to 1: a larger length is damage, not a reason to allocate it.
  if (!base::get_varint(stored, length) || length > stored.size() * std::uint64_t{1032} + 64) return std::nullopt;
  std::string data(length, '\0');
  uLongf size = static_cast<uLongf>(length);
  if (uncompress(reinterpret_cast<Bytef*>(data.data()), &size, reinterpret_cast<const Bytef*>(stored.data()),
                 static_cast<uLong>(stored.size())) != Z_OK ||
      size != length)
    return std::nullopt;
  return data;
}

// A stretch of one text: its span in code points and its bytes.
struct Stretch {
  std::size_t begin, end;
  std::string_view text;
};

void sort_by_begin(std::vector<Stretch>& stretches) {
  std::sort(stretches.begin(), stretches.end(), [](const Stretch& a, const Stretch& b) { return a.begin < b.begin; });
}

// The text `length` code points long that `stretches` cover, each laid over its span (those that overlap,
// the windows of a long paragraph, give what they share once); nothing when they leave a hole or reach past
// its end, or one's text is not as long as its span.
std::optional<std::string> laid_over(std::vector<Stretch> stretches, std::size_t length) {
  sort_by_begin(stretches);
  std::string out;
  std::size_t at = 0;  // code points of `out`
  for (const Stretch& s : stretches) {
    if (s.begin > at || s.end > length || s.end < s.begin || base::count_code_points(s.text) != s.end - s.begin)
      return std::nullopt;
    if (s.end <= at) continue;
    out.append(s.text.substr(base::byte_offset(s.text, at - s.begin)));
    at = s.end;
  }
  if (at != length) return std::nullopt;
  return out;
}

// The stretches of `text` that the passages' `covered` leave uncovered, written to `out` after the text's
// length: varint length, varint count, then each one's begin and its bytes (varint length first).
void append_gaps(std::string& out, std::string_view text, std::vector<Stretch> covered) {
  sort_by_begin(covered);
  std::vector<std::pair<std::size_t, std::string_view>> gaps;
  std::size_t at = 0, byte = 0;  // code points covered so far, and the byte where they end
  const auto advance = [&](std::size_t to) {
    while (at < to && byte < text.size()) {
      byte = base::next_code_point(text, byte);
      ++at;
    }
  };
  for (const Stretch& s : covered) {
    if (s.begin > at) {
      const std::size_t from_cp = at, from = byte;
      advance(s.begin);
      gaps.emplace_back(from_cp, text.substr(from, byte - from));
    }
    advance(std::max(at, s.end));
  }
  const std::size_t length = base::count_code_points(text);
  if (at < length) gaps.emplace_back(at, text.substr(byte));
  base::put_varint(out, length);
  base::put_varint(out, gaps.size());
  for (const auto& [begin, piece] : gaps) {
    base::put_varint(out, begin);
    base::put_varint(out, piece.size());
    out += piece;
  }
}

// The text that append_gaps() described, from it (read from `data`) and the passages' stretches of it.
std::optional<std::string> read_gaps(std::string_view& data, std::vector<Stretch> stretches) {
  std::uint64_t length = 0, count = 0;
  if (!base::get_varint(data, length) || !base::get_varint(data, count) || count > data.size()) return std::nullopt;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t begin = 0, size = 0;
    if (!base::get_varint(data, begin) || !base::get_varint(data, size) || size > data.size()) return std::nullopt;
    const std::string_view piece = data.substr(0, size);
    data.remove_prefix(size);
    stretches.push_back(Stretch{begin, begin + base::count_code_points(piece), piece});
  }
  return laid_over(std::move(stretches), length);
}

// The passages' stretches of each text of the article: [0] the body, [1 + i] comment i (of `comments`);
// a passage of a comment beyond them is left out (the line has no text for it).
std::vector<std::vector<Stretch>> stretches_by_text(const std::vector<TextPiece>& passages, std::size_t comments) {
  std::vector<std::vector<Stretch>> out(comments + 1);
  for (const auto& p : passages) {
    const bool body = p.kind == PassageKind::Article;
    if (!body && p.comment >= comments) continue;
    out[body ? 0 : 1 + p.comment].push_back(Stretch{p.span.begin, p.span.end, p.text});
  }
  return out;
}

std::string whole_text(const std::string& line) {
  std::string out(1, kWholeText);
  append_deflated(out, line);
  return out;
}

}  // namespace

std::string encode_text(const Article& article) { return whole_text(encode_feed_line(article)); }

std::string encode_text(const Article& article, const std::vector<TextPiece>& passages) {
  const std::string line = encode_feed_line(article);
  // The residue: the line without the texts, then the body's and each comment's pieces between passages.
  Article bare = article;
  bare.paragraphs.clear();
  for (auto& c : bare.comments) c.text.clear();
  std::string residue;
  const std::string bare_line = encode_feed_line(bare);
  base::put_varint(residue, bare_line.size());
  residue += bare_line;
  const auto texts = stretches_by_text(passages, article.comments.size());
  append_gaps(residue, feed_body(article), texts[0]);
  for (std::size_t i = 0; i < article.comments.size(); ++i)
    append_gaps(residue, article.comments[i].text, texts[1 + i]);
  std::string out(1, kResidueText);
  append_deflated(out, residue);
  // Chosen only when it gives the line back exactly (passages whose text is not their span, say, would not).
  const auto back = decode_text(out, passages);
  return back && *back == line ? out : whole_text(line);
}

std::string feed_line_id(std::string_view line) {
  const json j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return {};
  const auto id = j.find("id");
  return id != j.end() && id->is_string() ? id->get<std::string>() : std::string();
}

std::optional<std::string> decode_text(std::string_view stored, const std::vector<TextPiece>& passages) {
  if (stored.empty()) return std::nullopt;
  const char format = stored.front();
  stored.remove_prefix(1);
  if (format == kWholeText) return inflated(stored);
  if (format != kResidueText) return std::nullopt;
  const auto residue = inflated(stored);
  if (!residue) return std::nullopt;
  std::string_view data = *residue;
  std::uint64_t size = 0;
  if (!base::get_varint(data, size) || size > data.size()) return std::nullopt;
  nlohmann::ordered_json line = nlohmann::ordered_json::parse(data.substr(0, size), nullptr, false);
  data.remove_prefix(size);
  if (line.is_discarded() || !line.is_object() || !line.contains("body")) return std::nullopt;
  auto comments = line.find("comments");
  if (comments != line.end() && !comments->is_array()) return std::nullopt;
  auto texts = stretches_by_text(passages, comments == line.end() ? 0 : comments->size());
  const auto body = read_gaps(data, std::move(texts[0]));
  if (!body) return std::nullopt;
  line["body"] = *body;
  comments = line.find("comments");  // (the same place: "body" was there already)
  if (comments != line.end()) {
    for (std::size_t i = 0; i < comments->size(); ++i) {
      auto& comment = (*comments)[i];
      const auto text = read_gaps(data, std::move(texts[1 + i]));
      if (!text || !comment.is_object()) return std::nullopt;
      comment["text"] = *text;
    }
  }
  if (!data.empty()) return std::nullopt;
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace fundstelle::schema
