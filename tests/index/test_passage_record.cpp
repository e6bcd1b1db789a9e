// The stored form of a passage: what is written is read back, and what is not a passage is refused.
#include <catch2/catch.hpp>

#include <string>

#include "index/passage_record.h"

namespace fundstelle::schema {
namespace {

PassageRecord sample() {
  PassageRecord p;
  p.kind = PassageKind::Comment;
  p.ordinal = 300;  // two bytes as a varint
  p.comment = 7;
  p.span = Span{0, 1u << 21};  // three bytes
  p.revision = 0x8000'0000'0000'00ffULL;
  p.section = "Potenzielle Synergien";
  p.text = std::string("Grüße aus München\0mit NUL", 25);
  return p;
}

TEST_CASE("a stored passage reads back as written", "[indexer][passage_record]") {
  const PassageRecord p = sample();
  const auto back = decode_passage(encode_passage(p));
  REQUIRE(back);
  CHECK(back->kind == p.kind);
  CHECK(back->ordinal == p.ordinal);
  CHECK(back->comment == p.comment);
  CHECK(back->span == p.span);
  CHECK(back->revision == p.revision);
  CHECK(back->section == p.section);
  CHECK(back->text == p.text);
  CHECK(back->author.empty());
  CHECK(back->published.empty());
  // A comment's own author and date (schema 6).
  PassageRecord c = sample();
  c.author = "leser1";
  c.published = "2025-01-12T08:00:00+01:00";
  const auto by = decode_passage(encode_passage(c));
  REQUIRE(by);
  CHECK(by->author == "leser1");
  CHECK(by->published == "2025-01-12T08:00:00+01:00");
  CHECK(by->text == c.text);

  PassageRecord empty;
  const auto e = decode_passage(encode_passage(empty));
  REQUIRE(e);
  CHECK(e->kind == PassageKind::Article);
  CHECK(e->text.empty());
  CHECK(e->section.empty());
}

TEST_CASE("data that is not a stored passage is refused", "[indexer][passage_record]") {
  const std::string good = encode_passage(sample());
  CHECK_FALSE(decode_passage(""));
  CHECK_FALSE(decode_passage("{\"text\": \"JSON of schema 2\"}"));
  // Cut inside the numbers, the revision or the section heading.
  for (std::size_t n = 1; n < good.size() - sample().text.size(); ++n) {
    INFO(n);
    CHECK_FALSE(decode_passage(good.substr(0, n)));
  }
  // The same checks on records without a checksum (format 4, as written before it), which are still read: a
  // record of the sample's text without the checksum and without the comment's (empty) author and date, the
  // two zero bytes before the text.
  const auto unchecked = [](const std::string& record) {
    std::string out(1, kUncheckedPassageFormat);
    out.append(record, 9);  // (not std::string(...) + record.substr(9): GCC 12 -Wrestrict, bug 105329)
    out.erase(out.size() - sample().text.size() - 2, 2);
    return out;
  };
  REQUIRE(decode_passage(unchecked(good)));
  CHECK(decode_passage(unchecked(good))->text == sample().text);
  CHECK(decode_passage(unchecked(good))->section == sample().section);
  // Format 5: with the checksum, without author and date.
  std::string former = unchecked(good);
  former[0] = kFormerPassageFormat;
  const std::uint64_t sum = base::fnv1a(std::string_view(former).substr(1));
  for (int i = 7; i >= 0; --i) former.insert(former.begin() + 1, static_cast<char>((sum >> (8 * i)) & 0xff));
  REQUIRE(decode_passage(former));
  CHECK(decode_passage(former)->text == sample().text);
  std::string bad_kind = unchecked(good);
  bad_kind[1] = 2;
  CHECK_FALSE(decode_passage(bad_kind));
  // A span that ends before it begins.
  PassageRecord p = sample();
  p.span = Span{5, 4};
  CHECK_FALSE(decode_passage(unchecked(encode_passage(p))));
  // A varint that never ends.
  CHECK_FALSE(decode_passage(std::string(1, kUncheckedPassageFormat) + std::string(20, '\xff')));
}

TEST_CASE("a byte changed anywhere in a stored passage is found by its checksum", "[indexer][passage_record]") {
  const std::string good = encode_passage(sample());
  REQUIRE(decode_passage(good));
  for (std::size_t i = 1; i < good.size(); ++i) {
    INFO("byte " << i);
    std::string flipped = good;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x20);
    CHECK_FALSE(decode_passage(flipped));
  }
}

}  // namespace
}  // namespace fundstelle::schema
