// The German analyzer: tokenization, normalization, hyphen and percent joining, stemming, code point spans,
// stopwords, and the agreement between analysing a whole text (index side) and single words (query side).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "analyzers/german_analyzer.h"
#include "analyzers/normalize.h"
#include "analyzers/utf8.h"
#include "indexer/txt_parser.h"
#include "test_support.h"

namespace fundstelle::analyzers {
namespace {

// The code points [begin, end) of valid UTF-8 `s`.
std::string cp_slice(const std::string& s, std::size_t begin, std::size_t end) {
  std::size_t cp = 0, b = std::string::npos, e = s.size();
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (cp == begin && b == std::string::npos) b = i;
    if (cp == end) {
      e = i;
      break;
    }
    ++cp;
  }
  REQUIRE(b != std::string::npos);
  return s.substr(b, e - b);
}

std::vector<std::string> terms_of(const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (const auto& t : tokens) out.push_back(t.term);
  return out;
}

std::vector<std::string> terms_with_role(const std::vector<Token>& tokens, TokenRole role) {
  std::vector<std::string> out;
  for (const auto& t : tokens)
    if (t.role == role) out.push_back(t.term);
  return out;
}

// The single term of a one-word text.
// The term of a single word (compound parts that follow it are not counted).
std::string single_term(GermanAnalyzer& a, const std::string& word) {
  const auto tokens = a.analyze(word);
  REQUIRE_FALSE(tokens.empty());
  CHECK(tokens[0].role == TokenRole::Word);
  for (std::size_t i = 1; i < tokens.size(); ++i) CHECK(tokens[i].role == TokenRole::Split);
  return tokens[0].term;
}

}  // namespace

TEST_CASE("umlaut spellings and case share one term", "[analyzers][german]") {
  GermanAnalyzer a;
  const std::string muenchen = single_term(a, "M\xC3\xBCnchen");
  CHECK(single_term(a, "Muenchen") == muenchen);
  CHECK(single_term(a, "Munchen") == muenchen);
  CHECK(single_term(a, "M\xC3\x9C"
                       "NCHEN") == muenchen);  // MÜNCHEN
  CHECK(single_term(a, "MUENCHEN") == muenchen);
  CHECK(single_term(a, "Mu\xCC\x88nchen") == muenchen);  // decomposed ü (u + combining diaeresis)
  // ... but a different word does not.
  CHECK(single_term(a, "Manchen") != muenchen);

  CHECK(single_term(a, "Gr\xC3\xB6\xC3\x9F"
                       "e") == single_term(a, "Groesse"));            // Größe
  CHECK(single_term(a, "\xC3\x84rger") == single_term(a, "Aerger"));  // Ärger
}

TEST_CASE("inflected forms stem to the same term", "[analyzers][german]") {
  GermanAnalyzer a;
  CHECK(single_term(a, "Partnerschaften") == single_term(a, "Partnerschaft"));
  CHECK(single_term(a, "Elektrofahrzeuge") == single_term(a, "Elektrofahrzeug"));
  CHECK(single_term(a, "Gespr\xC3\xA4"
                       "che") == single_term(a, "Gespr\xC3\xA4"
                                                "ch"));  // Gespräche, Gespräch
  CHECK(single_term(a, "Unternehmens") == single_term(a, "Unternehmen"));
  // A stem is not the surface form: the stemmer really ran.
  const auto t = a.analyze("Partnerschaften");
  REQUIRE(t.size() == 1);
  CHECK(t[0].form == "partnerschaften");
  CHECK(t[0].term != t[0].form);
  CHECK(t[0].term == a.term_for_form("partnerschaften"));
}

TEST_CASE("a plural or genitive -s after a vowel goes where the singular is a listed noun", "[analyzers][german]") {
  GermanAnalyzer a;
  // German2 keeps these -s; the word lists know Auto, Kamera, Taxi, Korea as nouns.
  for (const auto& [plural, singular] : std::vector<std::pair<std::string, std::string>>{
           {"Autos", "Auto"}, {"Kameras", "Kamera"}, {"Taxis", "Taxi"}, {"Koreas", "Korea"}, {"Makros", "Makro"}}) {
    INFO(plural);
    CHECK(single_term(a, plural) == single_term(a, singular));
    CHECK(a.term_for_form(a.normalize(plural)) == single_term(a, singular));  // the query side too
  }
  // Not where the rest is no listed noun (Status, Globus), or shorter than four letters (Mais is no Mai,
  // Eis no Ei).
  CHECK(single_term(a, "Status") != single_term(a, "Statu"));
  CHECK(single_term(a, "Globus") != single_term(a, "Globu"));
  CHECK(single_term(a, "Mais") != single_term(a, "Mai"));
  CHECK(single_term(a, "Eis") != single_term(a, "Ei"));
}

