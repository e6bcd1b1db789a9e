// fundstelle::Searcher: BM25 over passages (Xapian), then a rerank of the best candidates that prefers
// passages covering all query concepts, close together, then a cap of passages per article.
#include "fundstelle/searcher.h"

#include <xapian.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "analyzers/german_analyzer.h"
#include "fundstelle/error.h"
#include "indexer/schema.h"
#include "searcher/query_parser.h"
#include "searcher/ranker.h"

namespace fundstelle {

struct Searcher::Impl {
  std::string path;
  Xapian::Database db;
  analyzers::GermanAnalyzer analyzer;
  searcher::QueryParser parser{analyzer};
  std::vector<analyzers::Token> tokens;
};

Searcher::Searcher(const std::string& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  try {
    impl_->db = Xapian::Database(path);
  } catch (const Xapian::DatabaseNotFoundError&) {
    throw IndexError("no index at " + path + "; create one with `fundstelle index --db " + path + " PATH...`");
  } catch (const Xapian::DatabaseOpeningError&) {
    throw IndexError("no index at " + path + "; create one with `fundstelle index --db " + path + " PATH...`");
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot open the index at " + path + ": " + e.get_msg());
  }
  const std::string schema_version = impl_->db.get_metadata(std::string(schema::kMetaSchema));
  const std::string fingerprint = impl_->db.get_metadata(std::string(schema::kMetaAnalyzer));
  if (schema_version.empty() && impl_->db.get_doccount() == 0) return;  // created, nothing committed yet
  if (schema_version != std::to_string(schema::kVersion) || fingerprint != analyzers::GermanAnalyzer::fingerprint())
    throw IndexError("the index at " + path + " was built by another version of Fundstelle (analyzer \"" + fingerprint +
                     "\"); rebuild it with `fundstelle index --rebuild`");
}

Searcher::~Searcher() = default;

SearchResults Searcher::search(std::string_view query_text, const SearchOptions& options) {
  Impl& m = *impl_;
  const searcher::ParsedQuery parsed = m.parser.parse(query_text);
  Xapian::Query query = parsed.query;
  if (options.kind)
    query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                          Xapian::Query(std::string(schema::kKind) + to_string(*options.kind)));

  // Candidates for the rerank: enough that the per-article cap and the page still fill.
  const std::size_t wanted = options.offset + options.limit;
  const Xapian::doccount candidates = static_cast<Xapian::doccount>(std::max<std::size_t>(300, wanted * 10));

  Xapian::MSet mset;
  for (int attempt = 0;; ++attempt) {
    try {
      Xapian::Enquire enquire(m.db);
      enquire.set_query(query);
      enquire.set_weighting_scheme(Xapian::BM25Weight());
      mset = enquire.get_mset(0, candidates);
      break;
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt >= 3) throw IndexError("the index at " + m.path + " keeps changing under the search; try again");
      m.db.reopen();  // a writer committed meanwhile: read the new revision
    } catch (const Xapian::Error& e) {
      throw IndexError("search failed: " + e.get_description());
    }
  }

  struct Candidate {
    Hit hit;
    searcher::PassageFeatures features;
    Xapian::docid docid;
  };
  std::vector<Candidate> ranked;
  ranked.reserve(mset.size());
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    Candidate c;
    c.docid = *it;
    const auto data = nlohmann::json::parse(it.get_document().get_data(), nullptr, false);
    if (data.is_discarded()) continue;
    Hit& h = c.hit;
    h.article = data.value("article", "");
    h.title = data.value("title", "");
    h.url = data.value("url", "");
    h.published = data.value("published", "");
    h.kind = data.value("kind", "article") == "comment" ? PassageKind::Comment : PassageKind::Article;
    h.ordinal = data.value("ordinal", std::size_t{0});
    h.comment = data.value("comment", std::size_t{0});
    h.span = Span{data.value("start", std::size_t{0}), data.value("end", std::size_t{0})};
    h.text = data.value("text", "");
    m.tokens.clear();
    m.analyzer.analyze(h.text, m.tokens);
    c.features = searcher::passage_features(parsed, m.tokens);
    h.score = searcher::rerank_score(it.get_weight(), c.features);
    h.highlights = c.features.highlights;
    ranked.push_back(std::move(c));
  }
  // Coverage first (a passage with every concept beats one that repeats a single word), then the score.
  std::stable_sort(ranked.begin(), ranked.end(), [](const Candidate& a, const Candidate& b) {
    if (a.features.covered != b.features.covered) return a.features.covered > b.features.covered;
    if (a.hit.score != b.hit.score) return a.hit.score > b.hit.score;
    return a.docid < b.docid;
  });

  SearchResults out;
  out.total_estimate = mset.get_matches_estimated();
  std::unordered_map<std::string, std::size_t> per_article;
  std::size_t position = 0;
  for (auto& c : ranked) {
    if (options.per_article && ++per_article[c.hit.article] > options.per_article) continue;
    ++position;
    if (position <= options.offset) continue;
    if (out.hits.size() >= options.limit) break;
    c.hit.rank = position;
    out.hits.push_back(std::move(c.hit));
  }
  return out;
}

}  // namespace fundstelle
