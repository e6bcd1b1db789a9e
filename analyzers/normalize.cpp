#include "analyzers/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <unicode/locid.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace fundstelle::analyzers {

std::string nfkc_casefold(std::string_view utf8) {
  static const icu::Normalizer2* nfkc_cf = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU NFKC_Casefold: ") + u_errorName(status));
    return n;
  }();
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString norm = nfkc_cf->normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size()))), status);
  std::string out;
  if (U_SUCCESS(status)) norm.toUTF8String(out);
  return out;
}

std::string_view trim_space(std::string_view s) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool starts_upper(std::string_view word) {
  const icu::UnicodeString w =
      icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  return !w.isEmpty() && u_isupper(w.char32At(0));
}

std::string capitalize_like(std::string_view like, std::string_view word) {
  icu::UnicodeString w = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  if (w.isEmpty() || !starts_upper(like)) return std::string(word);
  const int32_t first = w.moveIndex32(0, 1);
  icu::UnicodeString head = w.tempSubString(0, first);
  head.toUpper(icu::Locale::getGerman());
  w.replace(0, first, head);
  std::string out;
  w.toUTF8String(out);
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  std::u32string x, y;
  for (auto [from, to] : {std::pair{a, &x}, std::pair{b, &y}}) {
    const icu::UnicodeString u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(from.data(), static_cast<int32_t>(from.size())));
    for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) to->push_back(static_cast<char32_t>(u.char32At(i)));
  }
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

}  // namespace fundstelle::analyzers
