// robots.txt (RFC 9309), read as a polite crawler reads it before fetching a page of a site: the group of
// rules for our product token ("fundstelle", matched without regard to case) or else the group for "*";
// groups naming the same agent are merged; of the Allow and Disallow rules whose path matches, the longest
// wins, Allow on a tie; '*' matches any run of characters and a final '$' the end of the path. Crawl-delay,
// though not in the RFC, is read as many sites still set it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fundstelle::indexer {

class RobotsRules {
 public:
  // Everything allowed (no robots.txt: a 4xx answer, as the RFC says).
  static RobotsRules allow_all() { return {}; }
  // Nothing allowed (robots.txt unreachable: a 5xx answer or no answer, as the RFC says).
  static RobotsRules disallow_all();
  // The rules of `text` for the crawler named `agent` (its product token, such as "Fundstelle").
  static RobotsRules parse(std::string_view text, std::string_view agent);

  // Whether the path (with its query: "/a/b?c=d"; empty means "/") may be fetched. Rules and path are
  // compared as robots_path() writes them.
  bool allows(std::string_view path) const;
  // The group's Crawl-delay in seconds, 0 when it sets none.
  double crawl_delay() const { return crawl_delay_; }

 private:
  struct Rule {
    bool allow;
    std::string pattern;
  };
  std::vector<Rule> rules_;
  double crawl_delay_ = 0;
};

// A path (or a rule's pattern) as RFC 9309 compares them (section 2.2.2): bytes outside printable ASCII
// percent-encoded ("/münchen" -> "/m%C3%BCnchen"), an escape of an unreserved character decoded ("%62" -> "b"),
// other escapes kept (with upper-case digits: "%e3" -> "%E3"); reserved characters ('/', '?', '=', ...) and the
// pattern characters '*' and '$' as they are.
std::string robots_path(std::string_view path);

// The path and query of an http(s) URL ("https://a.de/x?y#z" -> "/x?y"), "/" when it has none.
std::string url_path(const std::string& url);

}  // namespace fundstelle::indexer
