// Query understanding, as a reader meets it: what the searcher made of the words typed, asserted together
// with the rewrite it reports (expansions, corrections). On the demo corpus and on small fixtures.
// (Spelling by word length and names: test_end_to_end.cpp, "[spelling]".)
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "e2e/fixtures.h"
#include "fundstelle/fundstelle.h"
#include "test_support.h"

using namespace fundstelle;
using fundstelle::test::CorpusIndex;
using fundstelle::test::index_article;
using fundstelle::test::TempDir;

namespace {

// What was reported as searched for `word` besides (the words joined by a space, for a joined compound), of
// one kind; empty if nothing.
std::vector<std::string> expansion_of(const SearchResults& r, const std::string& word, ExpansionKind kind) {
  for (const auto& e : r.expansions)
    if (e.word == word && e.kind == kind) return e.synonyms;
  return {};
}

std::vector<std::string> highlighted(const Hit& h) {
  std::vector<std::string> out;
  for (const auto& s : h.highlights) out.push_back(test::slice_code_points(h.text, s.begin, s.end));
  return out;
}

// That `r` searched a correction of one word: `word` as typed became `corrected`.
void check_one_correction(const SearchResults& r, const std::string& word, const std::string& corrected) {
  CHECK(r.corrected);
  REQUIRE(r.corrections.size() == 1);
  CHECK(r.corrections[0].word == word);
  CHECK(r.corrections[0].corrected == corrected);
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

TEST_CASE("two words typed apart find the compound the index holds, and say so", "[e2e][understanding][german]") {
  CorpusIndex demo;
  // The demo corpus writes Entwicklungszentrum (with the linking s) and Anteilseigner once each.
  for (const auto& [query, compound, article] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"Entwicklung Zentrum", "Entwicklungszentrum", "003_"}, {"Anteil Eigner", "Anteilseigner", "000_"}}) {
    INFO(query);
    const auto r = demo.search(query);
    CHECK(expansion_of(r, query, ExpansionKind::Joined) == std::vector<std::string>{compound});
    REQUIRE_FALSE(r.hits.empty());
    CHECK(r.hits.front().article.starts_with(article));
    CHECK(r.hits.front().text.find(compound) != std::string::npos);
    CHECK(contains(highlighted(r.hits.front()), compound));
    // --exact turns the rewrite off: no joined word, no report.
    SearchOptions exact;
    exact.exact = true;
    CHECK(expansion_of(demo.search(query, exact), query, ExpansionKind::Joined).empty());
  }
}

TEST_CASE("a compound misspelt in both parts is corrected by its parts, and says so",
          "[e2e][understanding][spelling]") {
  CorpusIndex demo;
  const auto r = demo.search("Entwiklungzentrm München");
  check_one_correction(r, "Entwiklungzentrm", "Entwicklungszentrum");
  CHECK(r.suggestion == "Entwicklungszentrum München");
  CHECK(std::any_of(r.hits.begin(), r.hits.end(),
                    [](const Hit& h) { return h.text.find("Entwicklungszentrum") != std::string::npos; }));
}

TEST_CASE("a compound's parts searched near each other are reported", "[e2e][understanding][german]") {
  CorpusIndex demo;
  const auto r = demo.search("Entwicklungszentrum München");
  CHECK(expansion_of(r, "Entwicklungszentrum", ExpansionKind::Parts) ==
        std::vector<std::string>{"Entwicklung", "Zentrum"});
  CHECK(expansion_of(r, "München", ExpansionKind::Parts).empty());  // no compound
  SearchOptions exact;
  exact.exact = true;
  CHECK(demo.search("Entwicklungszentrum München", exact).expansions.empty());
}

TEST_CASE("words are joined only into a compound the index holds", "[e2e][understanding][german]") {
  TempDir dir;
  Searcher s(index_article(dir, {"Im neuen Ladepark stehen zwanzig Säulen.", "Der Park liegt am Rand der Stadt."}));
  const auto joined = s.search("Lade Park");  // lade + park = ladepark, which the index holds
  CHECK(expansion_of(joined, "Lade Park", ExpansionKind::Joined) == std::vector<std::string>{"Ladepark"});
  REQUIRE_FALSE(joined.hits.empty());
  CHECK(joined.hits.front().text.starts_with("Im neuen Ladepark"));
  const auto apart = s.search("Stadt Park");  // stadtpark is no word of the index: nothing joined
  CHECK(apart.expansions.empty());
  const auto phrase = s.search("\"Lade Park\"");  // words under a phrase are searched as written
  CHECK(phrase.expansions.empty());
  CHECK(phrase.hits.empty());
}

