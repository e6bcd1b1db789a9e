// What a file's name says it holds, where the indexer and `index --watch` (which sees only names) must agree.
#pragma once

#include <cstddef>
#include <string_view>

namespace fundstelle::base {

// An HTML page: .html, .htm or .xhtml, the extension in any case.
inline bool is_html_name(std::string_view name) {
  const auto ends_with = [&](std::string_view ext) {
    if (name.size() < ext.size()) return false;
    for (std::size_t i = 0; i < ext.size(); ++i) {
      char c = name[name.size() - ext.size() + i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != ext[i]) return false;
    }
    return true;
  };
  return ends_with(".html") || ends_with(".htm") || ends_with(".xhtml");
}

// An RSS or Atom feed, or XML that may be one (read to tell): .rss, .atom, .xml, the extension in any case.
inline bool is_feed_name(std::string_view name) {
  const auto ends_with = [&](std::string_view ext) {
    if (name.size() < ext.size()) return false;
    for (std::size_t i = 0; i < ext.size(); ++i) {
      char c = name[name.size() - ext.size() + i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != ext[i]) return false;
    }
    return true;
  };
  return ends_with(".rss") || ends_with(".atom") || ends_with(".xml");
}

}  // namespace fundstelle::base