TEST_CASE("a hyphen chain gives its parts plus the joined whole", "[analyzers][german][hyphen]") {
  GermanAnalyzer a;

  SECTION("EV-Partnerschaft") {
    const std::string text = "die EV-Partnerschaft";
    const auto t = a.analyze(text);
    REQUIRE(t.size() == 4);
    CHECK(t[0].term == "die");
    CHECK(t[0].position == 0);
    CHECK(t[0].role == TokenRole::Word);

    CHECK(t[1].term == "ev");
    CHECK(t[1].role == TokenRole::Part);
    CHECK(t[1].position == 1);
    CHECK(cp_slice(text, t[1].begin, t[1].end) == "EV");

    CHECK(t[2].term == single_term(a, "Partnerschaft"));
    CHECK(t[2].role == TokenRole::Part);
    CHECK(t[2].position == 2);  // consecutive positions: "ev partnerschaft" is a phrase
    CHECK(cp_slice(text, t[2].begin, t[2].end) == "Partnerschaft");

    CHECK(t[3].role == TokenRole::Whole);
    CHECK(t[3].position == t[1].position);  // the whole shares the first part's position
    CHECK(t[3].form == "evpartnerschaft");
    CHECK(t[3].term == a.term_for_form("evpartnerschaft"));
    CHECK(cp_slice(text, t[3].begin, t[3].end) == "EV-Partnerschaft");
  }

  SECTION("Know-how-Transfers: three parts") {
    const std::string text = "Know-how-Transfers";
    const auto t = a.analyze(text);
    REQUIRE(t.size() == 4);
    CHECK(terms_with_role(t, TokenRole::Part) == std::vector<std::string>{"know", "how", single_term(a, "Transfers")});
    CHECK(t[0].position == 0);
    CHECK(t[1].position == 1);
    CHECK(t[2].position == 2);
    CHECK(t[3].role == TokenRole::Whole);
    CHECK(t[3].position == 0);
    CHECK(t[3].form == "knowhowtransfers");
    CHECK(t[3].begin == 0);
    CHECK(t[3].end == 18);
  }

  SECTION("E-Auto: a one-letter first part") {
    const auto t = a.analyze("E-Auto");
    REQUIRE(t.size() == 3);
    CHECK(t[0].term == "e");
    CHECK(t[0].role == TokenRole::Part);
    CHECK(t[1].term == single_term(a, "Auto"));
    CHECK(t[1].role == TokenRole::Part);
    CHECK(t[2].form == "eauto");
    CHECK(t[2].role == TokenRole::Whole);
    CHECK(t[2].position == 0);
  }

  SECTION("parts keep their own stems, so the part finds the unhyphenated word") {
    const auto t = a.analyze("Smartphone-Hersteller");
    CHECK(terms_with_role(t, TokenRole::Part) ==
          std::vector<std::string>{single_term(a, "Smartphone"), single_term(a, "Hersteller")});
  }

  SECTION("a suspended hyphen (Elektronik- und) is no chain") {
    const auto t = a.analyze("Elektronik- und Smartphone-Hersteller");
    REQUIRE(t.size() == 5);
    CHECK(t[0].role == TokenRole::Word);
    CHECK(t[0].form == "elektronik");
    CHECK(t[1].role == TokenRole::Word);
    CHECK(t[1].form == "und");
    CHECK(t[2].role == TokenRole::Part);
    CHECK(t[3].role == TokenRole::Part);
    CHECK(t[4].role == TokenRole::Whole);
    CHECK(t[4].position == 2);
  }

  SECTION("positions continue after a chain") {
    const auto t = a.analyze("E-Auto kaufen");
    REQUIRE(t.size() == 4);
    CHECK(t[3].form == "kaufen");
    CHECK(t[3].position == 2);
  }
}

