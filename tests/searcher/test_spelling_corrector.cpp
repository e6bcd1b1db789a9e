#include <catch2/catch.hpp>

#include <xapian.h>

#include "analyzers/german_analyzer.h"
#include "analyzers/normalize.h"
#include "searcher/query_parser.h"
#include "searcher/spelling_corrector.h"
#include "test_support.h"

namespace fundstelle::searcher {
namespace {

// A tiny index: each text one document, its words in the spelling table and those written capitalised inside a
// sentence marked, as the indexer does it.
Xapian::WritableDatabase tiny_index(const std::string& path, analyzers::GermanAnalyzer& a,
                                    const std::vector<std::string>& texts) {
  Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE);
  for (const auto& text : texts) {
    Xapian::Document doc;
    for (const auto& t : a.analyze(text)) {
      doc.add_term(t.term);
      if (t.capitalised) doc.add_term("N" + t.form);
      if (t.role == analyzers::TokenRole::Word) db.add_spelling(t.form);
    }
    db.add_document(doc);
  }
  db.commit();
  return db;
}

}  // namespace

TEST_CASE("edit distance counts characters, not bytes, and stops at its limit", "[searcher][spelling]") {
  using analyzers::edit_distance;
  CHECK(edit_distance("entwiklungszentrum", "entwicklungszentrum", 2) == 1);
  CHECK(edit_distance("münchen", "munchen", 2) == 1);  // one character, two bytes
  CHECK(edit_distance("leapmotor", "lepamotor", 2) == 2);
  CHECK(edit_distance("abc", "xyzuvw", 2) == 3);  // beyond the limit: limit + 1
  CHECK(edit_distance("", "ab", 2) == 2);
  CHECK(analyzers::capitalize_like("Muenchen", "münchen") == "München");
  CHECK(analyzers::capitalize_like("übung", "ärger") == "ärger");
  CHECK(analyzers::capitalize_like("Übung", "ärger") == "Ärger");
  // Capitals inside the word where both begin alike, and a word typed in capitals wholly.
  CHECK(analyzers::capitalize_like("GetDocumnt", "getdocument") == "GetDocument");
  CHECK(analyzers::capitalize_like("MÜNCHN", "münchen") == "MÜNCHEN");
  CHECK(analyzers::capitalize_like("Nünchen", "münchen") == "München");
  CHECK(analyzers::capitalize_like("EV", "ev") == "EV");
  CHECK(analyzers::capitalize_like("E", "ev") == "Ev");
}

TEST_CASE("unknown words are corrected from the index's own words", "[searcher][spelling]") {
  test::TempDir dir;
  analyzers::GermanAnalyzer a;
  const auto db = tiny_index((dir / "db").string(), a,
                             {"Das Entwicklungszentrum in München", "Ein Entwicklungszentrum in Berlin",
                              "Die Entwicklungszentren wachsen", "Der Hersteller Leapmotor baut Autos"});
  SpellingCorrector s(db, a);
  QueryParser parser(a);
  CHECK(s.suggest("entwiklungszentrum") == "entwicklungszentrum");
  CHECK(s.suggest("leapmotr") == "leapmotor");
  CHECK(s.suggest("quarkgluonplasma").empty());  // nothing within two edits
  // Only unknown words are replaced, in place, written like the original.
  const std::string q = "Entwiklungszentrum München";
  CHECK(s.correct(q, parser.parse(q)) == "Entwicklungszentrum München");
  const std::string both = "Lepamotor Entwiklungszentrum";
  CHECK(s.correct(both, parser.parse(both)) == "Leapmotor Entwicklungszentrum");
  const std::string fine = "Leapmotor München";
  CHECK(s.correct(fine, parser.parse(fine)).empty());
}

