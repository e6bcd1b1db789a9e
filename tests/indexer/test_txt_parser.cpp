// The plain-text article parser: the five seed articles exactly, and the general clutter rules on synthetic
// input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "indexer/txt_parser.h"
#include "test_support.h"

namespace fundstelle::indexer {
namespace {

using Strings = std::vector<std::string>;

TxtParse parse_seed(const std::string& prefix) {
  const auto path = test::seed(prefix);
  REQUIRE_FALSE(path.empty());
  return parse_txt_article(test::read_text(path), prefix + "id", path.string());
}

TxtParse parse(const std::string& text) { return parse_txt_article(text, "synthetic", "/tmp/synthetic.txt"); }

bool has_paragraph(const Article& a, const std::string& p) {
  return std::find(a.paragraphs.begin(), a.paragraphs.end(), p) != a.paragraphs.end();
}

// Every string the article would make searchable.
Strings searchable(const Article& a) {
  Strings all = a.paragraphs;
  all.push_back(a.title);
  for (const auto& c : a.comments) all.push_back(c.text);
  return all;
}

std::vector<std::pair<std::size_t, std::string>> dropped_reasons(const TxtParse& r) {
  std::vector<std::pair<std::size_t, std::string>> out;
  for (const auto& d : r.dropped) out.emplace_back(d.line, d.reason);
  return out;
}

using Reasons = std::vector<std::pair<std::size_t, std::string>>;

// Structural checks that hold for any parse.
void check_well_formed(const TxtParse& r) {
  for (const auto& p : r.article.paragraphs) {
    CHECK_FALSE(p.empty());
    CHECK(p.find('\n') == std::string::npos);
    CHECK(p.find('\r') == std::string::npos);
    CHECK(p.front() != ' ');
    CHECK(p.back() != ' ');
  }
  for (const auto& c : r.article.comments) {
    CHECK_FALSE(c.text.empty());
    CHECK(c.text.find('\r') == std::string::npos);
  }
  CHECK(r.article.title.find('\r') == std::string::npos);
  CHECK(r.article.title.find('\n') == std::string::npos);
}

}  // namespace

TEST_CASE("seed 000: headline, caption with credit, ads, slug, comment form", "[indexer][txt][seed]") {
  const auto r = parse_seed("000_");
  check_well_formed(r);
  CHECK(r.article.id == "000_id");
  CHECK(r.article.source == test::seed("000_").string());
  CHECK_FALSE(r.derived_title);
  CHECK(r.article.title == "Ferrari: \xC3\x9C"
                           "berraschungsbesuch des CEO bei einem bekannten chinesischen Autohersteller");
  // Body lines 3, 5, 7, 11, 13, 15, 19, 21, 24; lines 9/17/23 "Werbung", 10 a slug, 26/28 the comment form.
  REQUIRE(r.article.paragraphs.size() == 9);
  // The caption keeps its facts; its trailing credit goes.
  CHECK(r.article.paragraphs[0] ==
        "Bendetto Vigna, CEO von Ferrari, neben dem Gr\xC3\xBCnder von Leapmotor, Zhu Jiangming.");
  CHECK(r.article.paragraphs[1].starts_with("Am 14. Februar 2025 fand am anderen Ende der Welt"));
  CHECK(r.article.paragraphs[3] == "Carlos Tavares, Ex-CEO Stellantis, mit Zhu Jiangming, CEO Leapmotor");
  CHECK(r.article.paragraphs[8] == "Die Informationen stammen von dem chinesischen Blogger \"Planet Electric Krabs\".");
  CHECK(r.article.comments.empty());
  CHECK(r.article.tags.empty());
  CHECK(dropped_reasons(r) ==
        Reasons{{9, "ad"}, {10, "image"}, {17, "ad"}, {23, "ad"}, {26, "comment form"}, {28, "comment form"}});
  CHECK(r.dropped[1].text == "carlos-tavares-leapmotor");
  CHECK(r.dropped[4].text == "Schreibe einen Kommentar");
}

TEST_CASE("seed 001: headline, subheadings, comments after -->", "[indexer][txt][seed]") {
  const auto r = parse_seed("001_");
  check_well_formed(r);
  CHECK_FALSE(r.derived_title);
  CHECK(r.article.title == "Ferrari klopft f\xC3\xBCr Elektroautos ebenfalls in China an");
  // Lines 4-10, one paragraph each (the subheadings on lines 5 and 8 are paragraphs of their own).
  REQUIRE(r.article.paragraphs.size() == 7);
  CHECK(r.article.paragraphs[1] == "Ferrari spricht jetzt mit Leapmotor");
  CHECK(r.article.paragraphs[4] == "Ferrari zeigt Elektroauto noch 2025");
  CHECK(r.article.paragraphs[6].starts_with("Es d\xC3\xBCrfte hier allerdings nicht um das erste Elektroauto"));
  // Lines 12-19: eight comments, one per line; lower-case starts are not joined in comments.
  REQUIRE(r.article.comments.size() == 8);
  CHECK(r.article.comments[0].text.starts_with("\xE2\x80\x9E"
                                               "Ferrari hat als einer der wenigen"));
  CHECK(r.article.comments[1].text.starts_with("geh\xC3\xB6rt Ferrari nicht zu Fiat"));
  CHECK(r.article.comments[2].text == "Nicht mehr, das war mal so.");
  CHECK(r.article.comments[3].text == "krass. ging voll an mir vorbei");
  CHECK(r.article.comments[7].text.starts_with("Ne halbe Millione"));
  for (const auto& c : r.article.comments) {
    CHECK(c.id.empty());
    CHECK(c.author.empty());
  }
  // No comment text leaked into the body.
  for (const auto& p : r.article.paragraphs) CHECK(p.find("krass.") == std::string::npos);
  CHECK(dropped_reasons(r) == Reasons{{11, "separator"}});
  CHECK(r.dropped[0].text == "-->");
}

TEST_CASE("seed 002: headline directly followed by the body", "[indexer][txt][seed]") {
  const auto r = parse_seed("002_");
  check_well_formed(r);
  CHECK_FALSE(r.derived_title);
  CHECK(r.article.title == "Ford f\xC3\xBChrte Gespr\xC3\xA4"
                           "che mit Chinas Xiaomi \xC3\xBC"
                           "ber EV-Partnerschaft");
  REQUIRE(r.article.paragraphs.size() == 7);  // lines 2-8; the trailing blank lines add nothing
  CHECK(r.article.paragraphs[0].starts_with("Der amerikanische Automobilkonzern Ford Motor Company"));
  CHECK(r.article.paragraphs[6].starts_with("W\xC3\xA4hrend Ford weiterhin seine EV-Strategie"));
  CHECK(r.article.comments.empty());
  CHECK(r.dropped.empty());
}

TEST_CASE("seed 003: no headline, title derived from the first sentence", "[indexer][txt][seed]") {
  const auto r = parse_seed("003_");
  check_well_formed(r);
  CHECK(r.derived_title);
  // The first sentence is longer than 120 code points: cut at a word boundary, with an ellipsis.
  CHECK(r.article.title ==
        "Laut einem Bericht des Nikkei soll das chinesische Technologieunternehmen Xiaomi ab 2027 seine "
        "Elektrofahrzeuge auch\xE2\x80\xA6");
  // The first line is body text and stays a paragraph.
  REQUIRE(r.article.paragraphs.size() == 5);
  CHECK(r.article.paragraphs[0].starts_with("Laut einem Bericht des Nikkei soll das chinesische"));
  CHECK(r.article.paragraphs[4].starts_with("Auf dem Weg zur weltweiten Expansion"));
  CHECK(r.article.comments.empty());
  CHECK(r.dropped.empty());
}

TEST_CASE("seed 004: derived title past an ordinal and an initial, tags and pingbacks", "[indexer][txt][seed]") {
  const auto r = parse_seed("004_");
  check_well_formed(r);
  CHECK(r.derived_title);
  // The first sentence runs to "in Peking." ("22." is an ordinal and "Y." an initial, not sentence ends) and
  // is cut to 120 code points at a word boundary.
  CHECK(r.article.title ==
        "Am 22. M\xC3\xA4rz 2025 traf sich der Pr\xC3\xA4sident von Samsung Electronics, Jay Y. Lee, mit dem CEO "
        "von Xiaomi, Lei Jun, in der\xE2\x80\xA6");
  // Lines 1, 3-12; the subheadings (3, 5, 7, 9, 11) are paragraphs of their own.
  REQUIRE(r.article.paragraphs.size() == 11);
  CHECK(r.article.paragraphs[0].starts_with("Am 22. M\xC3\xA4rz 2025 traf sich"));
  CHECK(r.article.paragraphs[1] == "Xiaomi im Elektrofahrzeugmarkt");
  CHECK(r.article.paragraphs[7] == "Fazit");
  CHECK(r.article.paragraphs[10].starts_with("Xiaomi und Samsung k\xC3\xB6nnten im Bereich Elektrofahrzeuge"));
  CHECK(r.article.tags == Strings{"Xiaomi", "Samsung", "Elektrofahrzeuge", "SU7", "BYD", "CATL"});
  CHECK(r.article.comments.empty());
  CHECK(dropped_reasons(r) == Reasons{{13, "tags"}, {14, "pingback"}, {15, "pingback"}});
}

TEST_CASE("seed clutter never reaches the searchable text", "[indexer][txt][seed]") {
  for (const char* prefix : {"000_", "001_", "002_", "003_", "004_"}) {
    INFO("seed " << prefix);
    const auto r = parse_seed(prefix);
    const std::string file = test::read_text(test::seed(prefix));
    for (const auto& p : r.article.paragraphs) {
      CHECK(p != "Werbung");
      // Paragraphs are lines of the file (no seed has hard-wrapped lines); the caption lost only its credit.
      CHECK(file.find(p) != std::string::npos);
    }
    for (const auto& s : searchable(r.article)) {
      for (const char* clutter : {"carlos-tavares-leapmotor", "Schreibe einen Kommentar", "E-Mail-Adresse wird nicht",
                                  "Pingback:", "Tags:", "Foto Planet Electric Krabs", "-->"}) {
        INFO("clutter " << clutter);
        CHECK(s.find(clutter) == std::string::npos);
      }
    }
  }
  // The caption next to the slug stays.
  CHECK(
      has_paragraph(parse_seed("000_").article, "Carlos Tavares, Ex-CEO Stellantis, mit Zhu Jiangming, CEO Leapmotor"));
}

TEST_CASE("image file names and slugs are dropped", "[indexer][txt]") {
  const auto r = parse("Titel\n\nfoto-123.jpg\nErster Absatz.\nBILD_2.PNG\nzweiter-teil-slug\nZweiter Absatz.\n"
                       "Know-how-Transfer ist wichtig.\nnicht-ein-slug weil Leerzeichen\n");
  check_well_formed(r);
  CHECK(r.article.title == "Titel");
  CHECK(r.article.paragraphs == Strings{"Erster Absatz.", "Zweiter Absatz.", "Know-how-Transfer ist wichtig.",
                                        "nicht-ein-slug weil Leerzeichen"});
  CHECK(dropped_reasons(r) == Reasons{{3, "image"}, {5, "image"}, {6, "image"}});
  CHECK(r.dropped[0].text == "foto-123.jpg");
}

TEST_CASE("ad labels alone on their line are dropped", "[indexer][txt]") {
  const auto r =
      parse("Titel\nAnzeige\nText eins.\n- Anzeige -\n[Werbung]\nANZEIGE:\nText zwei.\nAnzeigen gibt es viele.\n");
  check_well_formed(r);
  CHECK(r.article.paragraphs == Strings{"Text eins.", "Text zwei.", "Anzeigen gibt es viele."});
  CHECK(dropped_reasons(r) == Reasons{{2, "ad"}, {4, "ad"}, {5, "ad"}, {6, "ad"}});
}

TEST_CASE("photo credit lines are dropped, trailing credits cut from captions", "[indexer][txt]") {
  const auto r = parse("Titel\nFoto: dpa\nDer Text.\n\xC2\xA9 Hersteller\nBildquelle: Xiaomi\n"
                       "Ein Bild mit Fakten. Foto: Reuters\nFotografie ist ein Hobby.\n");
  check_well_formed(r);
  CHECK(r.article.paragraphs == Strings{"Der Text.", "Ein Bild mit Fakten.", "Fotografie ist ein Hobby."});
  CHECK(dropped_reasons(r) == Reasons{{2, "credit"}, {4, "credit"}, {5, "credit"}});
  CHECK(r.dropped[0].text == "Foto: dpa");
}

TEST_CASE("pingbacks and trackbacks are dropped", "[indexer][txt]") {
  const auto r = parse("Titel\nText.\nTrackback: http://example.com/artikel\nPingback: Ein anderes Blog\n");
  check_well_formed(r);
  CHECK(r.article.paragraphs == Strings{"Text."});
  CHECK(dropped_reasons(r) == Reasons{{3, "pingback"}, {4, "pingback"}});
}

TEST_CASE("tag lines give tags", "[indexer][txt]") {
  const auto r = parse("Titel\nText.\nSchlagw\xC3\xB6rter: Eins; Zwei ,  , Drei\n");
  CHECK(r.article.paragraphs == Strings{"Text."});
  CHECK(r.article.tags == Strings{"Eins", "Zwei", "Drei"});
  CHECK(dropped_reasons(r) == Reasons{{3, "tags"}});
}

TEST_CASE("hard-wrapped lines are joined into one paragraph", "[indexer][txt]") {
  const auto r = parse("Titel\n"
                       "Dies ist ein langer Satz, der\n"
                       "sich \xC3\xBC"
                       "ber mehrere Zeilen\n"
                       "\xC3\xBC"
                       "ber zwei Umbr\xC3\xBC"
                       "che zieht.\n"
                       "neuer Absatz, weil der vorige mit Punkt endete.\n"
                       "Gro\xC3\x9F"
                       "geschrieben ist ein neuer Absatz\n"
                       "\n"
                       "nach einer Leerzeile ebenfalls.\n");
  check_well_formed(r);
  CHECK(r.article.paragraphs == Strings{"Dies ist ein langer Satz, der sich \xC3\xBC"
                                        "ber mehrere Zeilen \xC3\xBC"
                                        "ber zwei Umbr\xC3\xBC"
                                        "che zieht.",
                                        "neuer Absatz, weil der vorige mit Punkt endete.",
                                        "Gro\xC3\x9F"
                                        "geschrieben ist ein neuer Absatz",
                                        "nach einer Leerzeile ebenfalls."});
}

TEST_CASE("CRLF line endings", "[indexer][txt]") {
  const auto r = parse("Titel mit CRLF\r\n\r\nErster Absatz.\r\nWerbung\r\nZweiter Absatz mit\r\numbruch.\r\n-->\r\n"
                       "Ein Kommentar.\r\n");
  check_well_formed(r);
  CHECK(r.article.title == "Titel mit CRLF");
  CHECK(r.article.paragraphs == Strings{"Erster Absatz.", "Zweiter Absatz mit umbruch."});
  REQUIRE(r.article.comments.size() == 1);
  CHECK(r.article.comments[0].text == "Ein Kommentar.");
  CHECK(dropped_reasons(r) == Reasons{{4, "ad"}, {7, "separator"}});
}

TEST_CASE("the space behind a no-break space at a line's start is trimmed too (found by the fuzzer)",
          "[indexer][txt]") {
  // A long first line (body text, not a headline) opening with U+00A0 and a space, with bytes to repair.
  std::string raw =
      "\xC2"
      "\xA0"
      " AbSpekulationen \xBC"
      "\xFF"
      "\x15"
      " eine m\xB6"
      "liche Zusammenarbeit zwischen den beiden Unternehmen im wacheednn sSektor der Elektrofahrzeuge (EV) angesto\x9F"
      "n. Es war die erste offizir \x9E"
      "verkaufphrasete das Unternen Kompo[enten, in denen Samsung mit seinen Tochtergesellschafteomment\x09"
      "are, keinrA t+ikeln wie Samsu";
  std::vector<Problem> problems;
  REQUIRE(prepare_txt(raw, "/tmp/synthetic.txt", problems));
  const auto r = parse(raw);
  check_well_formed(r);
  REQUIRE(!r.article.paragraphs.empty());
  CHECK(r.article.paragraphs.front().rfind("AbSpekulationen", 0) == 0);
}

TEST_CASE("comment separators and the comment form among comments", "[indexer][txt]") {
  const auto r = parse("Titel\nText.\n12 Kommentare\nErster Kommentar.\n\nzweiter kommentar\nAntworten\n"
                       "Schreibe einen Kommentar\n");
  check_well_formed(r);
  CHECK(r.article.paragraphs == Strings{"Text."});
  REQUIRE(r.article.comments.size() == 2);
  CHECK(r.article.comments[0].text == "Erster Kommentar.");
  CHECK(r.article.comments[1].text == "zweiter kommentar");
  CHECK(dropped_reasons(r) == Reasons{{3, "separator"}, {7, "comment form"}, {8, "comment form"}});
}

TEST_CASE("empty input and degenerate files", "[indexer][txt]") {
  SECTION("empty") {
    const auto r = parse("");
    CHECK(r.article.title.empty());
    CHECK(r.article.paragraphs.empty());
    CHECK(r.article.comments.empty());
    CHECK(r.dropped.empty());
    CHECK_FALSE(r.derived_title);
    CHECK(r.article.id == "synthetic");
  }
  SECTION("blank lines only") {
    const auto r = parse("\n\n  \n\t\n");
    CHECK(r.article.title.empty());
    CHECK(r.article.paragraphs.empty());
  }
  SECTION("only a title, without and with a final newline") {
    for (const std::string text : {"Nur ein Titel", "Nur ein Titel\n", "\xEF\xBB\xBFNur ein Titel\r\n\r\n"}) {
      const auto r = parse(text);
      CHECK(r.article.title == "Nur ein Titel");
      CHECK_FALSE(r.derived_title);
      CHECK(r.article.paragraphs.empty());
      CHECK(r.article.comments.empty());
    }
  }
  SECTION("a single body sentence: derived title, one paragraph") {
    const auto r = parse("Erster Satz hier. Zweiter Satz dort.");
    CHECK(r.derived_title);
    CHECK(r.article.title == "Erster Satz hier.");
    CHECK(r.article.paragraphs == Strings{"Erster Satz hier. Zweiter Satz dort."});
  }
  SECTION("clutter only") {
    const auto r = parse("Werbung\nfoto.jpg\n");
    CHECK(r.article.title.empty());
    CHECK(r.article.paragraphs.empty());
    CHECK(r.dropped.size() == 2);
  }
}

}  // namespace fundstelle::indexer
