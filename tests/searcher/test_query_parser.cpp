#include <catch2/catch.hpp>

#include "analyzers/german_analyzer.h"
#include "fundstelle/error.h"
#include "searcher/query_parser.h"
#include "searcher/query_syntax.h"

using fundstelle::QueryError;
using fundstelle::analyzers::GermanAnalyzer;
using fundstelle::searcher::ParsedQuery;
using fundstelle::searcher::QueryParser;

namespace {

ParsedQuery parse(const std::string& q) {
  static GermanAnalyzer analyzer;
  QueryParser parser(analyzer);
  return parser.parse(q);
}

std::string describe(const std::string& q) { return parse(q).query.get_description(); }

// The position reported for a malformed query.
std::size_t error_at(const std::string& q) {
  try {
    parse(q);
  } catch (const QueryError& e) {
    return e.position();
  }
  FAIL("no QueryError for: " << q);
  return 0;
}

bool has_term(const ParsedQuery& p, const std::string& term) { return p.highlight.count(term) > 0; }

}  // namespace

TEST_CASE("plain words are stemmed like the index and joined by the default operator", "[searcher][query]") {
  const auto p = parse("Entwicklungszentrum München");
  CHECK(p.concepts.size() == 2);
  CHECK(has_term(p, "munch"));
  const std::string d = p.query.get_description();
  CHECK(d.find("OR") != std::string::npos);
  CHECK(d.find(" AND ") == std::string::npos);  // a missing word must not empty the result (AND_MAYBE may)
  // Umlaut spellings reach the same term.
  CHECK(has_term(parse("Muenchen"), "munch"));
  CHECK(has_term(parse("munchen"), "munch"));
}

TEST_CASE("title words are searched at a lower weight too", "[searcher][query]") {
  const std::string d = describe("Xiaomi");
  CHECK(d.find("Sxiaomi") != std::string::npos);
  CHECK(d.find(" * Sxiaomi") != std::string::npos);  // scaled by kTitleWeight
  CHECK(d.find(" * Pxiaomi") != std::string::npos);  // and inside compounds, scaled by kPartWeight
}

TEST_CASE("with term frequencies a word's title, heading, part and typed-form terms are asked for only where held",
          "[searcher][query]") {
  static GermanAnalyzer analyzer;
  QueryParser parser(analyzer);
  fundstelle::searcher::ParseOptions options;
  // An index that holds xiaomi in titles and as typed, never in a heading or inside a compound.
  options.term_frequency = [](const std::string& term) -> Xapian::doccount {
    return term == "xiaomi" || term == "Sxiaomi" || term == "Exiaomi" ? 3 : 0;
  };
  std::string d = parser.parse("Xiaomi", options).query.get_description();
  CHECK(d.find("Sxiaomi") != std::string::npos);
  CHECK(d.find("Exiaomi") != std::string::npos);
  CHECK(d.find("Hxiaomi") == std::string::npos);
  CHECK(d.find("Pxiaomi") == std::string::npos);
  // A word the index holds nowhere is still asked for (a required word then matches nothing).
  d = parser.parse("+Xiaomi +Zeekr", options).query.get_description();
  CHECK(d.find("zeekr") != std::string::npos);
  CHECK(d.find("Szeekr") == std::string::npos);
  CHECK(d.find(" AND ") != std::string::npos);
}

TEST_CASE("stopwords are dropped from free words but kept in phrases and alone", "[searcher][query]") {
  const auto p = parse("Luxushersteller ohne Konzern");
  CHECK(p.concepts.size() == 2);
  CHECK_FALSE(has_term(p, "ohn"));
  CHECK(describe("Luxushersteller ohne Konzern").find("ohn") == std::string::npos);
  // In a phrase every word counts, so "der" is part of the phrase.
  const std::string phrase = describe("\"Export der Modelle\"");
  CHECK(phrase.find("PHRASE 3") != std::string::npos);
  CHECK(phrase.find("der") != std::string::npos);
  // A query made only of stopwords still searches them instead of failing.
  CHECK(parse("und oder").concepts.size() == 2);
}

