// robots.txt as RFC 9309 reads it: our group or else '*', the longest match, Allow on a tie, '*' and '$'.
#include <catch2/catch.hpp>

#include "indexer/http_fetch.h"
#include "indexer/robots.h"

using fundstelle::indexer::robots_path;
using fundstelle::indexer::RobotsRules;
using fundstelle::indexer::url_origin;
using fundstelle::indexer::url_path;

TEST_CASE("robots.txt: the group for us - else the one for everyone", "[robots]") {
  const char* text = "# Beispiel\n"
                     "User-agent: *\n"
                     "Disallow: /privat/\n"
                     "Crawl-delay: 5\n"
                     "\n"
                     "User-agent: Googlebot\n"
                     "User-agent: FUNDSTELLE\n"
                     "Disallow: /suche\n"
                     "Allow: /suche/hilfe\n";
  const auto us = RobotsRules::parse(text, "Fundstelle");
  CHECK_FALSE(us.allows("/suche?q=x"));
  CHECK(us.allows("/suche/hilfe/"));
  CHECK(us.allows("/privat/a.html"));  // the '*' group is not ours once a group names us
  CHECK(us.crawl_delay() == 0);
  const auto other = RobotsRules::parse(text, "OtherBot");
  CHECK_FALSE(other.allows("/privat/a.html"));
  CHECK(other.allows("/suche"));
  CHECK(other.crawl_delay() == 5);
  CHECK(other.allows("/robots.txt"));
}

TEST_CASE("robots.txt: longest match wins - Allow on a tie - wildcards", "[robots]") {
  const auto r = RobotsRules::parse("User-agent: *\r\nDisallow: /*.pdf$\r\nDisallow: /archiv\r\nAllow: /archiv/2024\r\n"
                                    "Disallow: /x\r\nAllow: /x\r\nDisallow:\r\n",
                                    "Fundstelle");
  CHECK_FALSE(r.allows("/dokumente/a.pdf"));
  CHECK(r.allows("/dokumente/a.pdf?seite=2"));  // '$': the path must end there
  CHECK_FALSE(r.allows("/archiv/2023/a.html"));
  CHECK(r.allows("/archiv/2024/a.html"));
  CHECK(r.allows("/x/y"));  // a tie: Allow
  CHECK(r.allows("/"));
  CHECK(r.allows(""));
}

TEST_CASE("robots.txt: a byte order mark before the first field", "[robots]") {
  CHECK_FALSE(RobotsRules::parse("\xEF\xBB\xBFUser-agent: *\nDisallow: /\n", "Fundstelle").allows("/a"));
}

TEST_CASE("URLs: private and loopback addresses are told from the internet's", "[robots]") {
  using fundstelle::indexer::is_private_address;
  for (const char* ip : {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
                         "0.0.0.0", "100.64.0.1", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "", "kein"})
    CHECK(is_private_address(ip));
  for (const char* ip : {"8.8.8.8", "172.32.0.1", "193.99.144.80", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8"})
    CHECK_FALSE(is_private_address(ip));
}

TEST_CASE("robots.txt: none - unreachable - empty", "[robots]") {
  CHECK(RobotsRules::allow_all().allows("/a"));
  CHECK_FALSE(RobotsRules::disallow_all().allows("/a"));
  CHECK(RobotsRules::disallow_all().allows("/robots.txt"));
  CHECK(RobotsRules::parse("", "Fundstelle").allows("/a"));
  CHECK(RobotsRules::parse("\x00\xff garbage: yes\n", "Fundstelle").allows("/a"));
  CHECK_FALSE(RobotsRules::parse("User-agent: *\nDisallow: /\n", "Fundstelle").allows("/a"));
}

TEST_CASE("URLs: path with query - origin", "[robots]") {
  CHECK(url_path("https://a.example/x/y?z=1#frag") == "/x/y?z=1");
  CHECK(url_path("https://a.example") == "/");
  CHECK(url_path("https://a.example?x") == "/?x");
  CHECK(url_path("https://a.example#top") == "/");
  CHECK(url_origin("HTTPS://User:pw@A.Example:8080/x") == "https://a.example:8080");
  CHECK(url_origin("http://a.example?x") == "http://a.example");
  CHECK(url_origin("/etc/passwd").empty());
}

TEST_CASE("robots.txt: paths compared percent-encoded as RFC 9309 says", "[robots]") {
  // The RFC's examples (section 2.2.2), and hex digits in either case.
  CHECK(robots_path("/foo/bar?baz=quz") == "/foo/bar?baz=quz");
  CHECK(robots_path("/foo/bar/\xE3\x83\x84") == "/foo/bar/%E3%83%84");
  CHECK(robots_path("/foo/bar/%E3%83%84") == "/foo/bar/%E3%83%84");
  CHECK(robots_path("/foo/bar/%62%61%7A") == "/foo/bar/baz");
  CHECK(robots_path("/a/%e3%83%84") == "/a/%E3%83%84");
  CHECK(robots_path("/a/%2F/%3f") == "/a/%2F/%3F");  // reserved characters stay escaped
  CHECK(robots_path("/a%") == "/a%");                // not an escape: as it is
  CHECK(robots_path("/a%4") == "/a%4");
  CHECK(robots_path("/*.pdf$") == "/*.pdf$");
  // A rule written in UTF-8 holds for the URL's escapes, and one written escaped for a path in UTF-8.
  const auto r = RobotsRules::parse("User-agent: *\nDisallow: /m\xC3\xBCnchen/\nDisallow: /k%C3%B6ln/\n"
                                    "Disallow: /%7Eprivat/\n",
                                    "Fundstelle");
  CHECK_FALSE(r.allows("/m%C3%BCnchen/a.html"));
  CHECK_FALSE(r.allows("/m%c3%bcnchen/a.html"));
  CHECK_FALSE(r.allows("/k\xC3\xB6ln/a.html"));
  CHECK_FALSE(r.allows("/~privat/a.html"));
  CHECK(r.allows("/muenchen/a.html"));
  CHECK(r.allows("/m%C3%BCnchen2"));  // (the rule ends in '/')
}
