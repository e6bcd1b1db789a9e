// What `fundstelle serve` tells an operator: one access-log line per request (text or JSON Lines) and the
// counters behind GET /metrics (Prometheus text format 0.0.4).
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "fundstelle/searcher.h"
#include "http_server.h"

namespace fundstelle::cli {

// The access-log line of one request, without the line break: "TIME CLIENT METHOD TARGET STATUS BYTES MS", or
// one JSON object with those fields (time, client, method, target, status, bytes, ms).
std::string access_line(const HttpRecord& record, bool json);

// The route a path belongs to, as metrics name it: /, /search, /articles, /articles/{id}, /health, /stats,
// /metrics, or "other" (so that unknown paths cannot grow the label set).
std::string route_of(const std::string& path);

class ServiceMetrics {
 public:
  // Upper bounds of the latency histogram's buckets, in seconds.
  static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};

  void record(const HttpRecord& r);
  // The metrics page: requests by route and status, the latency histogram, and the index's gauges.
  // `stats` null: the index cannot be read (fundstelle_index_up 0, its gauges left out).
  std::string prometheus(const IndexStats* stats, std::size_t writes_waiting) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::size_t> requests_;  // (route, status) -> count
  std::array<std::size_t, kBuckets.size()> buckets_{};           // requests at most each bound (not cumulative)
  std::size_t count_ = 0;
  double seconds_ = 0;
};

}  // namespace fundstelle::cli
