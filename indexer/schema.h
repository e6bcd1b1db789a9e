// The layout of a Fundstelle index, shared by the writer and the searcher (Xapian omega conventions for the
// standard prefixes; our own boolean terms start with X).
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace fundstelle::schema {

inline constexpr int kVersion = 3;  // 2: compound parts (P), spelling data; 3: passage data in a binary
                                    // format, article fields in the record only (indexer/passage_record.h)

// Term prefixes.
inline constexpr std::string_view kTitle = "S";       // title words, added to every body passage of the article
inline constexpr std::string_view kExact = "E";         // a word's unstemmed form (when it differs from its
                                                        // stem), without positions: the form typed ranks first
inline constexpr std::string_view kCompoundPart = "P";  // parts of compounds (zentrum in Entwicklungszentrum),
                                                        // at the compound's position: a part weighs less
                                                        // than the same word standing alone
inline constexpr std::string_view kTag = "K";         // tags (normalized, whole)
inline constexpr std::string_view kArticle = "XA";    // XA<article key>: all passages of an article
inline constexpr std::string_view kKind = "XK";       // XKarticle / XKcomment

// Value slots.
inline constexpr unsigned kValueArticle = 0;    // article key: collapse key
inline constexpr unsigned kValuePublished = 1;  // ISO 8601 date, sorts as a string

// Metadata keys.
inline constexpr std::string_view kMetaSchema = "fundstelle:schema";
inline constexpr std::string_view kMetaAnalyzer = "fundstelle:analyzer";
inline constexpr std::string_view kMetaCommitted = "fundstelle:committed";  // UTC time of the last commit
inline constexpr std::string_view kMetaRebuilding = "fundstelle:rebuilding";  // set while a --rebuild runs
inline constexpr std::string_view kMetaShard = "fundstelle:shard";  // "shard-K of N", in a sharded index
                                                                    // (indexer/shard_layout.h); absent otherwise
inline constexpr std::string_view kMetaArticle = "A:";  // "A:" + article key -> JSON record of the article:
                                                        // id, hash, source, title, url, published, passages,
                                                        // comments

// 64-bit FNV-1a; stable across platforms and runs (used for content hashes and long ids).
inline std::uint64_t fnv1a(std::string_view data, std::uint64_t h = 1469598103934665603ULL) {
  for (const unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

inline std::string hex64(std::uint64_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[i] = digits[v & 15];
  return s;
}

// A 128-bit hash of an article id: what a run keeps of each id it has met (16 bytes instead of a string in a
// map). The same two hashes stand for long ids in the index itself (article_key), so two ids that shared both
// would be one article there too.
struct IdHash {
  std::uint64_t a = 0, b = 0;
  bool operator==(const IdHash&) const = default;
  auto operator<=>(const IdHash&) const = default;
};
inline IdHash id_hash(std::string_view id) { return IdHash{fnv1a(id), fnv1a(id, 0x84222325cbf29ce4ULL)}; }
struct IdHashHasher {
  std::size_t operator()(const IdHash& h) const noexcept { return static_cast<std::size_t>(h.a ^ (h.b * 0x9e3779b97f4a7c15ULL)); }
};

// The key under which an article's terms and metadata are stored. Xapian limits terms to 245 bytes, so very
// long ids are replaced by a hash (ids are still stored in full in the article's record, kMetaArticle).
inline std::string article_key(std::string_view id) {
  if (id.size() <= 160) return std::string(id);
  const IdHash h = id_hash(id);
  return "#" + hex64(h.a) + hex64(h.b);
}

// The shard, of `shards`, that holds the article stored under `key` (article_key): a stable hash, the same on
// every run, machine and version, so that an article indexed again lands where it was and replaces itself.
inline unsigned shard_of_key(std::string_view key, unsigned shards) {
  return shards <= 1 ? 0 : static_cast<unsigned>(fnv1a(key) % shards);
}

}  // namespace fundstelle::schema
