// Stored records sealed against damage: a format byte, the FNV-1a hash of the body (base::put_fixed64), then
// the body. A byte changed anywhere makes the record unreadable, which `check` reports and the writer
// replaces (index/passage_record.h, index/article_record.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/hash.h"
#include "base/varint.h"

namespace fundstelle::schema {

inline constexpr std::size_t kSealBytes = 9;  // the format byte and the hash

// A record begun: its format byte and room for the hash. Append the body to it, then seal() it: the body is
// written once, where it stays.
inline std::string unsealed(char format, std::size_t body_bytes = 0) {
  std::string out;
  out.reserve(kSealBytes + body_bytes);
  out.push_back(format);
  out.append(8, '\0');
  return out;
}

// `record` (from unsealed(), its body appended) with the hash of its body in place.
inline std::string seal(std::string record) {
  std::string hash;
  base::put_fixed64(hash, base::fnv1a(std::string_view(record).substr(kSealBytes)));
  record.replace(1, 8, hash);
  return record;
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
