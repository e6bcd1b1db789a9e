// How a passage is stored in its Xapian document's data (since schema 4): five numbers, the article's revision, the
// heading of its section and the passage text, nothing else. What belongs to the article (its id, title, url and date)
// is stored once, in the article's record (metadata "A:" + key), not once per passage: that kept a third of the
// document data, and a JSON object per passage cost more to write and to read than these few bytes.
//
//   byte 0      kPassageFormat
//   8 bytes     FNV-1a (64 bit, little endian) of all the bytes after these eight: a byte flipped in the stored
//               text makes the record damaged, which `fundstelle check` reports and a search does not show
//               (records of format kUncheckedPassageFormat, written before 2026-12-04, have no checksum)
//   varints     kind (0 article, 1 comment), ordinal, comment, span begin, span end
//   8 bytes     the article's content hash (little endian), so that `fundstelle check` tells passages of two
//               versions of an article apart
//   varint + n  the section heading (UTF-8; length 0: none)
//   varint + n  a comment's own author, then varint + n its own date (ISO 8601), each empty when the feed gave
//               none and for passages of the article text (format kPassageFormat, since schema 6)
//   the rest    the passage text (UTF-8)
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/hash.h"
#include "base/varint.h"
#include "fundstelle/passage.h"
#include "index/sealed.h"

namespace fundstelle::schema {

struct PassageRecord {
  PassageKind kind = PassageKind::Article;
  std::size_t ordinal = 0;
  std::size_t comment = 0;  // for comments: which comment of the article
  Span span;
  std::uint64_t revision = 0;
  std::string section;    // the heading the passage stands under, or empty
  std::string author;     // a comment's own author, or empty
  std::string published;  // a comment's own date (ISO 8601), or empty
  std::string text;
};

inline constexpr char kPassageFormat = '\x06';
inline constexpr char kFormerPassageFormat = '\x05';     // without the comment's author and date; still read
inline constexpr char kUncheckedPassageFormat = '\x04';  // the same without the checksum; still read

inline std::string encode_passage(const PassageRecord& p) {
  std::string out = unsealed(kPassageFormat,
                             p.text.size() + p.section.size() + p.author.size() + p.published.size() + 32);
  for (const std::uint64_t v : {std::uint64_t{p.kind == PassageKind::Comment}, std::uint64_t{p.ordinal},
                                std::uint64_t{p.comment}, std::uint64_t{p.span.begin}, std::uint64_t{p.span.end}})
    base::put_varint(out, v);
  base::put_fixed64(out, p.revision);
  base::put_varint(out, p.section.size());
  out += p.section;
  base::put_varint(out, p.author.size());
  out += p.author;
  base::put_varint(out, p.published.size());
  out += p.published;
  out += p.text;
  return seal(std::move(out));
}

// Nothing if `data` is not a passage of this format (damaged, or of another schema).
inline std::optional<PassageRecord> decode_passage(std::string_view data) {
  if (data.empty() || (data.front() != kPassageFormat && data.front() != kFormerPassageFormat &&
                       data.front() != kUncheckedPassageFormat))
    return std::nullopt;
  const bool by_comment = data.front() == kPassageFormat;
  if (data.front() == kUncheckedPassageFormat) data.remove_prefix(1);
  else if (!unseal(data)) return std::nullopt;
  std::uint64_t v[5];
  for (auto& x : v)
    if (!base::get_varint(data, x)) return std::nullopt;
  if (v[0] > 1 || v[3] > v[4]) return std::nullopt;
  PassageRecord p;
  p.kind = v[0] ? PassageKind::Comment : PassageKind::Article;
  p.ordinal = v[1];
  p.comment = v[2];
  p.span = Span{v[3], v[4]};
  if (!base::get_fixed64(data, p.revision)) return std::nullopt;
  std::uint64_t section = 0;
  if (!base::get_varint(data, section) || section > data.size()) return std::nullopt;
  p.section = std::string(data.substr(0, section));
  data.remove_prefix(section);
  if (by_comment)
    for (std::string* field : {&p.author, &p.published}) {
      std::uint64_t n = 0;
      if (!base::get_varint(data, n) || n > data.size()) return std::nullopt;
      *field = std::string(data.substr(0, n));
      data.remove_prefix(n);
    }
  p.text = std::string(data);
  return p;
}

}  // namespace fundstelle::schema
