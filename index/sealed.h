// Stored records sealed against damage: a format byte, the FNV-1a hash of the body (base::put_fixed64), then
// the body. A byte changed anywhere makes the record unreadable, which `check` reports and the writer
// replaces (index/passage_record.h, index/article_record.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/hash.h"
#include "base/varint.h"

namespace fundstelle::schema {

inline std::string sealed(char format, std::string_view body) {
  std::string out(1, format);
  out.reserve(9 + body.size());
  base::put_fixed64(out, base::fnv1a(body));
  out += body;
  return out;
}

// Whether `raw` (its format byte first) holds a hash that matches the body after it; if so, `raw` becomes
// the body.
inline bool unseal(std::string_view& raw) {
  if (raw.empty()) return false;
  std::string_view body = raw.substr(1);
  std::uint64_t sum = 0;
  if (!base::get_fixed64(body, sum) || base::fnv1a(body) != sum) return false;
  raw = body;
  return true;
}

}  // namespace fundstelle::schema