TEST_CASE("words joined by a full stop are a chain: their parts plus the joined whole", "[analyzers][german][hyphen]") {
  GermanAnalyzer a;

  SECTION("a method call and a domain name") {
    // ICU keeps ui.GetDocument and heise.de one word each; a reader searches for GetDocument or heise.
    const std::string text = "doc = ui.GetDocument() auf heise.de";
    const auto t = a.analyze(text);
    std::vector<std::tuple<std::string, TokenRole, std::uint32_t>> got;
    for (const auto& tok : t) got.emplace_back(tok.form, tok.role, tok.position);
    CHECK(got == std::vector<std::tuple<std::string, TokenRole, std::uint32_t>>{{"doc", TokenRole::Word, 0},
                                                                                {"ui", TokenRole::Part, 1},
                                                                                {"getdocument", TokenRole::Part, 2},
                                                                                {"uigetdocument", TokenRole::Whole, 1},
                                                                                {"auf", TokenRole::Word, 3},
                                                                                {"heise", TokenRole::Part, 4},
                                                                                {"de", TokenRole::Part, 5},
                                                                                {"heisede", TokenRole::Whole, 4}});
    const auto part = std::find_if(t.begin(), t.end(), [](const Token& x) { return x.form == "getdocument"; });
    REQUIRE(part != t.end());
    CHECK(cp_slice(text, part->begin, part->end) == "GetDocument");  // highlights mark the part
    CHECK(part->capitalised);                                  // the full stop joins the chain, it ends no sentence
    const auto sentence = a.analyze("Es ging. Dann kam er.");  // this one does: Dann begins a sentence
    REQUIRE(sentence.size() > 2);
    CHECK(sentence[2].form == "dann");
    CHECK_FALSE(sentence[2].capitalised);
    const auto whole = std::find_if(t.begin(), t.end(), [](const Token& x) { return x.form == "heisede"; });
    REQUIRE(whole != t.end());
    CHECK(cp_slice(text, whole->begin, whole->end) == "heise.de");
  }

  SECTION("a missing space after a full stop") {
    const auto t = a.analyze("am Ende.Der Anfang");
    CHECK(std::count_if(t.begin(), t.end(), [&](const Token& x) { return x.term == single_term(a, "Ende"); }) == 1);
    CHECK(std::count_if(t.begin(), t.end(), [](const Token& x) { return x.form == "der"; }) == 1);
  }

  SECTION("the full stops ICU keeps inside a word, and a decomposed letter before one") {
    // Full-width (U+FF0E) and one-dot leader (U+2024); "Cafe" + COMBINING ACUTE ACCENT (U+0301).
    for (const std::string text : {"heise\xEF\xBC\x8E"
                                   "de",
                                   "heise\xE2\x80\xA4"
                                   "de"}) {
      INFO(text);
      const auto t = a.analyze(text);
      REQUIRE(t.size() == 3);
      CHECK(t[0].form == "heise");
      CHECK(t[1].form == "de");
      CHECK(t[2].form == "heisede");
    }
    const auto cafe = a.analyze("Cafe\xCC\x81.Bar");
    REQUIRE(cafe.size() == 3);
    CHECK(cafe[2].role == TokenRole::Whole);
  }

  SECTION("numbers and a full stop at the end stay as they were") {
    CHECK(terms_of(a.analyze("293.724 Euro.")) == std::vector<std::string>{"293.724", single_term(a, "Euro")});
    const auto v = a.analyze("Version 1.2b");
    CHECK(std::none_of(v.begin(), v.end(), [](const Token& x) { return x.role == TokenRole::Part; }));
  }
}

TEST_CASE("numbers stay one token and are not stemmed", "[analyzers][german][numbers]") {
  GermanAnalyzer a;
  const auto t = a.analyze("293.724 4,5 SU7 T03 2027");
  REQUIRE(t.size() == 5);
  CHECK(terms_of(t) == std::vector<std::string>{"293.724", "4,5", "su7", "t03", "2027"});
  for (const auto& tok : t) {
    CHECK(tok.role == TokenRole::Word);
    CHECK(tok.term == tok.form);
  }
  for (std::uint32_t i = 0; i < t.size(); ++i) CHECK(t[i].position == i);
  // term_for_form leaves anything with a digit alone, even where a stemmer would cut a suffix.
  CHECK(a.term_for_form("modelle2") == "modelle2");
  CHECK(a.term_for_form("modelle") != "modelle");
}

