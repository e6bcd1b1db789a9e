#include "analyzers/utf8.h"

namespace fundstelle::analyzers {
namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 if it is invalid (RFC 3629, Table 3-7 of the
// Unicode standard: no overlongs, no surrogates, nothing above U+10FFFF).
std::size_t valid_sequence_length(std::string_view text, std::size_t i) {
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

}  // namespace

std::string repair_utf8(std::string_view text, std::vector<std::size_t>* bad_offsets) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '\0') {
      if (bad_offsets) bad_offsets->push_back(i);
      out.push_back(' ');
      ++i;
      continue;
    }
    const std::size_t len = valid_sequence_length(text, i);
    if (len == 0) {
      if (bad_offsets) bad_offsets->push_back(i);
      out.append("\xEF\xBF\xBD");
      ++i;  // resynchronise on the next byte
      while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80 &&
             valid_sequence_length(text, i) == 0)
        ++i;  // a run of stray continuation bytes becomes one replacement character
      continue;
    }
    out.append(text.substr(i, len));
    i += len;
  }
  return out;
}

std::string describe_repair(const std::vector<std::size_t>& bad_offsets, std::string_view where) {
  std::string out = "invalid UTF-8 at byte " + std::to_string(bad_offsets.front());
  if (!where.empty()) out += " " + std::string(where);
  if (bad_offsets.size() > 1) out += " (and " + std::to_string(bad_offsets.size() - 1) + " more)";
  return out + ", replaced by U+FFFD";
}

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '\0') return false;
    const std::size_t len = valid_sequence_length(text, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::size_t count_code_points(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace fundstelle::analyzers
