// Indexes the end-to-end tests build: the demo corpus, or one article of a few paragraphs.
#pragma once

#include <string>
#include <vector>

#include "fundstelle/fundstelle.h"
#include "test_support.h"

namespace fundstelle::test {

// The demo corpus indexed into a fresh folder (once per test case).
struct CorpusIndex {
  TempDir dir;
  std::string db = (dir / "index").string();
  IndexReport report;
  CorpusIndex() { report = Indexer(db).index_paths({corpus_dir().string()}); }
  SearchResults search(const std::string& q, SearchOptions o = {}) { return Searcher(db).search(q, o); }
};

// A fresh index in `dir` of one article (id "a") with these paragraphs, committed; returns its path.
inline std::string index_article(const TempDir& dir, const std::vector<std::string>& paragraphs) {
  const std::string db = (dir / "index").string();
  Indexer indexer(db);
  Article a;
  a.id = "a";
  a.paragraphs = paragraphs;
  indexer.put(a);
  indexer.commit();
  return db;
}

}  // namespace fundstelle::test