TEST_CASE("the unit signs a number written apart from them takes", "[analyzers][german][numbers]") {
  CHECK(GermanAnalyzer::is_unit_sign("%"));
  CHECK(GermanAnalyzer::is_unit_sign("\xEF\xBC\x85"));  // full-width percent sign
  CHECK_FALSE(GermanAnalyzer::is_unit_sign("%%"));
  CHECK_FALSE(GermanAnalyzer::is_unit_sign("Prozent"));
  CHECK_FALSE(GermanAnalyzer::is_unit_sign(""));
  // What is_unit_sign accepts after a number, analyze() reads as one quantity with it.
  GermanAnalyzer a;
  for (const std::string sign : {"%", "\xEF\xBC\x85"}) {
    const auto t = a.analyze("20 " + sign);
    REQUIRE(t.size() == 2);
    CHECK(t[1].role == TokenRole::Quantity);
  }
}

TEST_CASE("a percentage gives the number plus the number with its sign", "[analyzers][german][numbers]") {
  GermanAnalyzer a;
  for (const std::string text : {"20 %", "20%", "20\xC2\xA0%"}) {  // space, none, no-break space
    INFO("text: " << text);
    const auto t = a.analyze(text);
    REQUIRE(t.size() == 2);
    CHECK(t[0].term == "20");
    CHECK(t[0].role == TokenRole::Part);
    CHECK(t[1].term == "20%");
    CHECK(t[1].role == TokenRole::Quantity);
    CHECK(t[0].position == t[1].position);
    CHECK(cp_slice(text, t[0].begin, t[0].end) == "20");
    CHECK(cp_slice(text, t[1].begin, t[1].end) == text);
  }
  SECTION("the following word gets the next position") {
    const auto t = a.analyze("um 20 % gestiegen");
    REQUIRE(t.size() == 4);
    CHECK(t[1].position == 1);
    CHECK(t[2].position == 1);
    CHECK(t[3].form == "gestiegen");
    CHECK(t[3].position == 2);
  }
  SECTION("a word before a percent sign is no number") {
    const auto t = a.analyze("Anteil %");
    REQUIRE(t.size() == 1);
    CHECK(t[0].role == TokenRole::Word);
  }
}

TEST_CASE("token spans are code point offsets into the analysed text", "[analyzers][german][spans]") {
  GermanAnalyzer a;
  const std::string text = "\xC3\x9C"
                           "berraschungsbesuch in M\xC3\xBCnchen: 104 % f\xC3\xBCr Gr\xC3\xBC\xC3\x9F"
                           "e \xF0\x9F\x98\x80 "
                           "und \xC3\x84rger mit der EV-Partnerschaft.";
  const auto t = a.analyze(text);
  REQUIRE(t.size() >= 12);
  const std::size_t n = count_code_points(text);
  std::set<std::string> seen;
  for (const auto& tok : t) {
    REQUIRE(tok.begin < tok.end);
    REQUIRE(tok.end <= n);
    const std::string slice = cp_slice(text, tok.begin, tok.end);
    INFO("token " << tok.form << " slice " << slice);
    if (tok.role == TokenRole::Split) {
      // A compound part carries the span of the whole compound, and its form is spelled inside it.
      CHECK(a.normalize(slice).find(tok.form) != std::string::npos);
    } else if (tok.role == TokenRole::Whole || tok.role == TokenRole::Quantity) {
      // The whole's form is its slice without hyphens and spaces.
      std::string joined;
      for (const char c : a.normalize(slice))
        if (c != '-' && c != ' ') joined += c;
      CHECK(joined == tok.form);
    } else {
      CHECK(a.normalize(slice) == tok.form);
    }
    seen.insert(slice);
  }
  // A few exact slices, past multi-byte and astral characters.
  CHECK(seen.count("\xC3\x9C"
                   "berraschungsbesuch"));
  CHECK(seen.count("M\xC3\xBCnchen"));
  CHECK(seen.count("104 %"));
  CHECK(seen.count("Gr\xC3\xBC\xC3\x9F"
                   "e"));
  CHECK(seen.count("\xC3\x84rger"));
  CHECK(seen.count("EV-Partnerschaft"));
  CHECK(seen.count("Partnerschaft"));
  // The emoji is not a word.
  CHECK_FALSE(seen.count("\xF0\x9F\x98\x80"));
  // Exact offsets of the word after the emoji: "und" starts at code point 48.
  const std::string prefix = "\xC3\x9C"
                             "berraschungsbesuch in M\xC3\xBCnchen: 104 % f\xC3\xBCr Gr\xC3\xBC\xC3\x9F"
                             "e \xF0\x9F\x98\x80 ";
  const auto und = std::find_if(t.begin(), t.end(), [](const Token& x) { return x.form == "und"; });
  REQUIRE(und != t.end());
  CHECK(und->begin == count_code_points(prefix));
  CHECK(und->end == count_code_points(prefix) + 3);
}

