// A query string as the searcher gets it from the command line or the HTTP service: any bytes. QueryParser
// itself needs no database, but word* is expanded from the index (ParseOptions::expand_prefix): here from an
// in-memory index of the demo corpus, built once, expanded by the searcher's own function. A query either parses
// into a Xapian query whose every term is accounted for, or fails with a QueryError pointing into the query;
// anything else is a bug.
#include <xapian.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "analyzers/german_analyzer.h"
#include "analyzers/utf8.h"
#include "fundstelle/error.h"
#include "fuzz_check.h"
#include "indexer/document_builder.h"
#include "indexer/passage_segmenter.h"
#include "indexer/txt_parser.h"
#include "searcher/query_parser.h"
#include "searcher/weights.h"
#include "searcher/wildcard.h"

using namespace fundstelle;

namespace {

analyzers::GermanAnalyzer* analyzer;
searcher::QueryParser* parser;
Xapian::WritableDatabase* db;

// The demo corpus, indexed as the indexer does it (passages and documents; no spelling data, no records).
void index_corpus() {
  static Xapian::WritableDatabase memory(std::string(), Xapian::DB_BACKEND_INMEMORY);
  db = &memory;
  indexer::PassageSegmenter segmenter;
  indexer::DocumentBuilder builder(*analyzer);
  for (const auto& entry : std::filesystem::directory_iterator(FUNDSTELLE_CORPUS_DIR)) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const Article a = indexer::parse_txt_article(analyzers::repair_utf8(text.str()), entry.path().stem().string(),
                                                 entry.path().string())
                          .article;
    const auto title_terms = builder.title_terms(a);
    for (const auto& p : segmenter.segment(a)) db->add_document(builder.build(a, p, title_terms, std::string(16, '0')));
  }
  FUZZ_CHECK(db->get_doccount() > 0);  // the corpus folder was found
}

// As the searcher expands word* (searcher/wildcard.h), from the corpus index.
std::vector<std::string> expand_prefix(const std::string& prefix) {
  FUZZ_CHECK(!prefix.empty() && analyzers::is_valid_utf8(prefix));
  return searcher::expand_prefix(*db, *analyzer, prefix);
}

bool is_index_term(const std::string& t) {
  return !t.empty() && t.size() <= fuzz::kMaxXapianTerm && analyzers::is_valid_utf8(t);
}

void check_parsed(const searcher::ParsedQuery& parsed, std::string_view query) {
  // (The query may match nothing: a wildcard that the index has no word for.)
  // Every term the query asks for has its weight factor (for --explain), and is one Xapian can hold.
  for (auto t = parsed.query.get_unique_terms_begin(); t != parsed.query.get_unique_terms_end(); ++t) {
    FUZZ_CHECK(is_index_term(*t));
    FUZZ_CHECK(parsed.term_factors.count(*t) == 1);
  }
  // A factor is summed over a term's occurrences (0 where it is asked for only inside positional groups).
  for (const auto& [term, factor] : parsed.term_factors) FUZZ_CHECK(is_index_term(term) && factor >= 0);
  for (const auto& g : parsed.positional)
    for (const auto& [term, factor] : g.factors) FUZZ_CHECK(parsed.term_factors.count(term) == 1 && factor >= 0);
  for (const auto& c : parsed.concepts) {
    FUZZ_CHECK(!c.alternatives.empty());
    for (const auto& alt : c.alternatives) {
      FUZZ_CHECK(!alt.empty());
      for (const auto& term : alt) FUZZ_CHECK(is_index_term(term));
    }
  }
  for (const auto& h : parsed.highlight) FUZZ_CHECK(is_index_term(h));
  for (const auto& e : parsed.expansions) {
    FUZZ_CHECK(!e.word.empty() && !e.synonyms.empty() && e.synonyms.size() <= searcher::weights::kMaxSynonyms);
  }
  const std::size_t length = analyzers::count_code_points(query);
  for (const auto& w : parsed.words) {
    FUZZ_CHECK(!w.text.empty() && analyzers::is_valid_utf8(w.text));
    FUZZ_CHECK(w.position < length);
    // The word is the query's own text at its position (spelling correction replaces it there); only a number
    // with its percent sign is read as "N %" whatever white space stood between them.
    const std::size_t b = fuzz::byte_of(query, w.position);
    const std::string_view own = std::string_view(w.text).substr(0, w.text.find(' '));
    FUZZ_CHECK(query.substr(b, own.size()) == own);
    FUZZ_CHECK(!w.concepts.empty());
    for (const auto& alternatives : w.concepts) {
      // (No alternative: a word that asks for nothing the index could hold, reported as unknown: a wildcard
      // that expanded to nothing, a word longer than the index keeps one.)
      FUZZ_CHECK(!alternatives.empty() || w.use == searcher::WordUse::Prefix || w.use == searcher::WordUse::TooLong);
      for (const auto& terms : alternatives)
        for (const auto& term : terms) FUZZ_CHECK(is_index_term(term));
    }
  }
  // The query survives serialisation (a remote backend would send it so).
  const std::string wire = parsed.query.serialise();
  FUZZ_CHECK(Xapian::Query::unserialise(wire).serialise() == wire);
}

void parse(std::string_view query, const searcher::ParseOptions& options) {
  try {
    check_parsed(parser->parse(query, options), query);
  } catch (const QueryError& e) {
    FUZZ_CHECK(e.what()[0] != '\0');
    // The position is a code point of the query (or its end), also when the query is not valid UTF-8.
    const std::string repaired = analyzers::repair_utf8(query);
    FUZZ_CHECK(e.position() <= analyzers::count_code_points(repaired));
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  static analyzers::GermanAnalyzer the_analyzer;
  static searcher::QueryParser the_parser(the_analyzer);
  analyzer = &the_analyzer;
  parser = &the_parser;
  index_corpus();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  searcher::ParseOptions options;  // as `fundstelle search` parses by default
  options.expand_prefix = expand_prefix;
  parse(query, options);
  options.synonyms = analyzers::SynonymSource::All;  // --synonyms all, and compounds without their parts
  options.compound_parts = false;
  parse(query, options);
  return 0;
}
