// UTF-8 validation and repair: valid text passes through untouched, every kind of invalid sequence becomes
// one U+FFFD (NUL becomes a space) and its byte offset is reported.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analyzers/utf8.h"

namespace fundstelle::analyzers {
namespace {

const std::string kReplacement = "\xEF\xBF\xBD";  // U+FFFD

struct Repaired {
  std::string text;
  std::vector<std::size_t> bad;
};

Repaired repair(const std::string& in) {
  Repaired r;
  r.text = repair_utf8(in, &r.bad);
  return r;
}

}  // namespace

TEST_CASE("valid UTF-8 is left unchanged", "[analyzers][utf8]") {
  const std::string samples[] = {
      "",
      "plain ASCII text",
      "Gr\xC3\xBC\xC3\x9F"
      "e aus M\xC3\xBCnchen",  // Grüße aus München (2-byte)
      "\xE2\x80\x9E"
      "Zitat"
      "\xE2\x80\x9C \xE2\x82\xAC",                    // „Zitat“ € (3-byte)
      "Emoji \xF0\x9F\x98\x80 und \xF0\x9F\x9A\x97",  // 4-byte
      "\xF4\x8F\xBF\xBF",                             // U+10FFFF, the last code point
      "\xEE\x80\x80",                                 // U+E000, first code point after the surrogates
      "\xED\x9F\xBF",                                 // U+D7FF, last code point before them
      "\xEF\xBF\xBD",                                 // U+FFFD itself
      "\xC2\x80",                                     // U+0080, smallest 2-byte form
      "\xE0\xA0\x80",                                 // U+0800, smallest 3-byte form
      "\xF0\x90\x80\x80",                             // U+10000, smallest 4-byte form
  };
  for (const std::string& s : samples) {
    INFO("sample: " << s);
    CHECK(is_valid_utf8(s));
    const Repaired r = repair(s);
    CHECK(r.text == s);
    CHECK(r.bad.empty());
  }
}

TEST_CASE("repair_utf8 without an offsets vector still repairs", "[analyzers][utf8]") {
  CHECK(repair_utf8("a\xFF"
                    "b") == "a" + kReplacement + "b");
  CHECK(repair_utf8(std::string("a\0b", 3)) == "a b");
}

TEST_CASE("invalid lead bytes are replaced", "[analyzers][utf8]") {
  for (const char* lead : {"\xFF", "\xFE", "\xF8", "\xF5", "\xC1"}) {
    const std::string in = std::string("ab") + lead + "cd";
    INFO("lead byte " << static_cast<int>(static_cast<unsigned char>(lead[0])));
    CHECK_FALSE(is_valid_utf8(in));
    const Repaired r = repair(in);
    CHECK(r.text == "ab" + kReplacement + "cd");
    CHECK(r.bad == std::vector<std::size_t>{2});
    CHECK(is_valid_utf8(r.text));
  }
}

TEST_CASE("stray continuation bytes are replaced, a run of them by one U+FFFD", "[analyzers][utf8]") {
  SECTION("a single one") {
    const Repaired r = repair("a\x80z");
    CHECK(r.text == "a" + kReplacement + "z");
    CHECK(r.bad == std::vector<std::size_t>{1});
  }
  SECTION("a run of three") {
    const Repaired r = repair("a\x80\xBF\x9Fz");
    CHECK(r.text == "a" + kReplacement + "z");
    CHECK(r.bad == std::vector<std::size_t>{1});
  }
  SECTION("two separate runs are reported separately") {
    const Repaired r = repair("\xBFxy\x80\x80");
    CHECK(r.text == kReplacement + "xy" + kReplacement);
    CHECK(r.bad == std::vector<std::size_t>{0, 3});
  }
  SECTION("a continuation byte after a complete character") {
    const Repaired r = repair("\xC3\xA4\xA4");  // ä + stray byte
    CHECK(r.text == "\xC3\xA4" + kReplacement);
    CHECK(r.bad == std::vector<std::size_t>{2});
  }
  CHECK_FALSE(is_valid_utf8("\x80"));
}

TEST_CASE("truncated sequences are replaced", "[analyzers][utf8]") {
  SECTION("2-byte lead at the end") {
    const Repaired r = repair("ab\xC3");
    CHECK(r.text == "ab" + kReplacement);
    CHECK(r.bad == std::vector<std::size_t>{2});
  }
  SECTION("3-byte sequence missing its last byte at the end") {
    const Repaired r = repair("x\xE2\x82");  // € without its last byte
    CHECK(r.text == "x" + kReplacement);
    CHECK(r.bad == std::vector<std::size_t>{1});
  }
  SECTION("4-byte sequence missing its last byte at the end") {
    const Repaired r = repair("\xF0\x9F\x98");
    CHECK(r.text == kReplacement);
    CHECK(r.bad == std::vector<std::size_t>{0});
  }
  SECTION("a sequence cut short by an ASCII character keeps that character") {
    const Repaired r = repair("\xC3(ok)");
    CHECK(r.text == kReplacement + "(ok)");
    CHECK(r.bad == std::vector<std::size_t>{0});
  }
  SECTION("a sequence cut short by the next lead byte keeps the next character") {
    const Repaired r = repair("\xE2\x82\xC3\xA4");  // broken € then ä
    CHECK(r.text == kReplacement + "\xC3\xA4");
    CHECK(r.bad == std::vector<std::size_t>{0});
  }
  CHECK_FALSE(is_valid_utf8("ab\xC3"));
  CHECK_FALSE(is_valid_utf8("x\xE2\x82"));
}

TEST_CASE("overlong forms are replaced", "[analyzers][utf8]") {
  for (const std::string& overlong :
       {std::string("\xC0\x80"), std::string("\xC1\xBF"), std::string("\xE0\x80\x80"), std::string("\xE0\x9F\xBF"),
        std::string("\xF0\x80\x80\x80"), std::string("\xF0\x8F\xBF\xBF")}) {
    INFO("overlong of " << overlong.size() << " bytes");
    const std::string in = "<" + overlong + ">";
    CHECK_FALSE(is_valid_utf8(in));
    const Repaired r = repair(in);
    CHECK(r.text == "<" + kReplacement + ">");
    CHECK(r.bad == std::vector<std::size_t>{1});
  }
}

TEST_CASE("UTF-16 surrogates encoded in UTF-8 are replaced", "[analyzers][utf8]") {
  for (const std::string& surrogate : {std::string("\xED\xA0\x80"), std::string("\xED\xAF\xBF"),
                                       std::string("\xED\xB0\x80"), std::string("\xED\xBF\xBF")}) {
    const std::string in = "a" + surrogate + "b";
    CHECK_FALSE(is_valid_utf8(in));
    const Repaired r = repair(in);
    CHECK(r.text == "a" + kReplacement + "b");
    CHECK(r.bad == std::vector<std::size_t>{1});
  }
  // A surrogate pair (CESU-8) is two surrogates, not one character.
  const Repaired pair = repair("\xED\xA0\xBD\xED\xB8\x80");
  CHECK_FALSE(is_valid_utf8("\xED\xA0\xBD\xED\xB8\x80"));
  CHECK(pair.text.find("\xF0") == std::string::npos);
  CHECK(pair.bad == std::vector<std::size_t>{0, 3});
  CHECK(pair.text == kReplacement + kReplacement);
}

TEST_CASE("code points above U+10FFFF are replaced", "[analyzers][utf8]") {
  for (const std::string& big : {std::string("\xF4\x90\x80\x80"), std::string("\xF4\xBF\xBF\xBF"),
                                 std::string("\xF5\x80\x80\x80"), std::string("\xF7\xBF\xBF\xBF")}) {
    const std::string in = "ok " + big;
    CHECK_FALSE(is_valid_utf8(in));
    const Repaired r = repair(in);
    CHECK(r.text == "ok " + kReplacement);
    CHECK(r.bad == std::vector<std::size_t>{3});
  }
}

TEST_CASE("NUL bytes become spaces and are reported", "[analyzers][utf8]") {
  const std::string in("a\0b\0\0c", 6);
  CHECK_FALSE(is_valid_utf8(in));
  CHECK(is_valid_utf8("abc"));
  const Repaired r = repair(in);
  CHECK(r.text == "a b  c");
  CHECK(r.bad == std::vector<std::size_t>{1, 3, 4});
  CHECK(is_valid_utf8(r.text));
}

TEST_CASE("mixed damage: offsets are byte offsets in the input, in order", "[analyzers][utf8]") {
  // 0:'G' 1-2:'ü' 3:0xFF 4:'t' 5:NUL 6-8:overlong 9:'e' 10-13:>U+10FFFF 14:'!' 15:truncated lead
  const std::string in = std::string("G\xC3\xBC\xFFt") + std::string(1, '\0') +
                         "\xE0\x80\x80"
                         "e"
                         "\xF4\x90\x80\x80"
                         "!\xC3";
  const Repaired r = repair(in);
  CHECK(r.bad == std::vector<std::size_t>{3, 5, 6, 10, 15});
  CHECK(r.text == "G\xC3\xBC" + kReplacement + "t " + kReplacement + "e" + kReplacement + "!" + kReplacement);
  CHECK(is_valid_utf8(r.text));
  CHECK(count_code_points(r.text) == 10);
  // Repair is idempotent.
  CHECK(repair(r.text).text == r.text);
  CHECK(repair(r.text).bad.empty());
}

TEST_CASE("offset_before_repair maps an offset in the repaired text back to the input", "[analyzers][utf8]") {
  // Input: 0:'a' 1:0xFF 2:'b' 3:NUL 4-6:stray continuation bytes 7:'c'; repaired: "a" U+FFFD "b " U+FFFD "c".
  const std::string in = std::string("a\xFF"
                                     "b") +
                         std::string(1, '\0') +
                         "\x80\x80\x80"
                         "c";
  const std::string out = repair_utf8(in);
  REQUIRE(out == "a" + kReplacement + "b " + kReplacement + "c");
  const std::size_t expected[] = {0, 1, 1, 1, 2, 3, 4, 4, 4, 7};  // for each byte of `out`
  for (std::size_t i = 0; i < out.size(); ++i) {
    INFO("repaired offset " << i);
    CHECK(offset_before_repair(in, i) == expected[i]);
  }
  CHECK(offset_before_repair(in, out.size()) == in.size());
  CHECK(offset_before_repair(in, out.size() + 5) == in.size());
  for (std::size_t i = 0; i <= 8; ++i) CHECK(offset_before_repair("valid \xC3\xBC!", i) == i);  // valid text: itself
}

TEST_CASE("count_code_points counts characters, not bytes", "[analyzers][utf8]") {
  CHECK(count_code_points("") == 0);
  CHECK(count_code_points("abc") == 3);
  CHECK(count_code_points("Gr\xC3\xBC\xC3\x9F"
                          "e") == 5);                                  // Grüße
  CHECK(count_code_points("\xE2\x82\xAC") == 1);                       // €
  CHECK(count_code_points("\xF0\x9F\x98\x80") == 1);                   // 😀
  CHECK(count_code_points("M\xC3\xBCnchen \xF0\x9F\x98\x80!") == 10);  // München 😀!
}

TEST_CASE("escape_invalid_utf8 keeps valid text and escapes the bytes of invalid sequences", "[analyzers][utf8]") {
  CHECK(escape_invalid_utf8("M\xC3\xBCller 100%.txt") == "M\xC3\xBCller 100%.txt");  // valid: unchanged, % too
  CHECK(escape_invalid_utf8("M\xFCller.txt") == "M%FCller.txt");
  CHECK(escape_invalid_utf8("M\xF6ller.txt") == "M%F6ller.txt");
  CHECK(escape_invalid_utf8("100% \xFC") == "100%25 %FC");               // with invalid bytes: % escaped too
  CHECK(escape_invalid_utf8("\xE2\x82") == "%E2%82");                    // truncated sequence: each byte
  CHECK(escape_invalid_utf8(std::string("a\0b\xFF", 4)) == "a%00b%FF");  // NUL escaped, not a space
  CHECK(is_valid_utf8(escape_invalid_utf8("\xC0\xAF\xED\xA0\x80")));     // overlong, surrogate
}

}  // namespace fundstelle::analyzers