TEST_CASE("NFKC and case folding", "[analyzers][german][normalize]") {
  GermanAnalyzer a;
  CHECK(a.normalize("\xEF\xAC\x81nden") == "finden");                                // ﬁ ligature
  CHECK(a.normalize("\xEF\xBC\xB7\xEF\xBD\x8F\xEF\xBD\x92\xEF\xBD\x94") == "wort");  // full-width Ｗｏｒｔ
  CHECK(a.normalize("Stra\xC3\x9F"
                    "e") == "strasse");  // ß -> ss
  CHECK(a.normalize("\xC3\x9F") == "ss");
  CHECK(a.normalize("\xE1\xBA\x9E") == "ss");  // capital ẞ
  CHECK(a.normalize("M\xC3\x9C"
                    "NCHEN") == "m\xC3\xBCnchen");            // MÜNCHEN -> münchen (umlaut kept)
  CHECK(a.normalize("Mu\xCC\x88nchen") == "m\xC3\xBCnchen");  // composed
  CHECK(a.normalize("\xE2\x91\xA0") == "1");                  // ①
  CHECK(a.normalize("") == "");

  // The analyzer applies the same normalization to every token.
  const auto t = a.analyze("\xEF\xAC\x81nden \xEF\xBC\xB7\xEF\xBD\x8F\xEF\xBD\x92\xEF\xBD\x94 Stra\xC3\x9F"
                           "e");
  REQUIRE(t.size() == 3);
  CHECK(t[0].form == "finden");
  CHECK(t[0].term == single_term(a, "finden"));
  CHECK(t[1].form == "wort");
  CHECK(t[1].term == single_term(a, "Wort"));
  CHECK(t[2].form == "strasse");
  CHECK(t[2].term == single_term(a, "Strasse"));
  // The ligature is one code point: the span covers 5 code points, not 6.
  CHECK(t[0].begin == 0);
  CHECK(t[0].end == 5);
  CHECK(t[1].begin == 6);
  CHECK(t[1].end == 10);
}

TEST_CASE("punctuation-only and empty input give no tokens", "[analyzers][german]") {
  GermanAnalyzer a;
  for (const std::string& text : {std::string(""), std::string("   \n\t "), std::string("... !!! ? ,;:"),
                                  std::string("\xE2\x80\x94 \xE2\x80\x93 \xE2\x80\x9E\xE2\x80\x9C \xC2\xBB\xC2\xAB"),
                                  std::string("- -- --- %"), std::string("\xF0\x9F\x98\x80\xF0\x9F\x9A\x97")}) {
    INFO("text: " << text);
    CHECK(a.analyze(text).empty());
  }
  // analyze() appends: an empty text leaves earlier tokens alone.
  std::vector<Token> out;
  a.analyze("eins", out);
  a.analyze("", out);
  a.analyze("zwei", out);
  REQUIRE(out.size() == 2);
  CHECK(out[1].form == "zwei");
  CHECK(out[1].position == 0);  // positions restart with every call
}

TEST_CASE("overlong terms are dropped", "[analyzers][german]") {
  GermanAnalyzer a;
  const std::string huge(GermanAnalyzer::kMaxTermBytes + 50, 'x');
  const auto t = a.analyze("vorher " + huge + " nachher");
  REQUIRE(t.size() == 2);
  CHECK(t[0].form == "vorher");
  CHECK(t[1].form == "nachher");
  for (const auto& tok : t) CHECK(tok.term.size() <= GermanAnalyzer::kMaxTermBytes);
}

TEST_CASE("stopwords are recognised on normalized forms", "[analyzers][german][stopwords]") {
  GermanAnalyzer a;
  for (const char* w : {"und", "der", "die", "das", "f\xC3\xBCr", "Da\xC3\x9F", "dass", "UND",
                        "\xC3\xBC"
                        "ber"}) {
    INFO("stopword " << w);
    CHECK(a.is_stopword(a.normalize(w)));
  }
  // Daß is listed with ß; the normalized list holds "dass".
  CHECK(a.is_stopword("dass"));
  CHECK_FALSE(a.is_stopword("da\xC3\x9F"));  // not a normalized form
  for (const char* w : {"Ferrari", "Elektroauto", "M\xC3\xBCnchen", "Partnerschaft", "20", "xiaomi", ""}) {
    INFO("not a stopword " << w);
    CHECK_FALSE(a.is_stopword(a.normalize(w)));
  }
  // Forms only: the caller must normalize first.
  CHECK_FALSE(a.is_stopword("Und"));
}

