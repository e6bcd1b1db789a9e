// One analyzer for index and query: the terms stored for every passage of the corpus are exactly the terms
// the analyzer gives for the passage text, and every word of a passage, typed as a query, asks for terms the
// passage has.
#include <catch2/catch.hpp>

#include <xapian.h>

#include <set>

#include "analyzers/german_analyzer.h"
#include "fundstelle/fundstelle.h"
#include "index/passage_record.h"
#include "index/schema.h"
#include "searcher/query_parser.h"
#include "searcher/ranker.h"
#include "test_support.h"

using namespace fundstelle;

namespace {

// The corpus indexed into a fresh folder, opened for reading, with an analyzer and a query parser.
struct IndexedCorpus {
  test::TempDir dir;
  std::string db_path = (dir / "index").string();
  Xapian::Database db;
  analyzers::GermanAnalyzer analyzer;
  searcher::QueryParser parser{analyzer};
  IndexedCorpus() {
    {
      Indexer indexer(db_path);
      REQUIRE(indexer.index_paths({test::corpus_dir().string()}).added == 5);
    }
    db = Xapian::Database(db_path);
  }
};

}  // namespace

TEST_CASE("index side and query side produce the same terms", "[e2e][analyzers]") {
  IndexedCorpus corpus;
  auto& [dir, db_path, db, analyzer, parser] = corpus;
  std::size_t documents = 0, words_checked = 0;
  for (auto id = db.postlist_begin(""); id != db.postlist_end(""); ++id) {
    const Xapian::Document doc = db.get_document(*id);
    const auto data = schema::decode_passage(doc.get_data());
    REQUIRE(data);
    const std::string text = data->text;
    std::set<std::string> stored;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      const std::string term = *t;
      // The passage text's terms: unprefixed, and compound parts under their prefix.
      if (!(term[0] >= 'A' && term[0] <= 'Z') || term.starts_with(schema::kCompoundPart)) stored.insert(term);
    }
    std::set<std::string> analysed;
    const auto tokens = analyzer.analyze(text);
    for (const auto& t : tokens)
      analysed.insert(t.role == analyzers::TokenRole::Split || t.role == analyzers::TokenRole::Inner
                          ? std::string(schema::kCompoundPart) + t.term
                          : t.term);
    INFO(text);
    CHECK(stored == analysed);

    // Each word of the passage, as the user would type it, asks for terms that the passage holds.
    for (const auto& t : tokens) {
      if (t.role == analyzers::TokenRole::Part) continue;  // the whole word is typed, not its parts alone
      const std::string word = test::slice_code_points(text, t.begin, t.end);
      const auto q = parser.parse("\"" + word + "\"");
      for (const auto& term : q.highlight) {
        INFO(word << " -> " << term);
        CHECK((stored.count(term) == 1 || stored.count(std::string(schema::kCompoundPart) + term) == 1));
      }
      ++words_checked;
    }
    ++documents;
  }
  CHECK(documents > 20);
  CHECK(words_checked > 1000);
}

TEST_CASE("rerank features from index positions equal those from the analysed passage text", "[e2e][analyzers]") {
  IndexedCorpus corpus;
  auto& [dir, db_path, db, analyzer, parser] = corpus;
  std::vector<analyzers::Token> tokens;
  searcher::TermPositions positions;
  std::size_t compared = 0, covering = 0, full = 0;
  for (const char* q :
       {"Entwicklungszentrum München", "Zentrum", "Partnerschaften Xiaomi", "\"Samsung SDI\" Batterien",
        "Elektroauto China Ferrari", "Beteiligung", "EV-Partnerschaft", "20 % Anteil", "Munchen Forschung"}) {
    const auto parsed = parser.parse(q);
    searcher::PositionReader reader(db, searcher::position_terms(parsed));
    // The passages the first tier's filter finds: those that cover every concept.
    std::set<Xapian::docid> every;
    Xapian::Enquire enquire(db);
    enquire.set_query(searcher::every_concept(parsed));
    for (auto m = enquire.get_mset(0, db.get_doccount()); const auto id : m) every.insert(id);
    for (auto id = db.postlist_begin(""); id != db.postlist_end(""); ++id) {
      const Xapian::Document doc = db.get_document(*id);
      const auto data = schema::decode_passage(doc.get_data());
      REQUIRE(data);
      tokens.clear();
      analyzer.analyze(data->text, tokens);
      const auto from_text = searcher::passage_features(parsed, tokens);
      reader.read(*id, positions);
      const auto from_index = searcher::passage_features(parsed, positions);
      INFO(q << " / passage " << doc.get_value(schema::kValueArticle) << "#" << data->ordinal);
      CHECK(from_index.covered == from_text.covered);
      CHECK(from_index.window == from_text.window);
      CHECK(from_index.typed == from_text.typed);
      CHECK(from_index.typed_weight == from_text.typed_weight);
      CHECK(every.count(*id) == (from_index.covered == from_index.concepts ? 1u : 0u));
      full += from_index.covered == from_index.concepts && from_index.concepts >= 2 ? 1 : 0;
      ++compared;
      covering += from_text.covered > 1 ? 1 : 0;
    }
  }
  CHECK(compared == 9 * db.get_doccount());  // every passage, for every query
  CHECK(covering > 10);                      // the windows compared are real ones
  CHECK(full > 3);                           // so are the passages with every concept
}

TEST_CASE("highlights from index positions equal those from the whole analysed text", "[e2e][analyzers]") {
  IndexedCorpus corpus;
  auto& [dir, db_path, db, analyzer, parser] = corpus;
  searcher::TermPositions positions;
  std::size_t compared = 0, marked = 0;
  for (const char* q : {"Entwicklungszentrum München", "Zentrum", "Partnerschaften Xiaomi", "\"Samsung SDI\" Batterien",
                        "Elektroauto China Ferrari", "Beteiligung", "EV-Partnerschaft", "20 % Anteil",
                        "Munchen Forschung", "Batterie", "Wasserstoffkraftwerk", "Kunden Geld"}) {
    const auto parsed = parser.parse(q);
    searcher::PositionReader reader(db, searcher::highlight_terms(parsed));
    for (auto id = db.postlist_begin(""); id != db.postlist_end(""); ++id) {
      const auto data = schema::decode_passage(db.get_document(*id).get_data());
      REQUIRE(data);
      const auto whole = searcher::passage_features(parsed, analyzer.analyze(data->text)).highlights;
      reader.read(*id, positions);
      const auto from_index = searcher::highlights(parsed, analyzer, data->text, searcher::positions_of(positions));
      INFO(q << " / passage " << *id << ": " << data->text);
      REQUIRE(from_index.size() == whole.size());
      for (std::size_t i = 0; i < whole.size(); ++i) {
        CHECK(from_index[i].begin == whole[i].begin);
        CHECK(from_index[i].end == whole[i].end);
      }
      marked += whole.size();
      ++compared;
    }
  }
  CHECK(compared == 12 * db.get_doccount());
  CHECK(marked > 100);
}
