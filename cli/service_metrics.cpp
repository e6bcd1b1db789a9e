#include "service_metrics.h"

#include <cmath>
#include <ctime>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/utf8.h"
#include "output.h"

namespace fundstelle::cli {
namespace {

// UTC, ISO 8601 with milliseconds.
std::string iso_time(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::ostringstream out;
  out << std::put_time(&utc, "%Y-%m-%dT%H:%M:%S") << '.' << std::setw(3) << std::setfill('0') << millis << 'Z';
  return out.str();
}

// The request target or method as a log field: bytes below 0x21 and above 0x7E, and '"' and '\', as %XX, so that a
// line stays one line of plain text whatever a client sent.
std::string log_safe(const std::string& s) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '\\') base::append_percent_escaped(out, c);
    else out += ch;
  }
  return out;
}

// ISO 8601 UTC ("2026-12-04T20:25:09Z", perhaps with fractions) as seconds since the epoch; 0 if unreadable.
double epoch_seconds(const std::string& iso) {
  std::tm t{};
  std::istringstream in(iso);
  in >> std::get_time(&t, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) return 0;
  return static_cast<double>(timegm(&t));
}

}  // namespace

std::string access_line(const HttpRecord& r, bool json) {
  const double ms_tenths = std::round(r.milliseconds * 10) / 10;  // to a tenth of a millisecond
  if (json) {
    const nlohmann::json j = {{"time", iso_time(r.at)}, {"client", r.client}, {"method", r.method},
                              {"target", r.target},     {"status", r.status}, {"bytes", r.bytes},
                              {"ms", ms_tenths}};
    return dump(j);
  }
  std::ostringstream ms;
  ms.setf(std::ios::fixed);
  ms.precision(1);
  ms << ms_tenths;
  // (The method as sent, escaped like the target: any token is a method to libmicrohttpd.)
  return iso_time(r.at) + ' ' + r.client + ' ' + log_safe(r.method) + ' ' + log_safe(r.target) + ' ' +
         std::to_string(r.status) + ' ' + std::to_string(r.bytes) + ' ' + ms.str() + "ms";
}

std::string route_of(const std::string& path) {
  for (const char* known : {"/", "/search", "/suggest", "/articles", "/health", "/stats", "/metrics", "/openapi.json"})
    if (path == known) return path;
  if (path.starts_with("/articles/") && path.size() > 10) return "/articles/{id}";
  return "other";
}

void ServiceMetrics::record(const HttpRecord& r) {
  const std::string route = route_of(r.path);
  const double seconds = r.milliseconds / 1000;
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{route, r.status}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) {
      ++buckets_[i];
      break;
    }
  ++count_;
  seconds_ += seconds;
}

std::string ServiceMetrics::prometheus(const IndexStats* stats, std::size_t writes_waiting) const {
  std::ostringstream out;
  out.precision(15);  // the default 6 digits would round a Unix time to about a quarter of an hour
  out << "# HELP fundstelle_requests_total Requests answered, by route and HTTP status.\n"
         "# TYPE fundstelle_requests_total counter\n";
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [key, n] : requests_)
    out << "fundstelle_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << '\n';
  out << "# HELP fundstelle_request_duration_seconds Time from the request line to the answer.\n"
         "# TYPE fundstelle_request_duration_seconds histogram\n";
  std::size_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets_[i];
    out << "fundstelle_request_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << cumulative << '\n';
  }
  out << "fundstelle_request_duration_seconds_bucket{le=\"+Inf\"} " << count_ << '\n'
      << "fundstelle_request_duration_seconds_sum " << seconds_ << '\n'
      << "fundstelle_request_duration_seconds_count " << count_ << '\n';
  out << "# HELP fundstelle_index_up Whether the index could be read for this answer (1) or not (0).\n"
         "# TYPE fundstelle_index_up gauge\n"
      << "fundstelle_index_up " << (stats ? 1 : 0) << '\n';
  if (stats)
    out << "# HELP fundstelle_articles Articles in the index.\n# TYPE fundstelle_articles gauge\n"
        << "fundstelle_articles " << stats->articles << '\n'
        << "# HELP fundstelle_passages Passages in the index.\n# TYPE fundstelle_passages gauge\n"
        << "fundstelle_passages " << stats->passages << '\n'
        << "# HELP fundstelle_last_commit_timestamp_seconds When the index was last committed (Unix time).\n"
           "# TYPE fundstelle_last_commit_timestamp_seconds gauge\n"
        << "fundstelle_last_commit_timestamp_seconds " << epoch_seconds(stats->last_commit) << '\n';
  out << "# HELP fundstelle_writes_waiting Writes (POST, DELETE) waiting for the index's writer, or for another "
         "process's lock on the index.\n"
         "# TYPE fundstelle_writes_waiting gauge\n"
      << "fundstelle_writes_waiting " << writes_waiting << '\n';
  return out.str();
}

}  // namespace fundstelle::cli