TEST_CASE("the fingerprint is non-empty and stable", "[analyzers][german]") {
  const std::string f = GermanAnalyzer::fingerprint();
  CHECK_FALSE(f.empty());
  CHECK(f == GermanAnalyzer::fingerprint());
  CHECK(f.find("german2") != std::string::npos);  // names the stemmer, whose change would change terms
}

TEST_CASE("two analyzers give identical tokens", "[analyzers][german]") {
  GermanAnalyzer a, b;
  const std::string text = "Ford f\xC3\xBChrte Gespr\xC3\xA4"
                           "che mit Xiaomi \xC3\xBC"
                           "ber EV-Partnerschaft, 20 %.";
  const auto ta = a.analyze(text), tb = b.analyze(text);
  REQUIRE(ta.size() == tb.size());
  for (std::size_t i = 0; i < ta.size(); ++i) {
    CHECK(ta[i].term == tb[i].term);
    CHECK(ta[i].position == tb[i].position);
    CHECK(ta[i].begin == tb[i].begin);
  }
  // Repeated use of one analyzer does not change results.
  CHECK(terms_of(a.analyze(text)) == terms_of(ta));
}

// The query parser analyses each query word on its own; the indexer analyses whole passages. For a word to
// be found, both must produce the same terms for it.
TEST_CASE("index side and query side agree word by word", "[analyzers][german][agreement]") {
  GermanAnalyzer a;
  std::vector<std::string> texts = {
      "Die EV-Partnerschaft von Ford und Xiaomi: 293.724 Fahrzeuge, 4,5 Milliarden, SU7 und T03.",
      "Gro\xC3\x9F"
      "e M\xC3\xBCnchner Know-how-Transfers, \xE2\x80\x9E"
      "E-Autos\xE2\x80\x9C und Stra\xC3\x9F"
      "en (z.B. heute).",
  };
  for (const auto& file : std::filesystem::directory_iterator(test::corpus_dir())) {
    const auto parsed = indexer::parse_txt_article(test::read_text(file.path()), "id", file.path().string());
    for (const auto& p : parsed.article.paragraphs) texts.push_back(p);
    for (const auto& c : parsed.article.comments) texts.push_back(c.text);
  }
  REQUIRE(texts.size() > 40);

  std::size_t words_checked = 0, crossing = 0;
  for (const std::string& text : texts) {
    const auto whole = a.analyze(text);
    // Whitespace-separated words with their code point ranges.
    std::size_t cp = 0, byte = 0;
    while (byte < text.size()) {
      while (byte < text.size() && (text[byte] == ' ' || text[byte] == '\n')) ++byte, ++cp;
      if (byte >= text.size()) break;
      const std::size_t wb = byte, wcp = cp;
      while (byte < text.size() && text[byte] != ' ' && text[byte] != '\n') {
        if ((static_cast<unsigned char>(text[byte]) & 0xC0) != 0x80) ++cp;
        ++byte;
      }
      const std::string word = text.substr(wb, byte - wb);
      const std::size_t wend = cp;

      std::vector<std::string> in_context;
      std::vector<std::uint32_t> rel_positions;
      std::uint32_t first_pos = 0;
      bool have_first = false;
      for (const auto& tok : whole) {
        if (tok.begin >= wcp && tok.end <= wend) {
          if (!have_first) first_pos = tok.position, have_first = true;
          in_context.push_back(tok.term);
          rel_positions.push_back(tok.position - first_pos);
        } else if (tok.begin >= wcp && tok.begin < wend) {
          // Only "N %" may reach past its word (into the next one, the percent sign).
          ++crossing;
          CHECK(tok.form.back() == '%');
          CHECK(tok.role == TokenRole::Quantity);
        }
      }
      const auto alone = a.analyze(word);
      std::vector<std::uint32_t> alone_positions;
      for (const auto& tok : alone) alone_positions.push_back(tok.position);
      INFO("word: " << word << " in: " << text.substr(0, 80));
      CHECK(terms_of(alone) == in_context);
      CHECK(alone_positions == rel_positions);
      ++words_checked;
    }
  }
  CHECK(words_checked > 1500);
  CHECK(crossing >= 1);  // the corpus has "104 %"
}

