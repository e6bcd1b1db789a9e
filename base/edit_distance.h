// Levenshtein distance by code points, for spelling corrections (searcher/) and "did you mean" (cli/).
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/utf8.h"

namespace fundstelle::base {

// The distance between two UTF-8 strings in code points, computed up to `limit` (a larger distance is
// reported as limit + 1).
inline std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  const auto code_points = [](std::string_view s) {
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < s.size();) {
      const std::size_t next = next_code_point(s, i);
      out.push_back(s.substr(i, next - i));
      i = next;
    }
    return out;
  };
  const auto x = code_points(a), y = code_points(b);
  if ((x.size() > y.size() ? x.size() - y.size() : y.size() - x.size()) > limit) return limit + 1;
  std::vector<std::size_t> prev(y.size() + 1), cur(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= y.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[y.size()], limit + 1);
}

// The one of `names` closest to `given` (at most two edits, and at most half its code points), or "": the
// name likely meant by a mistyped one ("did you mean").
inline std::string closest_name(std::string_view given, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_distance = 3;
  const std::size_t length = count_code_points(given);
  for (const auto& name : names) {
    const std::size_t d = edit_distance(given, name, 2);
    if (d < best_distance && 2 * d <= length) {
      best = name;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace fundstelle::base
