// Publication dates: the ISO 8601 check of feed dates (indexer/), and the date bounds of a search as people
// write them (searcher/, and the CLI and the server to name a bad one). Dates are calendar dates: a day that
// does not exist (2025-02-30) is no date.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace fundstelle::base {

namespace dates_detail {

inline bool digits(std::string_view s, std::size_t from, std::size_t n) {
  if (from + n > s.size()) return false;
  for (std::size_t i = from; i < from + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

inline int number(std::string_view s) {
  int n = 0;
  for (const char c : s) n = n * 10 + (c - '0');
  return n;
}

inline bool real_day(int year, int month, int day) {
  return std::chrono::year_month_day(std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                     std::chrono::day(static_cast<unsigned>(day)))
      .ok();
}

inline std::string iso(const std::chrono::year_month_day& d) {
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return out;
}

}  // namespace dates_detail

// True for an ISO 8601 date or date-time of a real day (2025-03-22, 2025-03-22T10:15:00+01:00, ...Z).
inline bool is_iso8601(std::string_view s) {
  using dates_detail::digits;
  if (!(digits(s, 0, 4) && s.size() >= 10 && s[4] == '-' && digits(s, 5, 2) && s[7] == '-' && digits(s, 8, 2)))
    return false;
  if (!dates_detail::real_day(dates_detail::number(s.substr(0, 4)), dates_detail::number(s.substr(5, 2)),
                              dates_detail::number(s.substr(8, 2))))
    return false;
  if (s.size() == 10) return true;
  if (s[10] != 'T' && s[10] != ' ') return false;
  if (!(digits(s, 11, 2) && s.size() >= 16 && s[13] == ':' && digits(s, 14, 2))) return false;
  const auto two = [&](std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); };
  if (two(11) > 24 || two(14) > 59) return false;
  std::size_t i = 16;
  if (i < s.size() && s[i] == ':') {
    if (!digits(s, i + 1, 2) || two(i + 1) > 60) return false;
    i += 3;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    }
  }
  if (i == s.size()) return true;
  if (s[i] == 'Z') return i + 1 == s.size();
  if (s[i] == '+' || s[i] == '-')
    return digits(s, i + 1, 2) && s.size() - i - 1 >= 2 &&
           (s.size() == i + 3 || (s.size() == i + 6 && s[i + 3] == ':' && digits(s, i + 4, 2)) ||
            (s.size() == i + 5 && digits(s, i + 3, 2)));
  return false;
}

// A stored ISO 8601 date as it is compared and sorted: a date-time's space separator (allowed by RFC 3339)
// becomes 'T', so that "2025-03-22 10:15" and "2025-03-22T10:15" sort alike.
inline std::string comparable_date(std::string_view iso) {
  std::string out(iso);
  if (out.size() > 10 && out[10] == ' ') out[10] = 'T';
  return out;
}

// Today's date where the program runs.
inline std::chrono::year_month_day today_here() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return std::chrono::year_month_day(std::chrono::year(local.tm_year + 1900),
                                     std::chrono::month(static_cast<unsigned>(local.tm_mon + 1)),
                                     std::chrono::day(static_cast<unsigned>(local.tm_mday)));
}

// Which end of a date range a bound is.
enum class DateSide { From, To };

