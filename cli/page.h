// The search page answered with its results in it: what `GET /?q=…` gives a browser without JavaScript (and
// what any browser shows before the script runs, which then renders the same results itself).
#pragma once

#include <string>

#include "fundstelle/fundstelle.h"

namespace fundstelle::cli {

// The largest offset a search over HTTP takes (GET /search and the page): deeper pages are refused, so the
// page offers no link past it.
inline constexpr std::size_t kMaxOffset = 1000;

// What the page shows for one search.
struct PageSearch {
  std::string query;                       // as typed
  SearchOptions options;                   // its offset, order and filters (for the paging links)
  const SearchResults* results = nullptr;  // null when the search failed
  std::string error;                       // why, in German, when it failed
  std::size_t page_size = 10;
};

// `page` (cli/web/index.html) with the query in its search field, the order chosen, the results (or the error)
// where the script would put them, and links to the previous and next page for a browser without JavaScript.
std::string page_with_results(const std::string& page, const PageSearch& search);

// The German message for a failed search, as the page's script words it (HTTP status; the parameter named
// by a 400, or a position in the query for a malformed one).
std::string german_error(int status, const std::string& parameter, long position);

}  // namespace fundstelle::cli
