// UTF-8 validation and repair: every later stage may assume valid UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/utf8.h"

namespace fundstelle::analyzers {

// Returns `text` with every invalid byte sequence (bad lead or continuation bytes, overlong forms, surrogates,
// code points above U+10FFFF, truncated sequences) replaced by U+FFFD, and NUL bytes replaced by a space.
// The byte offsets of the replaced sequences are appended to `bad_offsets` when it is given.
std::string repair_utf8(std::string_view text, std::vector<std::size_t>* bad_offsets = nullptr);

// The byte offset in `text` of byte `repaired_offset` of repair_utf8(text): where to point a reader of the
// original to, for a position found in the repaired text. Kept bytes map to themselves, a replacement
// character to the start of the sequence it replaced, offsets at or past the end to text.size().
std::size_t offset_before_repair(std::string_view text, std::size_t repaired_offset);

// The warning for repaired input: "invalid UTF-8 at byte N (and M more), replaced by U+FFFD". `bad_offsets`
// as filled by repair_utf8 (not empty); `where` follows the offset ("of the line").
std::string describe_repair(const std::vector<std::size_t>& bad_offsets, std::string_view where = {});

// `text` itself when it is valid UTF-8; else every byte of its invalid sequences as %XX (and each '%' as %25,
// so that two such texts stay apart): unique and stable names for file names that are not UTF-8
// (M\xFCller.txt -> M%FCller.txt), where repair_utf8 would make M\xFCller and M\xF6ller one name.
std::string escape_invalid_utf8(std::string_view text);

// True if `text` is valid UTF-8 without NUL bytes (one check for all: base/utf8.h).
using base::is_valid_utf8;
using base::valid_sequence_length;

// Number of code points in valid UTF-8 `text` (one helper for all: base/utf8.h).
using base::count_code_points;

}  // namespace fundstelle::analyzers