// What a search's date bound, written as people write it, stands for: the ISO 8601 prefix that the stored
// dates are compared with (a year, a month or a day takes in all of it; a date-time is kept as written, its
// separator made 'T'). A date without a time counts as the start of its day, so a lower bound at midnight
// without an offset is its day (and takes in the dates stored without a time); an upper bound at midnight
// stays a time, so that "to 2025-06-01T00:00" does not take in the rest of that day. Forms: 2025, 2025-01, 2025-01-10,
// an ISO date-time; German 10.01.2025, 1.1.2025 and 1.1.25 (a two-digit year is the one nearest today that is at most
// ten years ahead: in 2026, 25 is 2025 and 99 is 1999); today or heute, yesterday or gestern, and 7d (that many days
// before today). Nothing if `text` is none of them.
inline std::optional<std::string> date_bound(std::string_view text, DateSide side = DateSide::From,
                                             const std::chrono::year_month_day& today = today_here()) {
  using dates_detail::digits;
  using dates_detail::number;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  std::string lower(text);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  const auto days_ago = [&](int n) {
    return dates_detail::iso(std::chrono::year_month_day(std::chrono::sys_days(today) - std::chrono::days(n)));
  };
  if (lower == "today" || lower == "heute") return days_ago(0);
  if (lower == "yesterday" || lower == "gestern") return days_ago(1);
  if (lower.size() >= 2 && lower.size() <= 6 && lower.back() == 'd' && digits(lower, 0, lower.size() - 1))
    return days_ago(number(std::string_view(lower).substr(0, lower.size() - 1)));
  if (text.size() == 4 && digits(text, 0, 4) && number(text) >= 1000) return std::string(text);
  if (text.size() == 7 && digits(text, 0, 4) && text[4] == '-' && digits(text, 5, 2)) {
    const int month = number(text.substr(5, 2));
    if (number(text.substr(0, 4)) >= 1000 && month >= 1 && month <= 12) return std::string(text);
    return std::nullopt;
  }
  if (is_iso8601(text)) {
    if (number(text.substr(0, 4)) < 1000) return std::nullopt;
    std::string bound = comparable_date(text);
    if (side == DateSide::From && bound.size() > 10 && bound.find_first_not_of("0:", 11) == std::string::npos)
      bound.resize(10);
    return bound;
  }
  // German: day.month.year, one or two digits for day and month, four or two for the year.
  std::string_view rest = text;
  int parts[3] = {0, 0, 0};
  std::size_t widths[3] = {0, 0, 0};
  for (int k = 0; k < 3; ++k) {
    std::size_t n = 0;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    if (n == 0 || n > 4) return std::nullopt;
    parts[k] = number(rest.substr(0, n));
    widths[k] = n;
    rest.remove_prefix(n);
    if (k < 2) {
      if (rest.empty() || rest.front() != '.') return std::nullopt;
      rest.remove_prefix(1);
    }
  }
  if (!rest.empty() || widths[0] > 2 || widths[1] > 2 || (widths[2] != 2 && widths[2] != 4)) return std::nullopt;
  int year = parts[2];
  if (widths[2] == 2) {
    const int now = static_cast<int>(today.year());
    year = now / 100 * 100 + parts[2];
    if (year > now + 10) year -= 100;
    else if (year <= now - 90) year += 100;
  }
  if (year < 1000 || !dates_detail::real_day(year, parts[1], parts[0])) return std::nullopt;
  return dates_detail::iso(std::chrono::year_month_day(std::chrono::year(year),
                                                       std::chrono::month(static_cast<unsigned>(parts[1])),
                                                       std::chrono::day(static_cast<unsigned>(parts[0]))));
}

// Whether the range [from, to] of two bounds from date_bound holds no date at all (an empty bound is open):
// "to 2025" takes in 2025-12-31T23:59, so it is compared with everything that begins with it.
inline bool ends_before_it_begins(const std::string& from, const std::string& to) {
  return !from.empty() && !to.empty() && from > to + "\xff";
}

// What is wrong with a search's date range, its bounds as typed (empty: open): nothing, a bound that is no
// date, or a range that ends before it begins. The one check the CLI, the service and the library make, each
// naming the bound in its own words.
enum class DateRangeProblem { None, BadFrom, BadTo, Reversed };
inline DateRangeProblem date_range_problem(std::string_view from, std::string_view to,
                                           const std::chrono::year_month_day& today = today_here()) {
  const auto lo = from.empty() ? std::optional<std::string>("") : date_bound(from, DateSide::From, today);
  if (!lo) return DateRangeProblem::BadFrom;
  const auto hi = to.empty() ? std::optional<std::string>("") : date_bound(to, DateSide::To, today);
  if (!hi) return DateRangeProblem::BadTo;
  return ends_before_it_begins(*lo, *hi) ? DateRangeProblem::Reversed : DateRangeProblem::None;
}

