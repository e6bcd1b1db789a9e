#include "indexer/robots.h"

#include <cctype>
#include <cstdlib>

#include "analyzers/normalize.h"
#include "base/utf8.h"

namespace fundstelle::indexer {
namespace {

// Whether `pattern` ('*' any run, '$' at the end: the end of the path) matches the start of `path`.
bool matches(std::string_view pattern, std::string_view path) {
  // Greedy matching with backtracking over the last '*', as in glob matching; patterns are short.
  std::size_t p = 0, s = 0, star = std::string_view::npos, mark = 0;
  while (true) {
    if (p < pattern.size() && pattern[p] == '$' && p + 1 == pattern.size()) {
      if (s == path.size()) return true;
    } else if (p == pattern.size()) {
      return true;  // the pattern is a prefix of (what is left of) the path
    } else if (pattern[p] == '*') {
      star = p++;
      mark = s;
      continue;
    } else if (s < path.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
      continue;
    }
    if (star == std::string_view::npos || mark >= path.size()) return false;
    p = star + 1;
    s = ++mark;
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool unreserved(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

}  // namespace

std::string robots_path(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto c = static_cast<unsigned char>(path[i]);
    if (c == '%' && i + 2 < path.size() && hex_value(path[i + 1]) >= 0 && hex_value(path[i + 2]) >= 0) {
      const auto v = static_cast<unsigned char>(hex_value(path[i + 1]) * 16 + hex_value(path[i + 2]));
      if (unreserved(v)) out.push_back(static_cast<char>(v));  // %62 is b
      else base::append_percent_escaped(out, v);               // %e3 stays an escape, as %E3
      i += 2;
    } else if (c >= 0x80 || c <= 0x20 || c == 0x7f) {
      base::append_percent_escaped(out, c);  // a byte outside printable ASCII (UTF-8 of ü): as its escape
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

RobotsRules RobotsRules::disallow_all() {
  RobotsRules r;
  r.rules_.push_back({false, "/"});
  return r;
}

RobotsRules RobotsRules::parse(std::string_view text, std::string_view agent) {
  const std::string me = analyzers::ascii_lower(agent);
  // The rules of the groups for us and of those for '*'; a group is one or more user-agent lines followed by
  // rules, and ends at the next user-agent line after a rule.
  RobotsRules mine, anyone;
  bool found_mine = false, in_mine = false, in_any = false, had_rule = false;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a byte order mark before the first field
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string key = analyzers::ascii_lower(analyzers::trim_space(line.substr(0, colon)));
    const std::string value(analyzers::trim_space(line.substr(colon + 1)));
    if (key == "user-agent") {
      if (had_rule) in_mine = in_any = had_rule = false;
      const std::string name = analyzers::ascii_lower(value);
      if (name == "*") in_any = true;
      else if (name.substr(0, name.find_first_of("/ ")) == me) in_mine = found_mine = true;
    } else if (key == "allow" || key == "disallow") {
      had_rule = true;
      if (value.empty()) continue;  // "Disallow:" with nothing: allows everything, as no rule does
      const Rule rule{key == "allow", robots_path(value)};
      if (in_mine) mine.rules_.push_back(rule);
      if (in_any) anyone.rules_.push_back(rule);
    } else if (key == "crawl-delay") {
      had_rule = true;
      const double d = std::strtod(value.c_str(), nullptr);
      if (d > 0) {
        if (in_mine) mine.crawl_delay_ = d;
        if (in_any) anyone.crawl_delay_ = d;
      }
    }
  }
  return found_mine ? mine : anyone;
}

bool RobotsRules::allows(std::string_view given) const {
  const std::string path = given.empty() ? std::string("/") : robots_path(given);
  if (path == "/robots.txt") return true;
  std::size_t best = 0;
  bool allowed = true;
  for (const auto& r : rules_) {
    if (!matches(r.pattern, path)) continue;
    if (r.pattern.size() > best || (r.pattern.size() == best && r.allow)) {
      best = r.pattern.size();
      allowed = r.allow;
    }
  }
  return allowed;
}

std::string url_path(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t from = scheme == std::string::npos ? 0 : scheme + 3;
  const std::size_t slash = url.find_first_of("/?#", from);
  if (slash == std::string::npos || url[slash] == '#') return "/";
  const std::string_view rest = std::string_view(url).substr(slash, url.find('#', slash) - slash);
  std::string out;
  if (rest.front() == '?') out.push_back('/');  // "https://a.de?x" asks for "/?x"
  out.append(rest);
  return out;
}

}  // namespace fundstelle::indexer
