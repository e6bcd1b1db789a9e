// Query latency measured inside the process, the same way for every engine of bench/speed.sh: one warm-up
// pass over the query set, then `repeat` timed passes; each query's time is the wall time of one call that
// returns the top 10 with snippets.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <ostream>
#include <string>
#include <vector>

namespace fundstelle::bench {

// One query per line; blank lines skipped.
inline std::vector<std::string> read_queries(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path, std::ios::binary);
  for (std::string line; std::getline(in, line);)
    if (line.find_first_not_of(" \t\r") != std::string::npos) out.push_back(line);
  return out;
}

// `run(query)` returns the number of hits it produced. Prints one line:
// "latency: queries N, timed M, p50 X ms, p95 Y ms, p99 Z ms, mean W ms, hits H".
template <typename Run>
void measure_latency(const std::vector<std::string>& queries, int repeat, Run run, std::ostream& out) {
  std::size_t hits = 0;
  for (const auto& q : queries) hits += run(q);  // warm-up: caches, lazily built tables
  std::vector<double> ms;
  std::vector<std::vector<double>> per_query(queries.size());
  for (int r = 0; r < repeat; ++r)
    for (std::size_t i = 0; i < queries.size(); ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      run(queries[i]);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      per_query[i].push_back(ms.back());
    }
  // BENCH_SLOWEST=N: the N queries slowest by their median time, to stderr (to see what makes the p99).
  if (const char* env = std::getenv("BENCH_SLOWEST"); env && repeat > 0) {
    std::vector<std::pair<double, std::size_t>> medians;
    for (std::size_t i = 0; i < queries.size(); ++i) {
      auto& t = per_query[i];
      std::sort(t.begin(), t.end());
      medians.emplace_back(t[t.size() / 2], i);
    }
    std::sort(medians.rbegin(), medians.rend());
    const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(std::atoi(env)), medians.size());
    for (std::size_t k = 0; k < n; ++k)
      std::cerr << std::fixed << std::setprecision(3) << medians[k].first << " ms  " << queries[medians[k].second]
                << '\n';
  }
  std::sort(ms.begin(), ms.end());
  const auto pct = [&](double p) {
    return ms.empty() ? 0.0 : ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * ms.size()))];
  };
  double sum = 0;
  for (const double m : ms) sum += m;
  out << std::fixed << std::setprecision(3) << "latency: queries " << queries.size() << ", timed " << ms.size()
      << ", p50 " << pct(0.50) << " ms, p95 " << pct(0.95) << " ms, p99 " << pct(0.99) << " ms, mean "
      << (ms.empty() ? 0.0 : sum / ms.size()) << " ms, hits " << hits << '\n';
}

}  // namespace fundstelle::bench
