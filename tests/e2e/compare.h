// What the tests of index layouts share (a first import in parallel, shards, compaction): the same sources,
// and result lists compared without regard to document ids, which differ between layouts.
#pragma once

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "e2e/synthetic.h"
#include "fundstelle/fundstelle.h"
#include "test_support.h"

namespace fundstelle::test {

// Corpus and 400 synthetic articles (some with comments), as one folder.
inline std::filesystem::path make_sources(const TempDir& dir) {
  const auto src = dir / "src";
  std::filesystem::create_directories(src);
  for (const auto& e : std::filesystem::directory_iterator(corpus_dir()))
    std::filesystem::copy_file(e.path(), src / e.path().filename());
  std::string feed;
  for (int i = 0; i < 400; ++i) feed += synthetic_line(i, i % 3 ? "A" : "B");
  write_text(src / "feed.jsonl", feed);
  return src;
}

// A result list in an order that does not depend on document ids (which merges and shards change): score
// (rounded, as the sums may be added in another order), then article and passage.
inline std::vector<std::tuple<long long, std::string, std::size_t>> results(Searcher& s, const std::string& q) {
  SearchOptions o;
  o.limit = 20;
  std::vector<std::tuple<long long, std::string, std::size_t>> out;
  for (const auto& h : s.search(q, o).hits) out.emplace_back(-std::llround(h.score * 1e6), h.article, h.ordinal);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace fundstelle::test
