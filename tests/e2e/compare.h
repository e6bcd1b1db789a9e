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
// (rounded, as the sums may be added in another order), then text. Not the article: of passages with the same
// text and score in several articles (the synthetic articles repeat sentences) one is shown, and which one
// depends on the document ids.
inline std::vector<std::tuple<long long, std::string>> results(Searcher& s, const std::string& q) {
  SearchOptions o;
  o.limit = 20;
  std::vector<std::tuple<long long, std::string>> out;
  for (const auto& h : s.search(q, o).hits) out.emplace_back(-std::llround(h.score * 1e6), h.text);
  std::sort(out.begin(), out.end());
  return out;
}

// Two such lists rank alike: the same scores, and the same passages for each score but the last, where the
// limit may cut a tie at another passage (ties are broken by document id).
inline bool same_ranking(std::vector<std::tuple<long long, std::string>> a,
                         std::vector<std::tuple<long long, std::string>> b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::get<0>(a[i]) != std::get<0>(b[i])) return false;
  if (a.empty()) return true;
  const long long last = std::get<0>(a.back());
  std::erase_if(a, [&](const auto& x) { return std::get<0>(x) == last; });
  std::erase_if(b, [&](const auto& x) { return std::get<0>(x) == last; });
  return a == b;
}

}  // namespace fundstelle::test
