#include "output.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "base/utf8.h"

namespace fundstelle::cli {

// (Text from indexed articles and the query itself go to a terminal.)
std::string one_line(std::string s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n' || c == '\r' || c == '\t') out += ' ';
    else if (c < 0x20 || c == 0x7F) out += "\xEF\xBF\xBD";
    else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
             static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

namespace {

constexpr const char* kMark = "\x1b[1;33m";
constexpr const char* kDim = "\x1b[2m";
constexpr const char* kBold = "\x1b[1m";
constexpr const char* kReset = "\x1b[0m";

}  // namespace

std::string host_of(const std::string& url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return {};
  const std::size_t from = scheme + 3;
  std::size_t to = url.find_first_of("/?#", from);
  if (to == std::string::npos) to = url.size();
  std::string host = url.substr(from, to - from);
  if (const std::size_t at = host.rfind('@'); at != std::string::npos) host.erase(0, at + 1);  // user:pw@
  // The port after the host: after the ']' of an IPv6 address ([::1]:8080 → [::1]), else after the last ':'.
  const std::size_t bracket = host.rfind(']');
  if (const std::size_t port = host.rfind(':');
      port != std::string::npos && (bracket == std::string::npos || port > bracket))
    host.erase(port);
  return host;
}

void print_hit_terminal(std::ostream& out, const Hit& hit, bool color) {
  out << (color ? kBold : "") << hit.rank << ". "
      << one_line(clip(hit.title.empty() ? hit.article : hit.title, kMaxShownTitle)) << (color ? kReset : "") << '\n';
  out << "   " << (color ? kDim : "") << one_line(hit.article);
  // The article's date and source (the host of its URL), where it has them.
  if (!hit.published.empty()) out << " \xC2\xB7 " << one_line(hit.published.substr(0, 10));
  if (const std::string host = host_of(hit.url); !host.empty()) out << " \xC2\xB7 " << one_line(clip(host, 80));
  if (hit.kind == PassageKind::Article && !hit.author.empty()) out << " \xC2\xB7 by " << one_line(clip(hit.author, 80));
  out << " \xC2\xB7 " << to_string(hit.kind);
  if (hit.kind == PassageKind::Comment) {
    out << ' ' << hit.comment + 1;
    // The comment's own author and date, where the feed gave them.
    if (!hit.author.empty() || !hit.comment_published.empty()) {
      out << " (";
      if (!hit.author.empty()) out << one_line(clip(hit.author, 80)) << (hit.comment_published.empty() ? "" : ", ");
      out << one_line(hit.comment_published.substr(0, 10)) << ')';
    }
  }
  if (!hit.section.empty())
    out << " \xC2\xB7 section \xE2\x80\x9E" << one_line(clip(hit.section, kMaxShownTitle)) << "\xE2\x80\x9C";
  out << " \xC2\xB7 passage " << hit.ordinal + 1 << " \xC2\xB7 score " << std::fixed;
  out.precision(2);
  out << hit.score << (color ? kReset : "") << '\n';
  out.unsetf(std::ios::floatfield);

  const std::string text = one_line(hit.text);
  std::string body;
  std::size_t at = 0;
  for (const auto& h : hit.highlights) {
    const std::size_t b = base::byte_offset(text, h.begin), e = base::byte_offset(text, h.end);
    if (b < at || e <= b) continue;
    body += text.substr(at, b - at);
    if (color) body += kMark;
    body += text.substr(b, e - b);
    if (color) body += kReset;
    at = e;
  }
  body += text.substr(at);
  out << "   " << body << '\n';
  if (hit.explanation) {
    const auto& e = *hit.explanation;
    std::ostringstream line;
    line.setf(std::ios::fixed);
    line.precision(2);
    line << "   explain: bm25 " << e.bm25 << " \xC2\xB7 covers " << e.covered << "/" << e.concepts << " concepts";
    if (e.covered >= 2) line << " \xC2\xB7 within " << e.window + 1 << " words \xC2\xB7 proximity " << e.proximity;
    if (e.typed > 0) line << " \xC2\xB7 " << e.typed << " as typed \xC3\x97" << e.typed_factor;
    line << " \xC2\xB7 score " << hit.score << "\n   terms:";
    for (const auto& t : e.terms) {
      line << ' ' << t.term << " (" << t.kind;
      if (t.factor != 1.0) line << " \xC3\x97" << t.factor;
      line << ") " << t.weight << ';';
    }
    out << (color ? kDim : "") << line.str() << (color ? kReset : "") << '\n';
  }
  out << '\n';
}

void print_notes_terminal(std::ostream& out, const SearchResults& results, bool color, bool blank_line) {
  const char* dim = color ? kDim : "";
  const char* reset = color ? kReset : "";
  if (results.corrected) {
    out << dim << "showing results for: " << reset << one_line(results.suggestion);
    for (std::size_t i = 0; i < results.corrections.size(); ++i)
      out << dim << (i ? ", " : " (corrected from: ") << reset << one_line(results.corrections[i].word);
    out << dim << (results.corrections.empty() ? "" : ")") << reset << '\n';
  } else if (!results.suggestion.empty())
    out << dim << "did you mean: " << reset << one_line(results.suggestion) << '\n';
  if (!results.expansions.empty()) {
    out << dim << "also searched: " << reset;
    for (std::size_t i = 0; i < results.expansions.size(); ++i) {
      const auto& e = results.expansions[i];
      out << (i ? "; " : "") << one_line(e.word) << " \xE2\x86\x92 ";
      const char* between = e.kind == ExpansionKind::Parts ? " + " : ", ";
      for (std::size_t k = 0; k < e.synonyms.size(); ++k) out << (k ? between : "") << one_line(e.synonyms[k]);
      if (e.kind == ExpansionKind::Parts) out << " (near each other)";
    }
    out << '\n';
  }
  const auto list = [&](const char* label, const std::vector<std::string>& words) {
    if (words.empty()) return;
    out << dim << label << reset;
    for (std::size_t i = 0; i < words.size(); ++i) out << (i ? ", " : "") << one_line(words[i]);
    out << '\n';
  };
  list("not in the index: ", results.unknown);
  list("ignored (too common): ", results.ignored);
  if (blank_line && (results.corrected || !results.suggestion.empty() || !results.expansions.empty() ||
                     !results.unknown.empty() || !results.ignored.empty()))
    out << '\n';
}

void print_facets_terminal(std::ostream& out, const SearchResults& results, bool color) {
  for (const auto& f : results.facets) {
    out << (color ? kDim : "") << f.name << ':' << (color ? kReset : "");
    if (f.values.empty()) out << " (none)";
    for (std::size_t i = 0; i < f.values.size(); ++i)
      out << (i ? ", " : " ") << one_line(clip(f.values[i].value, 80)) << " (" << f.values[i].count << ')';
    out << '\n';
  }
}

nlohmann::json facets_json(const std::vector<Facet>& facets) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : facets) {
    nlohmann::json values = nlohmann::json::array();
    for (const auto& v : f.values) values.push_back({{"value", clip(v.value, kMaxShownTitle)}, {"count", v.count}});
    out.push_back({{"name", f.name}, {"passages", f.passages}, {"values", values}});
  }
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string snippet_html(const Hit& hit, const SnippetTags& tags) {
  std::string snippet;
  std::size_t at = 0;
  for (const auto& h : hit.highlights) {
    const std::size_t b = base::byte_offset(hit.text, h.begin), e = base::byte_offset(hit.text, h.end);
    if (b < at || e <= b) continue;
    snippet += html_escape(std::string_view(hit.text).substr(at, b - at)) + tags.pre +
               html_escape(std::string_view(hit.text).substr(b, e - b)) + tags.post;
    at = e;
  }
  return snippet + html_escape(std::string_view(hit.text).substr(std::min(at, hit.text.size())));
}

void article_members(JsonObject& o, const Hit& hit) {
  o.add_owned("title", clip(hit.title, kMaxShownTitle));
  if (!hit.url.empty()) o.add_owned("url", clip(hit.url, kMaxShownUrl));
  if (!hit.published.empty()) o.add("published", hit.published);
  if (!hit.tags.empty()) {
    std::vector<std::string> tags;
    for (const auto& t : hit.tags) tags.push_back(clip(t, kMaxShownTitle));
    o.add_json("tags", json_strings(tags));
  }
}

void hit_members(JsonObject& o, const Hit& hit, const SnippetTags& tags, HitFields which) {
  const bool stored = which == HitFields::Stored;
  if (!stored) {
    o.add("rank", hit.rank);
    o.add("score", hit.score);
    o.add("article", hit.article);
  }
  if (which == HitFields::All) article_members(o, hit);
  o.add("kind", to_string(hit.kind));
  o.add("ordinal", hit.ordinal);
  JsonArray span;
  span.add(hit.span.begin);
  span.add(hit.span.end);
  o.add_json("span", span.str());
  o.add("text", hit.text);
  if (hit.kind == PassageKind::Comment) o.add("comment", hit.comment);
  if (!stored) {
    // Highlights in code points, the same in UTF-8 bytes, and the text as HTML with the highlights tagged.
    JsonArray spans, bytes;
    for (const auto& h : hit.highlights) {
      spans.add_pair(h.begin, h.end);
      bytes.add_pair(base::byte_offset(hit.text, h.begin), base::byte_offset(hit.text, h.end));
    }
    o.add_json("highlights", spans.str());
    o.add_json("highlights_bytes", bytes.str());
    if (tags.wanted) o.add_owned("snippet", snippet_html(hit, tags));
  }
  // An article's passage has the article's author (given once with the article on its page).
  if (!hit.author.empty() && !(stored && hit.kind == PassageKind::Article))
    o.add_owned("author", clip(hit.author, kMaxShownTitle));
  if (!hit.comment_published.empty()) o.add("comment_published", hit.comment_published);
  if (!hit.section.empty()) o.add_owned("section", clip(hit.section, kMaxShownTitle));
  if (hit.explanation && !stored) {
    const auto& e = *hit.explanation;
    JsonArray terms;
    for (const auto& t : e.terms) {
      JsonObject term;
      term.add("term", t.term);
      term.add("kind", t.kind);
      term.add("weight", t.weight);
      term.add("factor", t.factor);
      terms.add_json(term.str());
    }
    JsonObject x;
    x.add("bm25", e.bm25);
    x.add("covered", e.covered);
    x.add("concepts", e.concepts);
    x.add("typed", e.typed);
    x.add("typed_factor", e.typed_factor);
    x.add("window", e.window);
    x.add("proximity", e.proximity);
    x.add_json("terms", terms.str());
    o.add_json("explain", x.str());
  }
}

void query_members(JsonObject& o, const SearchResults& results) {
  JsonArray expansions;
  for (const auto& e : results.expansions) {
    JsonObject x;
    x.add("word", e.word);
    x.add_json("synonyms", json_strings(e.synonyms));
    x.add("kind", to_string(e.kind));
    expansions.add_json(x.str());
  }
  o.add_json("expansions", expansions.str());
  o.add_json("ignored", json_strings(results.ignored));
  o.add_json("unknown", json_strings(results.unknown));
  if (!results.suggestion.empty()) {
    o.add("suggestion", results.suggestion);
    o.add_bool("corrected", results.corrected);
    JsonArray corrections;
    for (const auto& c : results.corrections) {
      JsonObject x;
      x.add("word", c.word);
      x.add("corrected", c.corrected);
      corrections.add_json(x.str());
    }
    o.add_json("corrections", corrections.str());
  }
}

std::string dump(const nlohmann::json& j) {
  // Invalid UTF-8 cannot reach here (the indexer repairs it), but never let output abort on it.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void print_hit_json(std::ostream& out, const Hit& hit, const SearchResults& results, const SnippetTags& tags) {
  JsonObject j;
  hit_members(j, hit, tags, HitFields::All);
  j.add("type", "hit");
  query_members(j, results);
  out << j.str() << '\n';
}

void print_summary_json(std::ostream& out, const std::string& query, const SearchOptions& options,
                        const SearchResults& results, double milliseconds) {
  JsonObject j;
  j.add("type", "summary");
  j.add("query", query);
  j.add("total_estimate", results.total_estimate);
  j.add("returned", results.hits.size());
  j.add("offset", options.offset);
  j.add("limit", options.limit);
  j.add("milliseconds", milliseconds);
  if (!options.facets.empty()) j.add_json("facets", dump(facets_json(results.facets)));
  query_members(j, results);
  out << j.str() << '\n';
}

std::string query_with_caret(const std::string& query, std::size_t position) {
  // A long query is shown around the error only, so the caret stays on screen.
  constexpr std::size_t kContext = 40;
  const std::size_t first = position > kContext ? position - kContext : 0;
  const std::size_t from = base::byte_offset(query, first), to = base::byte_offset(query, position + kContext);
  std::string shown = (first ? "\xE2\x80\xA6" : "") + one_line(query.substr(from, to - from)) +
                      (to < query.size() ? "\xE2\x80\xA6" : "");
  std::string caret(position - first + (first ? 1 : 0), ' ');
  return "  " + shown + "\n  " + caret + "^";
}

namespace {

// The seconds left, from the share done and the time it took; none until there is something to go by.
std::optional<double> seconds_left(const IndexProgress& p) {
  const bool estimating = p.phase == IndexProgress::Phase::Reading || p.phase == IndexProgress::Phase::Analysing ||
                          p.phase == IndexProgress::Phase::Writing;
  if (!estimating || p.fraction < 0.01 || p.fraction >= 1 || p.seconds < 1) return std::nullopt;
  return p.seconds * (1 - p.fraction) / p.fraction;
}

std::string duration(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  std::ostringstream out;
  if (s < 60) out << s << " s";
  else if (s < 3600) out << s / 60 << " min " << s % 60 << " s";
  else out << s / 3600 << " h " << s % 3600 / 60 << " min";
  return out.str();
}

std::string megabytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", static_cast<double>(bytes) / 1e6);
  return text;
}

}  // namespace

