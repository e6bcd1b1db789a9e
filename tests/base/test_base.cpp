// The small helpers every room uses: they must give the same values forever (hashes are stored in indexes).
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "base/dates.h"
#include "base/edit_distance.h"
#include "base/files.h"
#include "base/hash.h"
#include "base/utf8.h"
#include "base/varint.h"
#include "test_support.h"

namespace fundstelle::base {
namespace {

TEST_CASE("the FNV-1a hash and the id hash keep their values", "[base]") {
  // Not the published FNV-1a: our offset basis lacks the last digit of 14695981039346656037. Indexes store
  // these values (content hashes, keys of long ids, shard routing), so they stay as they are.
  CHECK(fnv1a("") == 1469598103934665603ULL);
  CHECK(fnv1a("a") == 0x44bd8ad473cd9906ULL);
  CHECK(fnv1a("bar", fnv1a("foo")) == fnv1a("foobar"));  // continuing a hash
  CHECK(hex64(0x0123456789abcdefULL) == "0123456789abcdef");
  CHECK(hex64(0) == "0000000000000000");
  const IdHash h = id_hash("artikel-1");
  CHECK(h.a == fnv1a("artikel-1"));
  CHECK(h.b != h.a);
  CHECK(id_hash("artikel-1") == h);
  CHECK_FALSE(id_hash("artikel-2") == h);
}

TEST_CASE("varints round-trip, and a cut one is refused", "[base]") {
  for (const std::uint64_t v : {0ULL, 1ULL, 127ULL, 128ULL, 300ULL, 1ULL << 35, ~0ULL}) {
    std::string out;
    put_varint(out, v);
    CHECK(out.size() == (v == 0 ? 1 : (64 - static_cast<std::size_t>(__builtin_clzll(v)) + 6) / 7));
    std::string_view in = out;
    std::uint64_t back = 0;
    REQUIRE(get_varint(in, back));
    CHECK(back == v);
    CHECK(in.empty());
    std::string_view cut = std::string_view(out).substr(0, out.size() - 1);
    if (!cut.empty()) CHECK_FALSE(get_varint(cut, back));
  }
}

TEST_CASE("date bounds as people write them become ISO prefixes, anything else is no date", "[base][dates]") {
  using fundstelle::base::date_bound;
  namespace c = std::chrono;
  const c::year_month_day today{c::year(2026), c::month(3), c::day(2)};
  using fundstelle::base::DateSide;
  const auto bound = [&](const char* text) { return date_bound(text, DateSide::From, today).value_or("<none>"); };
  CHECK(bound("2025") == "2025");
  CHECK(bound("2025-01") == "2025-01");
  CHECK(bound("2025-01-10") == "2025-01-10");
  CHECK(bound(" 2025-01-10 ") == "2025-01-10");
  CHECK(bound("2025-03-22T10:15:00+01:00") == "2025-03-22T10:15:00+01:00");
  CHECK(bound("10.01.2025") == "2025-01-10");
  CHECK(bound("1.1.25") == "2025-01-01");
  CHECK(bound("29.2.2024") == "2024-02-29");
  // A two-digit year is the nearest one at most ten years ahead of today (2026 here).
  CHECK(bound("1.1.36") == "2036-01-01");
  CHECK(bound("1.1.37") == "1937-01-01");
  CHECK(bound("31.12.99") == "1999-12-31");
  CHECK(bound("1.1.00") == "2000-01-01");
  // A date-time with a space is the same bound as with 'T'; a lower bound at midnight is the start of its day,
  // the day itself, while an upper bound at midnight stays a time (it does not take in the rest of the day).
  CHECK(bound("2025-03-22 10:15") == "2025-03-22T10:15");
  CHECK(bound("2025-03-22T00:00") == "2025-03-22");
  CHECK(bound("2025-03-22 00:00:00") == "2025-03-22");
  CHECK(date_bound("2025-03-22 00:00", DateSide::To, today) == "2025-03-22T00:00");
  CHECK(date_bound("2025-03-22", DateSide::To, today) == "2025-03-22");
  CHECK(bound("2025-03-22T00:00Z") == "2025-03-22T00:00Z");  // an offset is kept as written
  CHECK(fundstelle::base::comparable_date("2025-03-22 10:15") == "2025-03-22T10:15");
  CHECK(fundstelle::base::ends_before_it_begins("2025-06", "2025-01-01"));
  CHECK_FALSE(fundstelle::base::ends_before_it_begins("2025-06-01", "2025"));
  CHECK_FALSE(fundstelle::base::ends_before_it_begins("", "2025"));
  CHECK(bound("heute") == "2026-03-02");
  CHECK(bound("Today") == "2026-03-02");
  CHECK(bound("gestern") == "2026-03-01");
  CHECK(bound("yesterday") == "2026-03-01");
  CHECK(bound("2d") == "2026-02-28");  // across the end of February
  CHECK(bound("7d") == "2026-02-23");
  CHECK(bound("400d") == "2025-01-26");
  for (const char* bad :
       {"",           "2025-13-45", "2025-13", "2025-00",    "2025-02-30",    "2023-02-29", "30.02.2025",
        "10.13.2025", "1.1.5",      "1.1.025", "10/01/2025", "gestern abend", "morgen",     "d",
        "-7d",        "1234567d",   "0999",    "25",         "2025-1-10",     "10.01.2025x"}) {
    INFO(bad);
    CHECK_FALSE(date_bound(bad, DateSide::From, today));
  }
  // Feed dates: real days only.
  CHECK(fundstelle::base::is_iso8601("2024-02-29"));
  CHECK_FALSE(fundstelle::base::is_iso8601("2025-02-29"));
  CHECK_FALSE(fundstelle::base::is_iso8601("2025-04-31T10:00"));
}

TEST_CASE("closest_name finds the name meant by a mistyped one, within two edits", "[base]") {
  using fundstelle::base::closest_name;
  const std::vector<std::string> commands = {"index", "check", "compact", "export", "sources", "search", "serve"};
  CHECK(closest_name("serch", commands) == "search");
  CHECK(closest_name("sarch", commands) == "search");
  CHECK(closest_name("indx", commands) == "index");
  CHECK(closest_name("frobnicate", commands).empty());  // nothing near: no guess
  CHECK(closest_name("xy", commands).empty());
  CHECK(closest_name("qq", {"q", "limit"}) == "q");
  CHECK(closest_name("q", {"limit"}).empty());
  CHECK(closest_name("grün", {"grau", "grünt"}) == "grünt");  // code points, not bytes
  CHECK(fundstelle::base::edit_distance("münchen", "munchen", 2) == 1);
}

TEST_CASE("UTF-8 stepping counts code points, not bytes", "[base]") {
  const std::string text = "M\xC3\xBCnchen \xF0\x9F\x98\x80!";  // München 😀!
  CHECK(count_code_points(text) == 10);
  CHECK(next_code_point(text, 0) == 1);
  CHECK(next_code_point(text, 1) == 3);   // ü is two bytes
  CHECK(next_code_point(text, 9) == 13);  // 😀 is four
  CHECK(next_code_point(text, text.size()) == text.size());
  CHECK(byte_offset(text, 2) == 3);
  CHECK(byte_offset(text, 9) == 13);
  CHECK(byte_offset(text, 99) == text.size());
  CHECK(is_boundary(text, 0));
  CHECK(is_boundary(text, 1));
  CHECK_FALSE(is_boundary(text, 2));  // inside ü
  CHECK(is_boundary(text, text.size()));
}

TEST_CASE("a file written atomically is whole or absent, and paths are contained by components", "[base]") {
  test::TempDir dir;
  const std::string file = (dir / "list").string();
  REQUIRE(write_file_atomically(file, "eins\n"));
  REQUIRE(write_file_atomically(file, "zwei\n"));
  CHECK(test::read_text(file) == "zwei\n");
  CHECK_FALSE(std::filesystem::exists(file + ".tmp"));
  CHECK_FALSE(write_file_atomically((dir / "missing" / "list").string(), "x"));
  CHECK(sync_folder(dir.path().string()));
  CHECK_FALSE(sync_folder((dir / "missing").string()));

  CHECK(is_under("/a/b", "/a/b"));
  CHECK(is_under("/a/b/c.txt", "/a/b"));
  CHECK(is_under("/a/b/c.txt", "/a/b/"));
  CHECK_FALSE(is_under("/a/bc/d.txt", "/a/b"));
  CHECK_FALSE(is_under("/a", "/a/b"));
}

}  // namespace
}  // namespace fundstelle::base

