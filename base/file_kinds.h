// What a file's name says it holds, where the indexer and `index --watch` (which sees only names) must agree;
// and what is no file but a URL to fetch.
#pragma once

#include <cstddef>
#include <string_view>

namespace fundstelle::base {

// Whether `name` ends in `ext` (lower case, with its dot), the name's letters in any case.
inline bool has_extension(std::string_view name, std::string_view ext) {
  if (name.size() < ext.size()) return false;
  for (std::size_t i = 0; i < ext.size(); ++i) {
    char c = name[name.size() - ext.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != ext[i]) return false;
  }
  return true;
}

// An HTML page: .html, .htm or .xhtml, the extension in any case.
inline bool is_html_name(std::string_view name) {
  return has_extension(name, ".html") || has_extension(name, ".htm") || has_extension(name, ".xhtml");
}

// An RSS or Atom feed, or XML that may be one (read to tell): .rss, .atom, .xml, the extension in any case.
inline bool is_feed_name(std::string_view name) {
  return has_extension(name, ".rss") || has_extension(name, ".atom") || has_extension(name, ".xml");
}

// Whether `source` is an http:// or https:// URL (the scheme in any case): fetched, not opened as a path.
inline bool is_http_url(std::string_view source) {
  const auto starts = [&](std::string_view scheme) {
    if (source.size() < scheme.size()) return false;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
      char c = source[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != scheme[i]) return false;
    }
    return true;
  };
  return starts("http://") || starts("https://");
}

}  // namespace fundstelle::base
