// UTF-8 validation and repair: every later stage may assume valid UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fundstelle::analyzers {

// Returns `text` with every invalid byte sequence (bad lead or continuation bytes, overlong forms, surrogates,
// code points above U+10FFFF, truncated sequences) replaced by U+FFFD, and NUL bytes replaced by a space.
// The byte offsets of the replaced sequences are appended to `bad_offsets` when it is given.
std::string repair_utf8(std::string_view text, std::vector<std::size_t>* bad_offsets = nullptr);

// The warning for repaired input: "invalid UTF-8 at byte N (and M more), replaced by U+FFFD". `bad_offsets`
// as filled by repair_utf8 (not empty); `where` follows the offset ("of the line").
std::string describe_repair(const std::vector<std::size_t>& bad_offsets, std::string_view where = {});

// True if `text` is valid UTF-8 without NUL bytes.
bool is_valid_utf8(std::string_view text);

// Number of code points in valid UTF-8 `text`.
std::size_t count_code_points(std::string_view text);

}  // namespace fundstelle::analyzers