std::string progress_line(const IndexProgress& p) {
  // (A stream, not string concatenation: GCC 12 at -O3 misreads `" " + std::to_string(...)` as an overlapping
  // copy, -Wrestrict, bug 105329.)
  std::ostringstream out;
  const char* dot = " \xC2\xB7 ";
  out << to_string(p.phase);
  if (p.phase == IndexProgress::Phase::Reading || p.phase == IndexProgress::Phase::Analysing ||
      (p.phase == IndexProgress::Phase::Writing && p.fraction < 1))
    out << ' ' << static_cast<int>(p.fraction * 100) << '%' << dot << megabytes(p.bytes_read) << " of "
        << megabytes(p.bytes_total) << " MB";
  out << dot << p.articles_read << " articles read, " << p.articles_written << " written (" << p.passages_written
      << " passages)";
  if (p.seconds >= 1 && p.fraction < 1)
    out << dot << megabytes(static_cast<std::uint64_t>(static_cast<double>(p.bytes_read) / p.seconds)) << " MB/s";
  if (const auto left = seconds_left(p)) out << dot << duration(*left) << " left";
  if (!p.source.empty()) out << dot << one_line(clip(std::filesystem::path(p.source).filename().string(), 40));
  return out.str();
}

nlohmann::json progress_json(const IndexProgress& p) {
  nlohmann::json j = {{"type", "progress"},
                      {"phase", to_string(p.phase)},
                      {"articles_read", p.articles_read},
                      {"articles_written", p.articles_written},
                      {"passages_written", p.passages_written},
                      {"bytes_read", p.bytes_read},
                      {"bytes_total", p.bytes_total},
                      {"percent", std::round(p.fraction * 1000) / 10},
                      {"seconds", std::round(p.seconds * 1000) / 1000},
                      {"bytes_per_second",
                       p.seconds > 0 ? static_cast<std::uint64_t>(static_cast<double>(p.bytes_read) / p.seconds) : 0},
                      {"source", p.source}};
  const auto left = seconds_left(p);
  j["seconds_left"] = left ? nlohmann::json(std::round(*left * 10) / 10) : nlohmann::json(nullptr);
  return j;
}

}  // namespace fundstelle::cli