TEST_CASE("a capitalised word is corrected only into a noun or a name the index writes capitalised",
          "[e2e][understanding][spelling]") {
  TempDir dir;
  Searcher s(index_article(dir, {"Die Leute merken sich das.", "Merken will gelernt sein.",
                                 "Der Minister Kessler sprach in Berlin.", "Das Schwein steht im Stall.",
                                 "Er nannte „Diese Zeit“ sein bestes Lied."}));
  // Merkel (a name the index does not hold) is one edit from merken, which the index writes only as a verb
  // (capitalised only where a sentence begins): no correction, no passages.
  const auto name = s.search("Merkel");
  CHECK_FALSE(name.corrected);
  CHECK(name.suggestion.empty());
  CHECK(name.hits.empty());
  // Typed in lower case a word may be a verb's typo, and the verb is a fair correction.
  const auto word = s.search("mirken");
  CHECK(word.corrected);
  CHECK(word.suggestion == "merken");
  CHECK(s.search("Mirken").suggestion.empty());
  // A word that Debian's German word lists hold is no typo, whatever the index holds one edit away.
  for (const char* listed : {"merkel", "Schwerin"}) {
    INFO(listed);
    const auto r = s.search(listed);
    CHECK_FALSE(r.corrected);
    CHECK(r.suggestion.empty());
    CHECK(r.unknown == std::vector<std::string>{listed});
  }
  // Nor into a stopword, though the index writes it capitalised inside a sentence (a title in quotes): a
  // name is no typo of a pronoun.
  const auto pronoun = s.search("Diess");
  CHECK_FALSE(pronoun.corrected);
  CHECK(pronoun.suggestion.empty());
  // A misspelt name becomes the name the index holds.
  const auto misspelt = s.search("Kesler");
  check_one_correction(misspelt, "Kesler", "Kessler");
  CHECK(misspelt.suggestion == "Kessler");
  REQUIRE_FALSE(misspelt.hits.empty());
}

TEST_CASE("a compound with another linking element or the other number of its head finds the index's",
          "[e2e][understanding][german]") {
  CorpusIndex demo;
  // The demo corpus writes Entwicklungszentrum; Zentren is no ending added to Zentrum, so the stems differ.
  for (const std::string query : {"Entwicklungszentren", "Entwicklungzentrum"}) {
    INFO(query);
    const auto r = demo.search(query);
    CHECK(expansion_of(r, query, ExpansionKind::Respelled) == std::vector<std::string>{"Entwicklungszentrum"});
    CHECK_FALSE(r.corrected);  // not a typo: the word is understood
    REQUIRE_FALSE(r.hits.empty());
    CHECK(r.hits.front().article.starts_with("003_"));
    CHECK(contains(highlighted(r.hits.front()), "Entwicklungszentrum"));
    SearchOptions exact;
    exact.exact = true;
    CHECK(demo.search(query, exact).expansions.empty());
  }
  // The other way round, and for another irregular head (Firma, Firmen).
  TempDir dir;
  Searcher s(index_article(dir, {"Zwei Autofirmen planen ein Werk.", "Die Entwicklungszentren liegen in Bayern."}));
  for (const auto& [query, variant] : std::vector<std::pair<std::string, std::string>>{
           {"Autofirma", "Autofirmen"}, {"Entwicklungszentrum", "Entwicklungszentren"}}) {
    INFO(query);
    const auto r = s.search(query);
    CHECK(expansion_of(r, query, ExpansionKind::Respelled) == std::vector<std::string>{variant});
    REQUIRE(r.hits.size() == 1);
    CHECK(contains(highlighted(r.hits.front()), variant));
  }
}

