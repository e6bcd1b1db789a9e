// The compound splitter: its rules on a small dictionary, and its accuracy on the shipped test list of news
// compounds (tests/data/compounds_de.tsv) with the dictionary compiled into the program.
#include <catch2/catch.hpp>

#include <xapian.h>

#include <fstream>
#include <sstream>

#include "analyzers/compound_splitter.h"
#include "analyzers/normalize.h"
#include "test_support.h"

namespace fundstelle::analyzers {
namespace {

using Parts = std::vector<std::string>;

// form \t kind \t count \t stem, sorted by bytes (as make_compound_dict writes it).
const char* kTiny = "arbeit\tn\t400\t0\n"
                    "auto\tn\t150\t0\n"
                    "bund\tn\t200\t0\n"
                    "elektro\tc\t50\t0\n"
                    "entwicklung\tn\t150\t0\n"
                    "gesellschaft\tn\t300\t1\n"
                    "herz\tn\t80\t0\n"
                    "kind\tn\t120\t0\n"
                    "land\tn\t400\t0\n"
                    "nehmen\tn\t16\t0\n"
                    "preis\tn\t90\t0\n"
                    "preise\tw\t1\t0\n"
                    "regierung\tn\t70\t0\n"
                    "schaft\tn\t20\t0\n"
                    "strom\tn\t100\t0\n"
                    "unter\tw\t350\t0\n"
                    "unternehmen\tn\t66\t1\n"
                    "zentrum\tn\t40\t0\n";

}  // namespace

TEST_CASE("compounds split at German linking elements into listed parts", "[analyzers][compounds]") {
  const CompoundSplitter s(kTiny);
  CHECK(s.split("entwicklungszentrum") == Parts{"entwicklung", "zentrum"});  // -s-
  CHECK(s.split("bundesregierung") == Parts{"bund", "regierung"});           // -es-
  CHECK(s.split("kinderarbeit") == Parts{"kind", "arbeit"});                 // -er-
  CHECK(s.split("elektroauto") == Parts{"elektro", "auto"});                 // a combining form
  CHECK(s.split("strompreise") == Parts{"strom", "preise"});                 // a plural head of a listed noun
  CHECK(s.split("elektroautoentwicklung") == Parts{"elektro", "auto", "entwicklung"});
}

TEST_CASE("words that are no compounds stay whole", "[analyzers][compounds]") {
  const CompoundSplitter s(kTiny);
  CHECK(s.split("unternehmen").empty());     // a hunspell stem (lexical unit)
  CHECK(s.split("gesellschaften").empty());  // the plural of one
  CHECK(s.split("landschaft").empty());      // -schaft is a suffix, not a head
  CHECK(s.split("leapmotor").empty());       // unknown parts
  CHECK(s.split("autox").empty());           // a leftover fragment
  CHECK(s.split("autobund").size() == 2);
  CHECK(s.split("herzauto").size() == 2);
  CHECK(s.split("aut").empty());  // too short
  CHECK(s.split("").empty());
}

TEST_CASE("the embedded dictionary is the one made from the Debian word lists", "[analyzers][compounds]") {
  const auto& s = CompoundSplitter::german();
  CHECK(s.size() > 300000);
  CHECK(s.fingerprint().starts_with("compounds="));
  CHECK(s.split("entwicklungszentrum") == Parts{"entwicklung", "zentrum"});
  CHECK(s.split("anteilseigner") == Parts{"anteil", "eigner"});
  for (const char* whole : {"leapmotor", "beteiligung", "erwartungen", "vorjahr", "unternehmen"}) {
    INFO(whole);
    CHECK(s.split(whole).empty());
  }
}

TEST_CASE("split accuracy and false splits on the news compound list", "[analyzers][compounds][accuracy]") {
  const auto& s = CompoundSplitter::german();
  Xapian::Stem stem("german2");  // a split is right when it gives the same terms as the expected one
  const auto stems = [&](const std::vector<std::string>& parts) {
    std::string out;
    // append, not "+" + std::string: GCC 12 -Wrestrict at -O3 (bug 105329)
    for (const auto& p : parts) out.append(out.empty() ? "" : "+").append(stem(nfkc_casefold(p)));
    return out;
  };
  std::ifstream in(test::source_dir() / "tests" / "data" / "compounds_de.tsv");
  REQUIRE(in);
  std::size_t compounds = 0, right = 0, words = 0, false_splits = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    const std::string word = line.substr(0, tab), expected = line.substr(tab + 1);
    const auto got = s.split(nfkc_casefold(word));
    if (expected == "-") {
      ++words;
      false_splits += got.empty() ? 0 : 1;
      continue;
    }
    std::vector<std::string> want;
    std::stringstream parts(expected);
    for (std::string p; std::getline(parts, p, '+');) want.push_back(p);
    ++compounds;
    right += stems(got) == stems(want) ? 1 : 0;
  }
  const double accuracy = static_cast<double>(right) / static_cast<double>(compounds);
  const double false_rate = static_cast<double>(false_splits) / static_cast<double>(words);
  WARN("compound splits: " << right << "/" << compounds << " right (" << accuracy * 100 << " %), " << false_splits
                           << "/" << words << " false splits (" << false_rate * 100 << " %)");
  CHECK(compounds >= 300);
  CHECK(words >= 100);
  // The targets of the German-relevance issue; measured 95.5 % and 1.5 % when they were set.
  CHECK(accuracy >= 0.95);
  CHECK(false_rate <= 0.02);
}

}  // namespace fundstelle::analyzers
