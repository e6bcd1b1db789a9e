#include "indexer/jsonl_reader.h"

#include <nlohmann/json.hpp>

#include "analyzers/normalize.h"
#include "analyzers/utf8.h"
#include "indexer/limits.h"

namespace fundstelle::indexer {
namespace {

using nlohmann::json;

struct FieldError {
  std::string message;
};

// Optional string field: absent or null is empty; anything else but a string is an error.
std::string optional_string(const json& obj, const char* field, const std::string& where = {}) {
  const auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return {};
  if (!it->is_string())
    throw FieldError{"field '" + where + field + "' must be a string, not " + std::string(it->type_name())};
  return it->get<std::string>();
}

}  // namespace

std::vector<std::string> split_paragraphs(std::string_view body) {
  std::vector<std::string> out;
  std::string current;
  bool blank_seen = false;
  for (std::size_t pos = 0; pos <= body.size();) {
    std::size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) nl = body.size();
    const std::string_view line = analyzers::trim_space(body.substr(pos, nl - pos));
    pos = nl + 1;
    if (line.empty()) {
      blank_seen = true;
    } else {
      if (blank_seen && !current.empty()) {
        out.push_back(std::move(current));
        current.clear();
      }
      blank_seen = false;
      if (!current.empty()) current += ' ';
      current += line;
    }
    if (nl == body.size()) break;
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

bool parse_jsonl_line(std::string_view line, const std::string& source, std::uint64_t line_no, Article& out,
                      std::vector<Problem>& problems) {
  auto problem = [&](std::string message, bool skipped, std::uint64_t offset = 0, bool has_offset = false) {
    problems.push_back(Problem{source, line_no, offset, has_offset, skipped, std::move(message)});
  };

  std::vector<std::size_t> bad;
  std::string repaired;
  const std::string_view original = line;
  if (!analyzers::is_valid_utf8(line)) {
    repaired = analyzers::repair_utf8(line, &bad);
    problem(analyzers::describe_repair(bad, "of the line"), false, bad.front(), true);
    line = repaired;
  }

  json obj;
  try {
    obj = json::parse(line.begin(), line.end());
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    if (const auto colon = what.find("parse error"); colon != std::string::npos) what = what.substr(colon);
    // The offset in the line as read, not as repaired (a replacement character is longer than a bad byte).
    const std::size_t at = e.byte > 0 ? e.byte - 1 : 0;
    problem("not valid JSON: " + what, true, bad.empty() ? at : analyzers::offset_before_repair(original, at), true);
    return false;
  } catch (const json::exception& e) {
    // Valid JSON the parser cannot hold: a number beyond a double (1E1444) is out_of_range, not a parse_error.
    // It once ended the whole run ("internal error"); it is this line's problem.
    std::string what = e.what();
    if (const auto bracket = what.find("] "); bracket != std::string::npos) what = what.substr(bracket + 2);
    problem("not valid JSON: " + what, true);
    return false;
  }
  if (!obj.is_object()) {
    problem(std::string("expected a JSON object, got ") + obj.type_name(), true);
    return false;
  }
  try {
    Article a;
    const auto id = obj.find("id");
    if (id == obj.end() || id->is_null()) throw FieldError{"missing required field 'id'"};
    if (!id->is_string()) throw FieldError{std::string("field 'id' must be a string, not ") + id->type_name()};
    a.id = std::string(analyzers::trim_space(id->get<std::string>()));
    if (a.id.empty()) throw FieldError{"field 'id' is empty"};
    if (a.id.size() > kMaxIdBytes)
      throw FieldError{"field 'id' is " + std::to_string(a.id.size()) + " bytes long; at most " +
                       std::to_string(kMaxIdBytes)};
    const auto body = obj.find("body");
    if (body == obj.end() || body->is_null()) throw FieldError{"missing required field 'body'"};
    if (!body->is_string()) throw FieldError{std::string("field 'body' must be a string, not ") + body->type_name()};
    a.paragraphs = split_paragraphs(body->get<std::string>());
    a.title = std::string(analyzers::trim_space(optional_string(obj, "title")));
    a.url = optional_string(obj, "url");
    a.author = std::string(analyzers::trim_space(optional_string(obj, "author")));
    a.published = optional_string(obj, "published");
    if (const auto tags = obj.find("tags"); tags != obj.end() && !tags->is_null()) {
      if (!tags->is_array()) throw FieldError{std::string("field 'tags' must be an array, not ") + tags->type_name()};
      for (const auto& t : *tags) {
        if (!t.is_string()) throw FieldError{"field 'tags' must hold strings only"};
        const std::string_view tag = analyzers::trim_space(t.get_ref<const std::string&>());
        if (!tag.empty()) a.tags.emplace_back(tag);
      }
    }
    if (const auto comments = obj.find("comments"); comments != obj.end() && !comments->is_null()) {
      if (!comments->is_array())
        throw FieldError{std::string("field 'comments' must be an array, not ") + comments->type_name()};
      for (std::size_t i = 0; i < comments->size(); ++i) {
        const json& c = (*comments)[i];
        const std::string where = "comments[" + std::to_string(i) + "].";
        if (!c.is_object()) throw FieldError{"field '" + where.substr(0, where.size() - 1) + "' must be an object"};
        const auto text = c.find("text");
        if (text == c.end() || !text->is_string()) throw FieldError{"field '" + where + "text' must be a string"};
        Comment comment{
            optional_string(c, "id", where), std::string(analyzers::trim_space(optional_string(c, "author", where))),
            optional_string(c, "published", where), std::string(analyzers::trim_space(text->get<std::string>()))};
        if (!comment.published.empty() && !is_iso8601(comment.published)) {
          problem("field '" + where + "published' is not an ISO 8601 date (\"" + comment.published + "\"); ignored",
                  false);
          comment.published.clear();
        }
        if (!comment.text.empty()) a.comments.push_back(std::move(comment));
      }
    }
    if (!a.published.empty() && !is_iso8601(a.published)) {
      problem("field 'published' is not an ISO 8601 date (\"" + a.published + "\"); ignored", false);
      a.published.clear();
    }
    a.source = source;
    out = std::move(a);
    return true;
  } catch (const FieldError& e) {
    problem(e.message, true);
    return false;
  }
}

namespace {

// Reads one line (without its '\n') into `line`, keeping at most `limit` bytes of it; `length` gets its
// whole length. False at the end of the input.
bool read_line(std::istream& in, std::string& line, std::size_t limit, std::size_t& length) {
  line.clear();
  length = 0;
  std::streambuf* buf = in.rdbuf();
  int c = buf->sbumpc();
  if (c == std::char_traits<char>::eof()) return false;
  for (; c != std::char_traits<char>::eof() && c != '\n'; c = buf->sbumpc())
    if (length++ < limit) line.push_back(static_cast<char>(c));
  return true;
}

}  // namespace

void read_jsonl(std::istream& in, const std::string& source,
                const std::function<void(Article&&, std::uint64_t line_no)>& on_article, std::vector<Problem>& problems,
                const std::function<bool()>& stop) {
  std::string line;
  std::uint64_t line_no = 0;
  std::size_t length = 0;
  while (!(stop && stop()) && read_line(in, line, kMaxArticleBytes, length)) {
    ++line_no;
    if (length > kMaxArticleBytes) {
      problems.push_back(Problem{source, line_no, 0, false, true,
                                 "line too long for one article (" + std::to_string(length) + " bytes; at most " +
                                     std::to_string(kMaxArticleBytes >> 20) + " MiB)"});
      continue;
    }
    if (analyzers::trim_space(line).empty()) continue;
    Article a;
    if (parse_jsonl_line(line, source, line_no, a, problems)) on_article(std::move(a), line_no);
  }
}

}  // namespace fundstelle::indexer