TEST_CASE("a noun the index holds only in its other number is found there, and that is said",
          "[e2e][understanding][german]") {
  // The demo corpus writes Zentrum only inside Entwicklungszentrum; Zentren and Zentrum have other stems.
  CorpusIndex demo;
  const auto centres = demo.search("Zentren");
  CHECK(expansion_of(centres, "Zentren", ExpansionKind::Respelled) == std::vector<std::string>{"Zentrum"});
  CHECK_FALSE(centres.corrected);
  REQUIRE_FALSE(centres.hits.empty());
  CHECK(centres.hits.front().article.starts_with("003_"));
  CHECK(contains(highlighted(centres.hits.front()), "Entwicklungszentrum"));
  SearchOptions exact;
  exact.exact = true;
  CHECK(demo.search("Zentren", exact).hits.empty());
  TempDir dir;
  Searcher s(index_article(dir, {"Die Firma baut ein Werk.", "Viele Firmen bauen Werke.", "Die Daten liegen vor.",
                                 "Das Datum steht fest."}));
  const auto firm = s.search("Firma");  // both numbers held: each finds its own, nothing respelled
  CHECK(expansion_of(firm, "Firma", ExpansionKind::Respelled).empty());
  REQUIRE(firm.hits.size() == 1);
  CHECK(contains(highlighted(firm.hits.front()), "Firma"));
  // Daten (data) is no Datum (date): a word the index holds as typed is not searched in its other number.
  const auto data = s.search("Daten");
  CHECK(expansion_of(data, "Daten", ExpansionKind::Respelled).empty());
  REQUIRE(data.hits.size() == 1);
  CHECK(contains(highlighted(data.hits.front()), "Daten"));
}

TEST_CASE("highlights mark words that carry a query word, not compounds sharing a generic part",
          "[e2e][understanding][german]") {
  TempDir dir;
  Searcher s(index_article(dir, {"Die Stadtwerke bauen ein Wasserstoffkraftwerk am Hafen.",
                                 "Ein Zentrum f\xC3\xBCr Forschung entsteht im Entwicklungszentrum."}));
  const auto plant = s.search("Wasserstoffkraftwerk");
  REQUIRE_FALSE(plant.hits.empty());
  CHECK(highlighted(plant.hits.front()) == std::vector<std::string>{"Wasserstoffkraftwerk"});
  // A word typed is marked where a passage compound holds it.
  const auto centre = s.search("Zentrum");
  REQUIRE_FALSE(centre.hits.empty());
  CHECK(highlighted(centre.hits.front()) == std::vector<std::string>{"Zentrum", "Entwicklungszentrum"});
}

TEST_CASE("a word joined to another by a full stop is found on its own and whole", "[e2e][understanding][german]") {
  TempDir dir;
  Searcher s(index_article(dir, {"Mit doc = ui.GetDocument() holen Sie das Dokument.",
                                 "Die Meldung stand zuerst auf heise.de und dann im Newsticker."}));
  for (const auto& [query, marked] :
       std::vector<std::pair<std::string, std::string>>{{"GetDocument", "GetDocument"},
                                                        {"ui.GetDocument", "ui.GetDocument"},
                                                        {"heise", "heise"},
                                                        {"heise.de", "heise.de"}}) {
    INFO(query);
    const auto r = s.search(query);
    REQUIRE(r.hits.size() == 1);
    CHECK(highlighted(r.hits.front()) == std::vector<std::string>{marked});
  }
  // The parts in a row: other words joined by full stops are not the chain.
  CHECK(s.search("de.heise").hits.empty());
  // A prefix typed with the chain's full stop or hyphen reaches its joined whole.
  CHECK(s.search("ui.Get*").hits.size() == 1);
  CHECK(s.search("heise.d*").hits.size() == 1);
}

TEST_CASE("a typo inside a hyphen or full-stop chain is corrected part by part, and says so",
          "[e2e][understanding][spelling]") {
  TempDir dir;
  Searcher s(index_article(dir, {"Mit doc = ui.GetDocument() holen Sie das Dokument.",
                                 "Die EV-Partnerschaft mit Xiaomi begann 2024.", "Ein Partner fehlte.",
                                 "Das 3.Kapitel endet hier."}));
  // The chain is unknown though one of its parts is held (ui, EV); the misspelt part is corrected, the other
  // left as typed, each written the way it was typed.
  for (const auto& [query, corrected] : std::vector<std::pair<std::string, std::string>>{
           {"ui.GetDocumnt", "ui.GetDocument"}, {"EV-Partnerschft", "EV-Partnerschaft"}}) {
    INFO(query);
    const auto r = s.search(query);
    check_one_correction(r, query, corrected);
    CHECK(r.suggestion == corrected);
    CHECK(r.unknown.empty());
    REQUIRE(r.hits.size() == 1);
    CHECK(highlighted(r.hits.front()) == std::vector<std::string>{corrected});
    // As typed, with --exact: nothing found, and the chain reported as unknown to the index.
    SearchOptions exact;
    exact.exact = true;
    const auto as_typed = s.search(query, exact);
    CHECK(as_typed.hits.empty());
    CHECK(as_typed.unknown == std::vector<std::string>{query});
  }
  // Words typed without a space (a number, then a word) likewise.
  const auto chapter = s.search("3.kapitl");
  check_one_correction(chapter, "3.kapitl", "3.kapitel");
  CHECK(chapter.hits.size() == 1);
  // A chain whose parts the index holds, though not in a row, is no typo.
  const auto parts = s.search("Partner-EV");
  CHECK_FALSE(parts.corrected);
  CHECK(parts.suggestion.empty());
  CHECK(parts.unknown.empty());
}

