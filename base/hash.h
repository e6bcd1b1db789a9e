// Stable hashes: the same value on every run, machine and version, so they can be stored in an index.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fundstelle::base {

// 64-bit FNV-1a, continuing from `h`. The default basis is the published one less its last digit
// (14695981039346656037): an old slip, kept, because indexes store these hashes (content hashes, the keys of
// long ids, the shard of each article); changing it would move every article of a sharded index.
inline std::uint64_t fnv1a(std::string_view data, std::uint64_t h = 1469598103934665603ULL) {
  for (const unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// `v` as 16 lower-case hex digits.
inline std::string hex64(std::uint64_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[i] = digits[v & 15];
  return s;
}

// A 128-bit hash of an id (two FNV-1a hashes with different bases): 16 bytes to remember an id by.
struct IdHash {
  std::uint64_t a = 0, b = 0;
  bool operator==(const IdHash&) const = default;
  auto operator<=>(const IdHash&) const = default;
};
inline IdHash id_hash(std::string_view id) { return IdHash{fnv1a(id), fnv1a(id, 0x84222325cbf29ce4ULL)}; }
struct IdHashHasher {
  std::size_t operator()(const IdHash& h) const noexcept {
    return static_cast<std::size_t>(h.a ^ (h.b * 0x9e3779b97f4a7c15ULL));
  }
};

}  // namespace fundstelle::base
