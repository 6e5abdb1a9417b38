#pragma once
// Metrics — the server's counters, gauges and the query latency histogram, rendered in
// Prometheus' text exposition format by GET /metrics. Thread-safe: counters are atomics,
// labelled counters sit behind one mutex.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace pond::server {

class Metrics {
 public:
  static constexpr std::array<double, 12> kLatencyBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                             0.05,   0.1,   0.25,   1.0,   5.0,  30.0};

  void request_done(const std::string& route, int status);
  // One finished query (successful or not); `code` is empty on success, else the error code.
  void query_done(std::chrono::steady_clock::duration elapsed, const std::string& code);
  void add_bytes_out(uint64_t bytes) { bytes_out_.fetch_add(bytes, std::memory_order_relaxed); }
  void client_gone() { clients_gone_.fetch_add(1, std::memory_order_relaxed); }

  // Gauges are read from their owners at render time.
  std::string render(size_t active_queries, size_t held_results) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, uint64_t> errors_;
  std::array<uint64_t, kLatencyBuckets.size()> buckets_{};
  uint64_t queries_ = 0;
  double latency_sum_ = 0;
  std::atomic<uint64_t> bytes_out_{0};
  std::atomic<uint64_t> clients_gone_{0};
};

}  // namespace pond::server