TEST_CASE("hyphenated words match as the whole or as adjacent parts", "[searcher][query]") {
  const auto p = parse("EV-Partnerschaft");
  const std::string d = p.query.get_description();
  CHECK(d.find("PHRASE 2") != std::string::npos);
  CHECK(d.find("evpartnerschaft") != std::string::npos);
  REQUIRE(p.concepts.size() == 1);
  CHECK(p.concepts[0].alternatives.size() == 2);
}

TEST_CASE("operators, exclusion, requirement, parentheses and title:", "[searcher][query]") {
  CHECK(describe("Ferrari AND Leapmotor").find("AND") != std::string::npos);
  CHECK(describe("Ferrari OR Leapmotor").find("OR") != std::string::npos);
  CHECK(describe("Ferrari NOT Leapmotor").find("AND_NOT") != std::string::npos);
  CHECK(describe("Ferrari AND NOT Leapmotor").find("AND_NOT") != std::string::npos);
  CHECK(describe("Ferrari -Leapmotor").find("AND_NOT") != std::string::npos);
  CHECK(describe("+Ferrari Leapmotor").find("AND_MAYBE") != std::string::npos);
  CHECK(describe("(Ferrari OR Xiaomi) AND China").find("AND") != std::string::npos);
  CHECK(describe("title:Xiaomi").find("Sxiaomi") != std::string::npos);
  CHECK(describe("title:\"Ford Xiaomi\"").find("Sford") != std::string::npos);
  // Lower-case operator words are ordinary words (here: stopwords next to real words).
  CHECK(describe("Ferrari and Leapmotor").find("AND") == std::string::npos);
  // Excluded words are not highlighted.
  CHECK_FALSE(has_term(parse("Ferrari -Leapmotor"), "leapmotor"));
  // German quotation marks make a phrase too.
  CHECK(describe("\xE2\x80\x9E"
                 "Samsung SDI"
                 "\xE2\x80\x9C")
            .find("PHRASE 2") != std::string::npos);
}

TEST_CASE("a percent sign after a number belongs to it, as in the text", "[searcher][query]") {
  const std::string spaced = describe("20 %");
  CHECK(spaced.find("20%") != std::string::npos);
  CHECK(describe("20%") == spaced);
  CHECK(describe("Anteil %").find("%") == std::string::npos);  // only after a number
}

TEST_CASE("an OR of words is one concept", "[searcher][query]") {
  const auto p = parse("(Kooperation OR Zusammenarbeit) Ferrari");
  CHECK(p.concepts.size() == 2);
}

TEST_CASE("malformed queries are errors at the right position", "[searcher][query]") {
  CHECK(error_at("") == 0);
  CHECK(error_at("   ") == 0);
  CHECK(error_at("\"Samsung SDI") == 0);
  CHECK(error_at("Xiaomi \"SU7") == 7);
  CHECK(error_at("(Ferrari OR Xiaomi") == 0);
  CHECK(error_at("Ferrari)") == 7);
  CHECK(error_at("AND Ferrari") == 0);
  CHECK(error_at("Ferrari AND") == 8);
  CHECK(error_at("Ferrari OR") == 8);
  CHECK(error_at("Ferrari OR OR Xiaomi") == 8);
  CHECK(error_at("NOT") == 0);
  CHECK(error_at("()") == 1);
  CHECK(error_at("Ford (") == 5);  // an opening parenthesis at the end is unclosed, not empty
  CHECK_THROWS_WITH(parse("Ford ("), Catch::Contains("no ')' closes it"));
  CHECK(error_at("-Ferrari") == 0);
  CHECK(error_at("Ferrari - Xiaomi") == 8);
  CHECK(error_at("title:") == 0);
  CHECK(error_at("Ford OR -Samsung") == 8);
  CHECK(error_at("Ford \xE2\x80\x9E"
                 "Samsung") == 5);                   // an unclosed German quotation mark
  CHECK(error_at("Müller )") == 7);                  // positions count characters, not bytes
  CHECK(error_at(std::string("ok \xC3\x28")) == 3);  // invalid UTF-8
  CHECK(error_at(std::string(10001, 'a')) == QueryParser::kMaxLength);
  CHECK(error_at(std::string(100, '(') + "x" + std::string(100, ')')) > 0);  // nesting is bounded
  // '*' ends a word; elsewhere it is an error where it stands, not punctuation dropped in silence.
  CHECK(error_at("Xiaomi *Ferrari") == 7);
  CHECK(error_at("Xiaomi Fer*rari") == 10);
  CHECK(error_at("Müller*s") == 6);
  CHECK(error_at("*") == 0);
  CHECK_THROWS_WITH(parse("Fer*rari"), Catch::Contains("only at the end of a word"));
  CHECK_NOTHROW(parse("Ferr*"));
  CHECK_NOTHROW(parse("Ferr**"));
  // A word longer than the index keeps one is named, alone or beside others (searcher: reported unknown).
  const std::string long_word(GermanAnalyzer::kMaxTermBytes + 1, 'a');
  CHECK(error_at("  " + long_word) == 2);
  CHECK_THROWS_WITH(parse(long_word), Catch::Contains("longer than the index keeps a word"));
  const ParsedQuery beside = parse("Xiaomi " + long_word);
  REQUIRE(beside.words.size() == 2);
  CHECK(beside.words[1].text == long_word);
  CHECK(beside.words[1].use == fundstelle::searcher::WordUse::TooLong);
}