TEST_CASE("compound_joins: the ways two words written apart may be one compound", "[analyzers][compounds]") {
  const auto joins = fundstelle::analyzers::GermanAnalyzer::compound_joins("entwicklung", "zentrum");
  CHECK(std::find(joins.begin(), joins.end(), "entwicklungszentrum") != joins.end());
  CHECK(std::find(joins.begin(), joins.end(), "entwicklungzentrum") != joins.end());
  CHECK(joins.size() == 8);  // one per linking element; no final e to leave out
  const auto schule = fundstelle::analyzers::GermanAnalyzer::compound_joins("schule", "buch");
  CHECK(std::find(schule.begin(), schule.end(), "schulbuch") != schule.end());
  // Short words, numbers and hyphenated words are never joined.
  CHECK(fundstelle::analyzers::GermanAnalyzer::compound_joins("ev", "werk").empty());
  CHECK(fundstelle::analyzers::GermanAnalyzer::compound_joins("modell", "2025").empty());
  CHECK(fundstelle::analyzers::GermanAnalyzer::compound_joins("e-auto", "markt").empty());
}

TEST_CASE("capitalised: a capital letter inside a sentence, not where a sentence begins", "[analyzers]") {
  fundstelle::analyzers::GermanAnalyzer analyzer;
  std::map<std::string, bool> seen;
  for (const auto& t : analyzer.analyze("Der Minister Kessler sagt: Wir kehren heim. Heute \xE2\x80\x9E"
                                        "Fazit\xE2\x80\x9C und EV-Werk"))
    if (t.role == fundstelle::analyzers::TokenRole::Word || t.role == fundstelle::analyzers::TokenRole::Part)
      seen[t.form] = t.capitalised;
  CHECK_FALSE(seen.at("der"));  // the text begins
  CHECK(seen.at("minister"));
  CHECK(seen.at("kessler"));
  CHECK_FALSE(seen.at("sagt"));
  CHECK_FALSE(seen.at("wir"));  // after a colon
  CHECK_FALSE(seen.at("kehren"));
  CHECK_FALSE(seen.at("heute"));  // after a full stop
  CHECK(seen.at("fazit"));        // inside quotes, inside a sentence
  CHECK(seen.at("ev"));
  CHECK(seen.at("werk"));
}

TEST_CASE("compound_variants: other linking elements, the other number of an irregular head",
          "[analyzers][compounds]") {
  fundstelle::analyzers::GermanAnalyzer analyzer;
  const auto has = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  // The variants of a word from its parts as the analyzer splits it, as the query builder calls it.
  const auto variants = [&](const std::string& form) {
    std::vector<std::string> parts;
    for (const auto& t : analyzer.analyze(form))
      if (t.role == fundstelle::analyzers::TokenRole::Split) parts.push_back(t.form);
    return fundstelle::analyzers::GermanAnalyzer::compound_variants(form, parts);
  };
  const auto plural = variants("entwicklungszentren");
  CHECK(has(plural, "entwicklungszentrum"));
  CHECK_FALSE(has(plural, "entwicklungszentren"));  // not the word itself
  const auto no_link = variants("entwicklungzentrum");
  CHECK(has(no_link, "entwicklungszentrum"));
  CHECK(has(variants("autofirma"), "autofirmen"));
  CHECK(variants("leapmotor").empty());  // no compound: nothing
  CHECK(variants("zentrum").empty());
}

TEST_CASE("number_variants: the other number of a noun whose plural is no added ending", "[analyzers][german]") {
  using V = std::vector<std::string>;
  const auto variants = [](const std::string& form) { return GermanAnalyzer::number_variants(form); };
  CHECK(variants("firmen") == V{"firma"});
  CHECK(variants("firma") == V{"firmen"});
  CHECK(variants("zentren") == V{"zentrum"});
  CHECK(variants("viren") == V{"virus"});
  CHECK(variants("museen") == V{"museum"});
  CHECK(variants("matrizen") == V{"matrix"});
  // A form that reads as the plural of a listed singular gives that singular only.
  CHECK(variants("praktika") == V{"praktikum"});
  // Words whose ending only looks irregular: no listed noun in the other number.
  CHECK(variants("frauen").empty());
  CHECK(variants("laden").empty());  // (no Lada, the car, for a shop)
  CHECK(variants("dokument").empty());
  CHECK(variants("leapmotor").empty());  // not listed at all
  // Endings left out for their false pairs: no moths for a motto, no regalia for a shelf.
  CHECK(variants("motto").empty());
  CHECK(variants("regal").empty());
}

