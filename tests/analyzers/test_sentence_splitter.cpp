// Sentence boundaries: ICU's plain German rules, with abbreviations re-joined by SentenceSplitter.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analyzers/sentence_splitter.h"
#include "analyzers/utf8.h"

namespace fundstelle::analyzers {
namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// The sentences as strings, after checking the offsets against the text.
std::vector<std::string> split_checked(SentenceSplitter& splitter, const std::string& text) {
  const auto sentences = splitter.split(text);
  std::vector<std::string> out;
  std::size_t prev_byte = 0, prev_cp = 0;
  for (const auto& s : sentences) {
    REQUIRE(s.byte_begin < s.byte_end);
    REQUIRE(s.byte_end <= text.size());
    REQUIRE(s.cp_begin < s.cp_end);
    // In order, without overlap; only white space between them.
    REQUIRE(s.byte_begin >= prev_byte);
    REQUIRE(s.cp_begin >= prev_cp);
    for (std::size_t i = prev_byte; i < s.byte_begin; ++i) CHECK(is_space(text[i]));
    // Byte and code point offsets describe the same range.
    CHECK(count_code_points(std::string_view(text).substr(0, s.byte_begin)) == s.cp_begin);
    CHECK(count_code_points(std::string_view(text).substr(0, s.byte_end)) == s.cp_end);
    // Trimmed, and cut at character boundaries.
    CHECK_FALSE(is_space(text[s.byte_begin]));
    CHECK_FALSE(is_space(text[s.byte_end - 1]));
    CHECK((static_cast<unsigned char>(text[s.byte_begin]) & 0xC0) != 0x80);
    CHECK((s.byte_end == text.size() || (static_cast<unsigned char>(text[s.byte_end]) & 0xC0) != 0x80));
    prev_byte = s.byte_end;
    prev_cp = s.cp_end;
    out.push_back(text.substr(s.byte_begin, s.byte_end - s.byte_begin));
  }
  for (std::size_t i = prev_byte; i < text.size(); ++i) CHECK(is_space(text[i]));
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("German sentences are split at . ! and ?", "[analyzers][sentences]") {
  SentenceSplitter sp;
  CHECK(split_checked(sp, "Das ist gut. Das ist schlecht! Wirklich? Ja.") ==
        Strings{"Das ist gut.", "Das ist schlecht!", "Wirklich?", "Ja."});
  CHECK(split_checked(sp, "Gr\xC3\xB6\xC3\x9F"
                          "e \xC3\xBC"
                          "ber \xC3\x84pfel. \xC3\x96l ist billig.") == Strings{"Gr\xC3\xB6\xC3\x9F"
                                                                                "e \xC3\xBC"
                                                                                "ber \xC3\x84pfel.",
                                                                                "\xC3\x96l ist billig."});
  // Closing quotes stay with their sentence.
  CHECK(split_checked(sp, "Er sagte: \xE2\x80\x9E"
                          "Das ist gut.\xE2\x80\x9C Dann ging er.") == Strings{"Er sagte: \xE2\x80\x9E"
                                                                               "Das ist gut.\xE2\x80\x9C",
                                                                               "Dann ging er."});
  // A number with a decimal point is no sentence end.
  CHECK(split_checked(sp, "Im Jahr 2024 erzielte die Marke 293.724 Verk\xC3\xA4ufe. Gut.") ==
        Strings{"Im Jahr 2024 erzielte die Marke 293.724 Verk\xC3\xA4ufe.", "Gut."});
}

TEST_CASE("common abbreviations do not end a sentence", "[analyzers][sentences]") {
  SentenceSplitter sp;
  CHECK(split_checked(sp, "Der Pr\xC3\xA4sident Jay Y. Lee traf Lei Jun. Dann fuhr er heim.") ==
        Strings{"Der Pr\xC3\xA4sident Jay Y. Lee traf Lei Jun.", "Dann fuhr er heim."});
  CHECK(split_checked(sp, "Es gibt z.B. \xC3\x84pfel. Danach kommt mehr.") ==
        Strings{"Es gibt z.B. \xC3\x84pfel.", "Danach kommt mehr."});
  CHECK(split_checked(sp, "Die Firma Ford Motor Co. hat Gespr\xC3\xA4"
                          "che. Gut.") == Strings{"Die Firma Ford Motor Co. hat Gespr\xC3\xA4"
                                                  "che.",
                                                  "Gut."});
  CHECK(split_checked(sp, "Das ist Nr. 5 der Liste. Ok.") == Strings{"Das ist Nr. 5 der Liste.", "Ok."});
  CHECK(split_checked(sp, "Siehe S. 12 und bzw. etwas. Nichts.") == Strings{"Siehe S. 12 und bzw. etwas.", "Nichts."});
  CHECK(split_checked(sp, "Das steht vgl. Abb. 3 oben. Gut.") == Strings{"Das steht vgl. Abb. 3 oben.", "Gut."});
  // The price of reading "22." as an ordinal: a sentence that ends in a one- or two-digit number runs on.
  CHECK(split_checked(sp, "Das war vgl. Abb. 3. Gut.") == Strings{"Das war vgl. Abb. 3. Gut."});
  CHECK(split_checked(sp, "Dr. M\xC3\xBCller ging heim. Sie blieb.") ==
        Strings{"Dr. M\xC3\xBCller ging heim.", "Sie blieb."});
}

TEST_CASE("ordinary sentences ending like an abbreviation still split", "[analyzers][sentences]") {
  SentenceSplitter sp;
  // ICU 72's de@ss=standard suppressions kept these as one sentence each.
  CHECK(split_checked(sp, "Er kam. Er ging.") == Strings{"Er kam.", "Er ging."});
  CHECK(split_checked(sp, "Das ist teuer. Morgen kommt mehr.") == Strings{"Das ist teuer.", "Morgen kommt mehr."});
  // A name that looks like an abbreviation elsewhere ("jun.") ends a sentence.
  CHECK(split_checked(sp, "Er traf Lei Jun. Dann fuhr er heim.") == Strings{"Er traf Lei Jun.", "Dann fuhr er heim."});
}

TEST_CASE("abbreviations, initials and ordinals with spaces do not end a sentence", "[analyzers][sentences]") {
  SentenceSplitter sp;
  CHECK(split_checked(sp, "Das gilt z. B. f\xC3\xBCr Autos. Und mehr.") ==
        Strings{"Das gilt z. B. f\xC3\xBCr Autos.", "Und mehr."});
  CHECK(split_checked(sp, "Am 22. M\xC3\xA4rz kam er. Dann ging er.") ==
        Strings{"Am 22. M\xC3\xA4rz kam er.", "Dann ging er."});
  CHECK(split_checked(sp, "Er hat 5 Mio. Euro. Das ist viel.") == Strings{"Er hat 5 Mio. Euro.", "Das ist viel."});
  CHECK(split_checked(sp, "Es sind ca. 5 Autos. Gut.") == Strings{"Es sind ca. 5 Autos.", "Gut."});
  // Reader comments often start in lower case; the break before them is then no sentence end.
  CHECK(split_checked(sp, "Das ist so. aber nicht immer.") == Strings{"Das ist so. aber nicht immer."});
}

TEST_CASE("line breaks and paragraph breaks end sentences", "[analyzers][sentences]") {
  SentenceSplitter sp;
  CHECK(split_checked(sp, "Erste Zeile\n\nZweite Zeile ohne Punkt") ==
        Strings{"Erste Zeile", "Zweite Zeile ohne Punkt"});
  CHECK(split_checked(sp, "Fazit\n\nDas Treffen war kein Einzelfall. Lee besuchte BYD.") ==
        Strings{"Fazit", "Das Treffen war kein Einzelfall.", "Lee besuchte BYD."});
}

TEST_CASE("byte and code point offsets agree with the text", "[analyzers][sentences]") {
  SentenceSplitter sp;
  const std::string text = "  \xC3\x9C"
                           "berraschung in M\xC3\xBCnchen!  Gr\xC3\xBC\xC3\x9F"
                           "e mit \xF0\x9F\x98\x80 und \xE2\x82\xAC. "
                           "\xC3\x84rger? Nein.  ";
  const auto sentences = sp.split(text);
  REQUIRE(sentences.size() == 4);
  CHECK(split_checked(sp, text) == Strings{"\xC3\x9C"
                                           "berraschung in M\xC3\xBCnchen!",
                                           "Gr\xC3\xBC\xC3\x9F"
                                           "e mit \xF0\x9F\x98\x80 und \xE2\x82\xAC.",
                                           "\xC3\x84rger?", "Nein."});
  // Exact offsets: leading spaces trimmed; the emoji is one code point (two UTF-16 units, four bytes).
  CHECK(sentences[0].byte_begin == 2);
  CHECK(sentences[0].cp_begin == 2);
  CHECK(sentences[0].cp_end == 2 + 24);    // "Überraschung in München!" is 24 code points
  CHECK(sentences[0].byte_end == 2 + 26);  // ... and 26 bytes
  CHECK(sentences[1].cp_begin == 28);
  CHECK(sentences[1].cp_end == 28 + 18);                         // "Grüße mit 😀 und €." is 18 code points
  CHECK(sentences[1].byte_end - sentences[1].byte_begin == 25);  // ... and 25 bytes
  CHECK(sentences[3].cp_end == count_code_points(text) - 2);
  CHECK(sentences[3].byte_end == text.size() - 2);
}

TEST_CASE("empty and blank text have no sentences", "[analyzers][sentences]") {
  SentenceSplitter sp;
  CHECK(sp.split("").empty());
  CHECK(sp.split("   \n\n \t ").empty());
  CHECK(split_checked(sp, "Ohne Punkt") == Strings{"Ohne Punkt"});
  // The splitter can be reused.
  CHECK(split_checked(sp, "Eins. Zwei.") == Strings{"Eins.", "Zwei."});
  CHECK(split_checked(sp, "Drei.") == Strings{"Drei."});
}

}  // namespace fundstelle::analyzers