TEST_CASE("a wildcard typed with a hyphen finds the hyphen chains that begin so", "[e2e][understanding][german]") {
  TempDir dir;
  Searcher s(index_article(dir, {"Die EV-Partnerschaft mit Xiaomi begann 2024.", "Ein Partner fehlte."}));
  const auto r = s.search("EV-Partner*");
  REQUIRE(r.hits.size() == 1);
  CHECK(highlighted(r.hits.front()) == std::vector<std::string>{"EV-Partnerschaft"});
}

TEST_CASE("a word the index holds nowhere is reported wherever it was typed, and corrected only where free",
          "[e2e][understanding][spelling]") {
  CorpusIndex demo;
  // In quotes, after title: and as word*: nothing matches it, and the other words' passages must not hide that.
  for (const auto& [query, reported] : std::vector<std::pair<std::string, std::string>>{
           {"Xiaomi \"Qwrtzuiop\"", "Qwrtzuiop"},
           {"Xiaomi \"Qwrtzuiop Entwicklungszentrum\"", "Qwrtzuiop"},
           {"Xiaomi title:Qwrtzuiop", "Qwrtzuiop"},
           {"Xiaomi Qwrtz*", "Qwrtz*"},
           {"Xiaomi " + std::string(201, 'x'), std::string(201, 'x')}}) {  // (longer than the index keeps a word)
    INFO(query);
    const auto r = demo.search(query);
    CHECK(r.unknown == std::vector<std::string>{reported});
    CHECK_FALSE(r.hits.empty());  // (Xiaomi's)
    CHECK_FALSE(r.corrected);
  }
  // A quoted word is asked for as written: a correction is suggested, not made.
  const auto quoted = demo.search("\"Entwiklungszentrum\"");
  CHECK_FALSE(quoted.corrected);
  CHECK(quoted.hits.empty());
  CHECK(quoted.suggestion == "\"Entwicklungszentrum\"");
  CHECK(quoted.unknown == std::vector<std::string>{"Entwiklungszentrum"});
  // An excluded word the index does not hold excludes nothing: said, and a correction only suggested
  // (corrected, it would take away passages nobody asked to lose).
  for (const std::string query : {"Xiaomi -Entwiklungszentrum", "Xiaomi NOT Entwiklungszentrum"}) {
    INFO(query);
    const auto r = demo.search(query);
    CHECK_FALSE(r.corrected);
    CHECK(r.unknown == std::vector<std::string>{"Entwiklungszentrum"});
    CHECK(r.suggestion.find("Entwicklungszentrum") != std::string::npos);
    CHECK(r.hits.size() == demo.search("Xiaomi").hits.size());
  }
  // A free misspelt word beside a quoted one is still corrected, in its place.
  const auto mixed = demo.search("\"Xiaomi\" Entwiklungszentrum");
  check_one_correction(mixed, "Entwiklungszentrum", "Entwicklungszentrum");
  CHECK(mixed.suggestion == "\"Xiaomi\" Entwicklungszentrum");
}

TEST_CASE("a soft hyphen typed inside a word leaves it one word, as in the indexed text",
          "[e2e][understanding][german]") {
  CorpusIndex demo;
  // U+00AD, as copied from a news page that breaks long words with &shy;.
  const auto r = demo.search("Entwicklungs\xC2\xADzentrum", [] {
    SearchOptions o;
    o.exact = true;
    return o;
  }());
  CHECK(r.unknown.empty());
  REQUIRE_FALSE(r.hits.empty());
  CHECK(r.hits.front().text.find("Entwicklungszentrum") != std::string::npos);
}

