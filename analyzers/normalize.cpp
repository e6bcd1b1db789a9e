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

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
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

std::string collapse_space(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool nbsp = c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0';
    if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xAD') {  // a soft hyphen (&shy;): invisible
      ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v' || nbsp) {
      space = true;
      if (nbsp) ++i;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string umlauts_for_digraphs(std::string_view form) {
  std::string out;
  out.reserve(form.size());
  for (std::size_t i = 0; i < form.size(); ++i) {
    const char c = form[i];
    if (i + 1 < form.size() && form[i + 1] == 'e' &&
        (c == 'a' || c == 'o' || (c == 'u' && (i == 0 || form[i - 1] != 'q')))) {
      out += c == 'a' ? "\xC3\xA4" : c == 'o' ? "\xC3\xB6" : "\xC3\xBC";
      ++i;
    } else {
      out += c;
    }
  }
  return out;
}

bool starts_upper(std::string_view word) {
  const icu::UnicodeString w =
      icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  return !w.isEmpty() && u_isupper(w.char32At(0));
}

std::string capitalize_like(std::string_view like, std::string_view word) {
  icu::UnicodeString w = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  const icu::UnicodeString l =
      icu::UnicodeString::fromUTF8(icu::StringPiece(like.data(), static_cast<int32_t>(like.size())));
  if (w.isEmpty() || !starts_upper(like)) return std::string(word);
  std::string utf8;
  bool lower = false;  // whether `like` has a lower-case letter (MÜNCHN has none: MÜNCHEN)
  for (int32_t k = 0; k < l.length() && !lower; k = l.moveIndex32(k, 1)) lower = u_islower(l.char32At(k));
  if (!lower && l.countChar32() > 1) {
    w.toUpper(icu::Locale::getGerman());
    return w.toUTF8String(utf8);
  }
  // The first letter, then each letter of the beginning both spell alike (GetDocumnt: GetDocument).
  icu::UnicodeString out;
  int32_t i = 0, j = 0;
  for (bool first = true; i < w.length(); first = false) {
    const UChar32 c = w.char32At(i);
    const UChar32 t = j < l.length() ? l.char32At(j) : U_SENTINEL;
    const bool alike = t != U_SENTINEL && u_foldCase(c, U_FOLD_CASE_DEFAULT) == u_foldCase(t, U_FOLD_CASE_DEFAULT);
    if (!first && !alike) break;
    icu::UnicodeString letter(c);
    if (first || u_isupper(t)) letter.toUpper(icu::Locale::getGerman());
    out.append(letter);
    i = w.moveIndex32(i, 1);
    if (t != U_SENTINEL) j = l.moveIndex32(j, 1);
  }
  out.append(w, i, w.length() - i);
  return out.toUTF8String(utf8);
}

}  // namespace fundstelle::analyzers
