#include "analyzers/utf8.h"

namespace fundstelle::analyzers {
namespace {

// Length of the invalid sequence starting at text[i] (where valid_sequence_length is 0): the bad byte and the run
// of stray continuation bytes after it, which become one replacement character together.
std::size_t invalid_sequence_length(std::string_view text, std::size_t i) {
  std::size_t len = 1;  // resynchronise on the next byte
  while (i + len < text.size() && base::is_continuation(static_cast<unsigned char>(text[i + len])) &&
         valid_sequence_length(text, i + len) == 0)
    ++len;
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
      i += invalid_sequence_length(text, i);
      continue;
    }
    out.append(text.substr(i, len));
    i += len;
  }
  return out;
}

std::string escape_invalid_utf8(std::string_view text) {
  if (is_valid_utf8(text)) return std::string(text);
  const auto escape = base::append_percent_escaped;
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = text[i] == '\0' ? 0 : valid_sequence_length(text, i);
    if (len == 0) {
      const std::size_t bad = text[i] == '\0' ? 1 : invalid_sequence_length(text, i);
      for (std::size_t k = 0; k < bad; ++k) escape(out, static_cast<unsigned char>(text[i + k]));
      i += bad;
    } else if (text[i] == '%') {
      escape(out, '%');
      ++i;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
}

std::size_t offset_before_repair(std::string_view text, std::size_t repaired_offset) {
  std::size_t repaired = 0;  // bytes of repair_utf8(text) up to text[i]
  for (std::size_t i = 0; i < text.size();) {
    std::size_t in = 1, out = 1;  // NUL becomes a space
    bool replaced = false;
    if (text[i] != '\0') {
      in = out = valid_sequence_length(text, i);
      if (in == 0) in = invalid_sequence_length(text, i), out = 3, replaced = true;  // U+FFFD
    }
    if (repaired_offset < repaired + out) return replaced ? i : i + (repaired_offset - repaired);
    repaired += out;
    i += in;
  }
  return text.size();
}

std::string describe_repair(const std::vector<std::size_t>& bad_offsets, std::string_view where) {
  std::string out = "invalid UTF-8 at byte " + std::to_string(bad_offsets.front());
  if (!where.empty()) out.append(" ").append(where);  // not `" " + std::string(where)`: GCC 12 -Wrestrict (bug 105329)
  if (bad_offsets.size() > 1) out += " (and " + std::to_string(bad_offsets.size() - 1) + " more)";
  return out + ", replaced by U+FFFD";
}

}  // namespace fundstelle::analyzers
