// RSS and Atom feeds (.rss, .atom, and .xml whose root is a feed): each item or entry is one article. Parsed
// with libxml2 (never fetching anything: no network, no external entities or DTDs), in the charset the
// feed's XML declaration names.
//   - id: RSS guid, Atom id, else the item's link; an item with none of them is skipped with a warning;
//   - title (HTML in it read as text), link (RSS link, Atom link rel=alternate), date (RSS pubDate in RFC 822,
//     dc:date, Atom published, else updated, in RFC 3339), author (RSS author's name, dc:creator, Atom
//     author/name; several joined by ", "), tags (category: RSS text, Atom term or label);
//   - body: content:encoded, Atom content, else description or summary; HTML in it goes through the HTML
//     reader's text extraction without leaving anything out (a feed's content is the article itself), plain
//     text is split at blank lines.
// RSS 2.0, RSS 1.0 (RDF) and 0.9x, and Atom 1.0 are read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fundstelle/article.h"

namespace fundstelle::indexer {

struct FeedParse {
  bool is_feed = false;           // the root element is rss, rdf:RDF or feed
  std::string root;               // the root element's name, when it is not a feed ("" when not XML at all)
  std::string error;              // why the bytes are not a well-formed document, when they are not
  std::vector<Article> articles;  // in the feed's order, each with `source`
  std::vector<Problem> problems;  // items skipped (no id, no text) and repairs, each for `source`
};

// Never throws on content.
FeedParse parse_feed(std::string_view raw, const std::string& source);

}  // namespace fundstelle::indexer
