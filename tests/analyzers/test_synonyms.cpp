#include <catch2/catch.hpp>

#include "analyzers/synonyms.h"

namespace fundstelle::analyzers {

using Words = std::vector<std::string>;

TEST_CASE("domain synonym groups expand every member to the others", "[analyzers][synonyms]") {
  const Synonyms s("# comment\nE-Auto, Elektroauto, Elektrofahrzeug\nBeteiligung, Anteil\n\n", "");
  CHECK(s.lookup("elektroauto", SynonymSource::Domain) == Words{"E-Auto", "Elektrofahrzeug"});
  CHECK(s.lookup("eauto", SynonymSource::Domain) == Words{"Elektroauto", "Elektrofahrzeug"});    // hyphen-free key
  CHECK(s.lookup("elektroautos", SynonymSource::Domain) == Words{"E-Auto", "Elektrofahrzeug"});  // inflected
  CHECK(s.lookup("anteil", SynonymSource::Domain) == Words{"Beteiligung"});
  CHECK(s.lookup("zeppelin", SynonymSource::Domain).empty());
  CHECK(s.lookup("elektroauto", SynonymSource::None).empty());
}

TEST_CASE("the thesaurus adds to the domain file only when asked", "[analyzers][synonyms]") {
  const Synonyms s("Export, Ausfuhr\n", "ausfuhr\tExport|Auslandsverkauf\nzoll\tAbgabe\n");
  CHECK(s.lookup("ausfuhr", SynonymSource::Domain) == Words{"Export"});
  CHECK(s.lookup("ausfuhr", SynonymSource::All) == Words{"Export", "Auslandsverkauf"});  // no duplicates
  CHECK(s.lookup("zoll", SynonymSource::All) == Words{"Abgabe"});
  CHECK(s.lookup("zolls", SynonymSource::All) == Words{"Abgabe"});
}

TEST_CASE("the shipped sources", "[analyzers][synonyms]") {
  const auto& s = Synonyms::german();
  const auto beteiligung = s.lookup("beteiligung", SynonymSource::Domain);
  CHECK(std::find(beteiligung.begin(), beteiligung.end(), "Anteilseigner") != beteiligung.end());
  // OpenThesaurus: single-meaning words only (Gewinn has several meanings and is left to the domain file).
  const auto autohersteller = s.lookup("autohersteller", SynonymSource::All);
  CHECK(std::find(autohersteller.begin(), autohersteller.end(), "Autobauer") != autohersteller.end());
  CHECK(s.lookup("ausfuhr", SynonymSource::All) == Words{"Export"});
}

}  // namespace fundstelle::analyzers