// An RFC 822 date as RSS writes it ("Tue, 10 Jun 2003 04:00:00 GMT", "+0200", "EST"; two-digit years; the
// English month abbreviations and, as German feeds write them, Mär, Mrz, Mai, Okt and Dez; no seconds) as an
// ISO 8601 date-time with its offset ("2003-06-10T04:00:00Z"); nothing when it is no such date.
inline std::optional<std::string> iso_from_rfc822(std::string_view s) {
  std::string words[6];
  int n = 0;
  std::size_t i = 0;
  const auto space = [&](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ','; };
  while (i < s.size() && n < 6) {
    while (i < s.size() && space(s[i])) ++i;
    const std::size_t from = i;
    while (i < s.size() && !space(s[i])) ++i;
    if (i > from) words[n++] = std::string(s.substr(from, i - from));
  }
  while (i < s.size() && space(s[i])) ++i;
  if (i != s.size()) return std::nullopt;
  int w = 0;
  // The day of the week is optional (and not checked: feeds get it wrong).
  if (n > 0 && !words[0].empty() && !(words[0][0] >= '0' && words[0][0] <= '9')) ++w;
  if (n - w < 4) return std::nullopt;
  const auto number = [](const std::string& t, int& out) {
    if (t.empty() || t.size() > 4) return false;
    out = 0;
    for (const char c : t) {
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return true;
  };
  int day = 0, year = 0, month = 0;
  if (!number(words[w], day)) return std::nullopt;
  std::string mon = words[w + 1];  // Jun, June, Juni: the abbreviation starts it
  for (char& c : mon)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  static constexpr std::pair<std::string_view, int> kMonths[] = {
      {"jan", 1},  {"feb", 2},  {"mar", 3},  {"m\xC3\xA4r", 3}, {"mrz", 3}, {"apr", 4},
      {"may", 5},  {"mai", 5},  {"jun", 6},  {"jul", 7},        {"aug", 8}, {"sep", 9},
      {"oct", 10}, {"okt", 10}, {"nov", 11}, {"dec", 12},       {"dez", 12}};
  for (const auto& [name, m] : kMonths)
    if (std::string_view(mon).substr(0, name.size()) == name) month = m;
  if (!month || !number(words[w + 2], year)) return std::nullopt;
  if (words[w + 2].size() == 2) year += year < 50 ? 2000 : 1900;
  else if (words[w + 2].size() != 4) return std::nullopt;
  const std::string& time = words[w + 3];
  int hh = 0, mm = 0, ss = 0;
  const bool seconds = time.size() == 8;
  if (!(time.size() == 5 || seconds) || time[2] != ':' || (seconds && time[5] != ':') ||
      !number(time.substr(0, 2), hh) || !number(time.substr(3, 2), mm) || (seconds && !number(time.substr(6, 2), ss)) ||
      hh > 23 || mm > 59 || ss > 60)
    return std::nullopt;
  std::string zone = n - w > 4 ? words[w + 4] : "GMT";
  std::string offset;
  static constexpr std::pair<std::string_view, std::string_view> kZones[] = {
      {"GMT", "Z"},      {"UT", "Z"},        {"UTC", "Z"},      {"Z", "Z"},        {"EST", "-05:00"}, {"EDT", "-04:00"},
      {"CST", "-06:00"}, {"CDT", "-05:00"},  {"MST", "-07:00"}, {"MDT", "-06:00"}, {"PST", "-08:00"}, {"PDT", "-07:00"},
      {"CET", "+01:00"}, {"CEST", "+02:00"}, {"MEZ", "+01:00"}, {"MESZ", "+02:00"}};
  for (const auto& [name, off] : kZones)
    if (zone == name) offset = off;
  int zh = 0, zm = 0;
  if (offset.empty() && zone.size() == 5 && (zone[0] == '+' || zone[0] == '-') && number(zone.substr(1, 2), zh) &&
      number(zone.substr(3, 2), zm) && zh <= 23 && zm <= 59)
    offset = zone.substr(0, 3) + ":" + zone.substr(3, 2);
  if (offset.empty() || n - w > 5) return std::nullopt;
  char buf[80];  // (room for any int, so that no compiler sees a truncation)
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hh, mm, ss);
  const std::string out = buf + offset;
  if (!is_iso8601(out)) return std::nullopt;  // a day that does not exist (31 Feb)
  return out;
}

// The forms date_bound reads, for error messages.
inline constexpr const char* kDateForms =
    "2025, 2025-01, 2025-01-10, 10.01.2025, 1.1.25, today/heute, yesterday/gestern or 7d";

}  // namespace fundstelle::base
