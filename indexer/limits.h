// Limits on input: beyond them an input is reported and skipped, so that one hostile or broken file cannot
// exhaust memory or time while everything around it is indexed.
#pragma once

#include <cstddef>

namespace fundstelle::indexer {

// One article: a .txt file, or one line of a JSON Lines feed. Real articles with all their comments are a few
// hundred KB; 16 MiB leaves room for a 10,000-comment article.
inline constexpr std::size_t kMaxArticleBytes = std::size_t{16} << 20;
// An RSS or Atom file is read whole (its XML tree takes several times its size): at most this.
inline constexpr std::size_t kMaxFeedFileBytes = std::size_t{64} << 20;

// An article id (a feed's "id"): it is shown with every hit of the article and is the key to it in URLs, so a
// megabyte id would make every answer that finds it a megabyte per hit. File paths are shorter anyway.
inline constexpr std::size_t kMaxIdBytes = 1024;

}  // namespace fundstelle::indexer
