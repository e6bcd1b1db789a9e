// Stepping through UTF-8 text by code points. The text is assumed valid (analyzers/utf8.h checks and repairs
// input before anything else reads it); on invalid text these stay in bounds but count nonsense.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fundstelle::base {

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