TEST_CASE("of two errors the one nearer the start of the query is reported", "[searcher][query]") {
  // Query building finds the first (a group that only excludes, NOT after punctuation), the grammar the second.
  CHECK_THROWS_WITH(parse("(-Ferrari) Xiaomi OR"), Catch::Contains("only excludes"));
  CHECK(error_at("(-Ferrari) Xiaomi OR") == 1);
  CHECK(error_at("!!! NOT Ferrari )") == 4);
  CHECK(error_at("Ferrari OR ) (-Xiaomi)") == 8);
}

TEST_CASE("the syntax tree keeps the grammar, not the meaning", "[searcher][query]") {
  using namespace fundstelle::searcher::syntax;
  const Tree t = fundstelle::searcher::syntax::parse("der -Ferrari title:\"SU7\" (a OR b*)");
  REQUIRE(t.root);
  REQUIRE(t.root->kind == Kind::Sequence);
  REQUIRE(t.root->items.size() == 4);
  CHECK(t.root->items[0].node->kind == Kind::Word);  // a stopword is still a word of the tree
  CHECK(t.root->items[1].role == Role::Excluded);
  CHECK(t.root->items[2].node->kind == Kind::Title);
  CHECK(t.root->items[2].node->text == "SU7");
  const Node* group = t.root->items[3].node;
  REQUIRE(group->kind == Kind::Group);
  const Node* either = group->left->items.at(0).node;
  REQUIRE(either->kind == Kind::Or);
  CHECK(either->right->kind == Kind::Wildcard);
  CHECK(either->right->pos == 31);
}

TEST_CASE("error messages name what is wrong", "[searcher][query]") {
  CHECK_THROWS_WITH(parse("Ford OR -Samsung"), Catch::Contains("'-'"));
  CHECK_THROWS_WITH(parse("Ford (Samsung"), Catch::Contains("'('"));
  CHECK_THROWS_WITH(parse("Ford \"Samsung"), Catch::Contains("quot"));
}

TEST_CASE("punctuation and control characters do not break a query", "[searcher][query]") {
  CHECK_NOTHROW(parse("Ferrari\tXiaomi\x01"));
  CHECK(parse("Ferrari !!! ???").concepts.size() == 1);
  CHECK_THROWS_AS(parse("!!! ???"), QueryError);
}

TEST_CASE("an OR of wildcards the index has no word for asks for no concept", "[searcher][query]") {
  static GermanAnalyzer analyzer;
  QueryParser parser(analyzer);
  fundstelle::searcher::ParseOptions options;
  options.expand_prefix = [](const std::string& prefix) {
    return prefix == "ferr" ? std::vector<std::string>{"ferrari"} : std::vector<std::string>{};
  };
  CHECK(parser.parse("Xyz* OR Qqq*", options).concepts.empty());  // nothing to cover, nothing left uncovered
  const auto p = parser.parse("(Xyz* OR Ferr*) Ford", options);
  REQUIRE(p.concepts.size() == 2);
  for (const auto& c : p.concepts) CHECK_FALSE(c.alternatives.empty());
}
