#include "server/metrics.hpp"

#include <sstream>

namespace pond::server {

void Metrics::request_done(const std::string& route, int status) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
}

void Metrics::query_done(std::chrono::steady_clock::duration elapsed, const std::string& code) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  std::lock_guard lock(mutex_);
  ++queries_;
  latency_sum_ += seconds;
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (seconds <= kLatencyBuckets[i]) ++buckets_[i];
  }
  if (!code.empty()) ++errors_[code];
}

std::string Metrics::render(size_t active_queries, size_t held_results) const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP pond_http_requests_total HTTP requests answered, by route and status.\n"
      << "# TYPE pond_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out << "pond_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << count << '\n';
  }
  out << "# HELP pond_queries_total Queries run by executeQuery (finished, with or without error).\n"
      << "# TYPE pond_queries_total counter\npond_queries_total " << queries_ << '\n'
      << "# HELP pond_query_errors_total Queries that ended with an error, by error code.\n"
      << "# TYPE pond_query_errors_total counter\n";
  for (const auto& [code, count] : errors_) out << "pond_query_errors_total{code=\"" << code << "\"} " << count << '\n';
  out << "# HELP pond_query_duration_seconds Time from receiving a query to sending its last byte.\n"
      << "# TYPE pond_query_duration_seconds histogram\n";
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    out << "pond_query_duration_seconds_bucket{le=\"" << kLatencyBuckets[i] << "\"} " << buckets_[i] << '\n';
  }
  out << "pond_query_duration_seconds_bucket{le=\"+Inf\"} " << queries_ << '\n'
      << "pond_query_duration_seconds_sum " << latency_sum_ << '\n'
      << "pond_query_duration_seconds_count " << queries_ << '\n'
      << "# HELP pond_active_queries Queries running now.\n# TYPE pond_active_queries gauge\npond_active_queries "
      << active_queries << '\n'
      << "# HELP pond_held_results Results held for fetchArrow.\n# TYPE pond_held_results gauge\npond_held_results "
      << held_results << '\n'
      << "# HELP pond_response_bytes_total Response body bytes sent.\n# TYPE pond_response_bytes_total counter\n"
      << "pond_response_bytes_total " << bytes_out_.load() << '\n'
      << "# HELP pond_client_disconnects_total Result streams cut short because the client went away.\n"
      << "# TYPE pond_client_disconnects_total counter\npond_client_disconnects_total " << clients_gone_.load() << '\n';
  return out.str();
}

}  // namespace pond::server
