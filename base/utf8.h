// Stepping through UTF-8 text by code points, and whether it is valid. The stepping assumes valid text
// (analyzers/utf8.h checks and repairs input before anything else reads it); on invalid text it stays in
// bounds but counts nonsense.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fundstelle::base {

// Length of the valid UTF-8 sequence starting at text[i], or 0 if it is invalid (RFC 3629, Table 3-7 of the
// Unicode standard: no overlongs, no surrogates, nothing above U+10FFFF).
inline std::size_t valid_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  const unsigned char b1 = byte(i + 1);
  if (b1 < lo || b1 > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if (b < 0x80 || b > 0xBF) return 0;
  }
  return len;
}

// True if `text` is valid UTF-8 without NUL bytes.
inline bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '\0') return false;
    const std::size_t len = valid_sequence_length(text, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

// Appends `byte` as %XX (upper-case hex), as URLs escape it.
inline void append_percent_escaped(std::string& out, unsigned char byte) {
  constexpr char kHex[] = "0123456789ABCDEF";
  out += '%';
  out += kHex[byte >> 4];
  out += kHex[byte & 15];
}

// Whether `byte` continues a multi-byte sequence (10xxxxxx) rather than starting a code point.
constexpr bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Whether byte offset `i` of `text` lies on a code point boundary (its start and its end count as such).
inline bool is_boundary(std::string_view text, std::size_t i) {
  return i == 0 || i >= text.size() || !is_continuation(static_cast<unsigned char>(text[i]));
}

// The byte offset of the code point after the one starting at byte `i` (text.size() at the end).
inline std::size_t next_code_point(std::string_view text, std::size_t i) {
  if (i >= text.size()) return text.size();
  ++i;
  while (i < text.size() && is_continuation(static_cast<unsigned char>(text[i]))) ++i;
  return i;
}

// The byte offset of code point number `n` (0-based) of `text`, or text.size() if it has fewer.
inline std::size_t byte_offset(std::string_view text, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t cp = 0; i < text.size() && cp < n; ++cp) i = next_code_point(text, i);
  return i;
}

// `text` cut to its first `max` code points and ended with "…" (U+2026) when it had more.
inline std::string clip(std::string_view text, std::size_t max) {
  const std::size_t end = byte_offset(text, max);
  if (end >= text.size()) return std::string(text);
  std::string out(text.substr(0, end));
  out += "\xE2\x80\xA6";
  return out;
}

// The number of code points in `text`.
inline std::size_t count_code_points(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text)
    if (!is_continuation(static_cast<unsigned char>(c))) ++n;
  return n;
}

}  // namespace fundstelle::base