TEST_CASE("RSS dates (RFC 822) become ISO 8601 date-times with their offset", "[base][dates]") {
  using fundstelle::base::iso_from_rfc822;
  CHECK(iso_from_rfc822("Tue, 10 Jun 2003 04:00:00 GMT") == "2003-06-10T04:00:00Z");
  CHECK(iso_from_rfc822("10 Jun 2003 04:00 +0200") == "2003-06-10T04:00:00+02:00");
  CHECK(iso_from_rfc822("Sat, 07 Sep 02 00:00:01 EDT") == "2002-09-07T00:00:01-04:00");
  CHECK(iso_from_rfc822("  Wed, 2 Oct 2024 23:59:59 -0930 ") == "2024-10-02T23:59:59-09:30");
  CHECK(iso_from_rfc822("Mi, 13 Mär 2024 17:05 MEZ") == "2024-03-13T17:05:00+01:00");
  CHECK(iso_from_rfc822("1 Dez 2024 10:00:00 MESZ") == "2024-12-01T10:00:00+02:00");
  CHECK(iso_from_rfc822("1 September 2024 10:00:00 UT") == "2024-09-01T10:00:00Z");
  CHECK(iso_from_rfc822("Tue, 10 Jun 2003 04:00:00") == "2003-06-10T04:00:00Z");  // no zone: GMT
  for (const char* bad : {"", "gestern", "31 Feb 2024 10:00:00 GMT", "10 Foo 2003 04:00:00 GMT", "10 Jun 2003",
                          "10 Jun 2003 25:00:00 GMT", "10 Jun 2003 04:00:00 XYZ", "2003-06-10T04:00:00Z",
                          "10 Jun 2003 04:00:00 GMT und mehr"})
    CHECK_FALSE(iso_from_rfc822(bad).has_value());
}