TEST_CASE("a page past the end of a corrected query's passages still reports the correction",
          "[e2e][understanding][spelling]") {
  CorpusIndex demo;
  const auto first = demo.search("Entwiklungszentrum");
  REQUIRE(first.corrected);
  SearchOptions far;
  far.offset = 500;
  const auto past = demo.search("Entwiklungszentrum", far);
  CHECK(past.hits.empty());
  CHECK(past.corrected);
  CHECK(past.suggestion == first.suggestion);
  CHECK(past.total_estimate == first.total_estimate);
}

TEST_CASE("a capitalised word is not corrected into a word the index capitalises only now and then",
          "[e2e][understanding][spelling]") {
  TempDir dir;
  const std::string db = (dir / "index").string();
  {
    Indexer indexer(db);
    // löschen, a verb: one passage writes it capitalised inside a sentence (a menu label run into its text),
    // three in lower case. Tabelle, a noun: capitalised wherever it stands, though two sentences begin with it.
    const std::vector<std::string> texts = {"Im Menü Datei Löschen wählen.", "Sie können die Zeile löschen.",
                                            "Dann löschen Sie die Spalte.",  "Wir löschen alles.",
                                            "Die Tabelle ist leer.",         "Tabelle und Zeile sind neu.",
                                            "Tabelle bleibt Tabelle."};
    for (std::size_t i = 0; i < texts.size(); ++i) {
      Article a;
      a.id = "a" + std::to_string(i);
      a.paragraphs = {texts[i]};
      indexer.put(a);
    }
    indexer.commit();
  }
  Searcher s(db);
  const auto verb = s.search("Löchen");
  CHECK_FALSE(verb.corrected);
  CHECK(verb.suggestion.empty());
  CHECK(verb.hits.empty());
  // Typed in lower case it is a fair typo of the verb.
  CHECK(s.search("löchen").suggestion == "löschen");
  const auto noun = s.search("Tebelle");
  CHECK(noun.corrected);
  CHECK(noun.suggestion == "Tabelle");
}

TEST_CASE("spelling correction is bounded: at most eight words, none of more than 48 letters",
          "[e2e][understanding][spelling]") {
  TempDir dir;
  // (53 letters: a compound as long as German makes them, and longer than a correction is tried for.)
  Searcher s(index_article(dir, {"Die Ferrari-Fahrer fahren schnell.",
                                 "Der Donaudampfschifffahrtsgesellschaftskapitänsmützenband liegt hier."}));
  // Nine misspelt words: eight are corrected, the ninth stays as typed and is reported.
  const auto nine = s.search("Ferari Ferari Ferari Ferari Ferari Ferari Ferari Ferari Ferari");
  CHECK(nine.corrected);
  CHECK(nine.corrections.size() == 8);
  CHECK(nine.unknown == std::vector<std::string>{"Ferari"});
  CHECK(s.search("Ferari Ferari").corrections.size() == 2);
  // A word of 53 letters with one typo: not corrected (within 48 letters it would be), but reported.
  const auto long_word = s.search("Donaudampfschifffahrtsgesellschaftskapitänsmützenbamd");
  CHECK_FALSE(long_word.corrected);
  CHECK(long_word.suggestion.empty());
  CHECK(long_word.unknown == std::vector<std::string>{"Donaudampfschifffahrtsgesellschaftskapitänsmützenbamd"});
}

TEST_CASE("a typo in a word typed without its umlauts is corrected to the word with them",
          "[e2e][understanding][spelling]") {
  CorpusIndex demo;
  // Muenchn: ue for ü is two edits from München, and the missing e a third; read as Münchn it is one.
  const auto r = demo.search("Entwicklungszentrum Muenchn");
  check_one_correction(r, "Muenchn", "München");
  CHECK(r.suggestion == "Entwicklungszentrum München");
  CHECK(std::any_of(r.hits.begin(), r.hits.end(),
                    [](const Hit& h) { return h.text.find("München") != std::string::npos; }));
  // Spelled out, it was never a typo: found as typed (german2 folds ue), nothing corrected.
  CHECK_FALSE(demo.search("Muenchen").corrected);
}