TEST_CASE("a compound analysed when the cache of forms is full gets its parts", "[analyzers][german]") {
  // The cache of forms empties itself when full; a compound's parts, worked out after its form is cached,
  // must not be stemmed through that cache (that emptied it under the compound's own entry once).
  GermanAnalyzer a;
  std::string fill;
  for (unsigned i = 0; i < (1u << 16) - 2; ++i) {
    fill += " x";
    for (unsigned n = i; n; n /= 26) fill += static_cast<char>('a' + n % 26);
  }
  a.analyze(fill);
  for (int round = 0; round < 3; ++round) {
    std::vector<std::string> parts;
    for (const auto& t : a.analyze("Entwicklungszentrum"))
      if (t.role == TokenRole::Split) parts.push_back(t.form);
    CHECK(parts == std::vector<std::string>{"entwicklung", "zentrum"});
    a.analyze("y" + std::to_string(round) + "a yb yc");
  }
}

TEST_CASE("analyze_at gives exactly analyze's tokens at the positions asked for", "[analyzers][german]") {
  GermanAnalyzer a;
  const std::string text =
      "Die EV-Partnerschaft von Samsung und Xiaomi wächst um 20 % im Entwicklungszentrum, ein "
      "Know-how-Transfer mit Klimaschutzgesetz und E-Auto-Förderung; Dokumente über Forschungszentren.";
  const auto all = a.analyze(text);
  std::uint32_t last = 0;
  for (const auto& t : all) last = std::max(last, t.position);
  REQUIRE(last > 15);
  // The positions a hyphen chain holds: a Whole and every token within its span.
  std::vector<std::set<std::uint32_t>> chains;
  for (const auto& w : all) {
    if (w.role != TokenRole::Whole) continue;
    std::set<std::uint32_t> chain;
    for (const auto& t : all)
      if (t.begin >= w.begin && t.end <= w.end) chain.insert(t.position);
    chains.push_back(chain);
  }
  REQUIRE(chains.size() == 3);  // EV-Partnerschaft, Know-how-Transfer, E-Auto-Förderung
  const auto key = [](const Token& t) {
    return std::tuple(t.term, t.form, t.position, t.begin, t.end, static_cast<int>(t.role), t.capitalised);
  };
  // Every single position, every pair of neighbours, none, and all.
  std::vector<std::vector<std::uint32_t>> asks = {{}};
  std::vector<std::uint32_t> every;
  for (std::uint32_t p = 0; p <= last + 1; ++p) {
    asks.push_back({p});
    asks.push_back({p, p + 1});
    every.push_back(p);
  }
  asks.push_back(every);
  for (const auto& ask : asks) {
    std::set<std::uint32_t> wanted(ask.begin(), ask.end());
    for (const auto& chain : chains)
      if (std::any_of(chain.begin(), chain.end(),
                      [&](std::uint32_t p) { return std::count(ask.begin(), ask.end(), p); }))
        wanted.insert(chain.begin(), chain.end());
    std::vector<decltype(key(all[0]))> expected, got;
    for (const auto& t : all)
      if (wanted.count(t.position)) expected.push_back(key(t));
    std::vector<Token> out;
    a.analyze_at(text, ask, out);
    for (const auto& t : out) got.push_back(key(t));
    INFO("positions " << (ask.empty() ? -1 : static_cast<int>(ask.front())) << " (" << ask.size() << ")");
    CHECK(got == expected);
  }
}

}  // namespace fundstelle::analyzers

TEST_CASE("umlauts_for_digraphs writes ae, oe, ue as umlauts, not the ue after q", "[analyzers][spelling]") {
  using fundstelle::analyzers::umlauts_for_digraphs;
  CHECK(umlauts_for_digraphs("muenchn") == "m\xC3\xBCnchn");
  CHECK(umlauts_for_digraphs("koeln") == "k\xC3\xB6ln");
  CHECK(umlauts_for_digraphs("aerger") == "\xC3\xA4rger");
  CHECK(umlauts_for_digraphs("quelle") == "quelle");
  CHECK(umlauts_for_digraphs("tabelle") == "tabelle");
  CHECK(umlauts_for_digraphs("") == "");
}