TEST_CASE("a compound misspelt beyond its budget is corrected by its parts", "[searcher][spelling]") {
  test::TempDir dir;
  analyzers::GermanAnalyzer a;
  const auto db = tiny_index((dir / "db").string(), a, {"Das Entwicklungszentrum in München"});
  SpellingCorrector s(db, a);
  // Three edits from entwicklungszentrum (c, s and u missing): entwiklung and zentrm are one each from listed
  // words, joined with the linking s into the compound the index holds.
  CHECK(analyzers::edit_distance("entwiklungzentrm", "entwicklungszentrum", 3) == 3);
  CHECK(s.suggest("entwiklungzentrm") == "entwicklungszentrum");
  CHECK(s.suggest("entwiklungzentrm", true) == "entwicklungszentrum");  // written capitalised in the index
  CHECK(s.suggest("forschungszentrm").empty());                         // a compound the index does not hold
  CHECK(s.suggest("entwiklungxyzqw").empty());                          // a half that is no word
}

TEST_CASE("the edit budget grows with the word's length", "[searcher][spelling]") {
  CHECK(SpellingCorrector::edit_budget("merz") == 0);
  CHECK(SpellingCorrector::edit_budget("m\xC3\xA4rz") == 0);  // four letters, five bytes
  CHECK(SpellingCorrector::edit_budget("habeck") == 1);
  CHECK(SpellingCorrector::edit_budget("leapmotr") == 1);
  CHECK(SpellingCorrector::edit_budget("lepamotor") == 2);
  test::TempDir dir;
  analyzers::GermanAnalyzer a;
  const auto db = tiny_index((dir / "db").string(), a, {"Sie haben im März schon geliefert", "Leapmotor baut Autos"});
  SpellingCorrector s(db, a);
  CHECK(s.suggest("merz").empty());    // März is one edit away, but four letters take none
  CHECK(s.suggest("habeck").empty());  // haben is two edits away, six letters take one
  CHECK(s.suggest("scholz").empty());  // schon: two edits
  CHECK(s.suggest("leapmotr") == "leapmotor");
  CHECK(s.suggest("lepamotor") == "leapmotor");  // two edits (a swap) at nine letters
}

TEST_CASE("a capitalised word is corrected without asking only into a word frequent enough", "[searcher][spelling]") {
  test::TempDir dir;
  analyzers::GermanAnalyzer a;
  auto db = tiny_index((dir / "db").string(), a, {"Der Minister Kessler sprach."});
  SpellingCorrector s(db, a);
  CHECK(s.sure("kessler", true));  // one passage in one: frequent
  // In an index of 5,001 passages (2e-4 of them: 1.0002, so two), one passage is too few for a capitalised
  // word: Kesler may be a name of its own.
  Xapian::Document filler;
  filler.add_term("x");
  for (int i = 0; i < 5000; ++i) db.add_document(filler);
  db.commit();
  SpellingCorrector larger(db, a);
  CHECK(larger.suggest("kesler", true) == "kessler");  // still suggested
  CHECK_FALSE(larger.sure("kessler", true));
  CHECK(larger.sure("kessler", false));  // typed in lower case: an ordinary typo
  Xapian::Document second;
  second.add_term("Nkessler");
  db.add_document(second);
  db.commit();
  CHECK(SpellingCorrector(db, a).sure("kessler", true));
}

TEST_CASE("multi-word synonyms are searched as phrases", "[searcher][query][synonyms]") {
  analyzers::GermanAnalyzer a;
  QueryParser parser(a);
  const auto p = parser.parse("KI");  // domain file: Künstliche Intelligenz, KI
  REQUIRE(p.expansions.size() == 1);
  CHECK(std::find(p.expansions[0].synonyms.begin(), p.expansions[0].synonyms.end(), "Künstliche Intelligenz") !=
        p.expansions[0].synonyms.end());
  CHECK(p.query.get_description().find("PHRASE 2") != std::string::npos);
  ParseOptions none;
  none.synonyms = analyzers::SynonymSource::None;
  CHECK(parser.parse("KI", none).expansions.empty());
}

}  // namespace fundstelle::searcher
