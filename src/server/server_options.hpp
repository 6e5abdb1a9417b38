#pragma once
// ServerOptions — every knob of `pond serve`, with the defaults documented in
// docs/http-api.md. Plain data; copyable.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace pond::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 7878;  // 0: any free port (printed at start)
  // Required when `host` is not a loopback address. Empty: no authentication.
  std::string token;
  // Folders that file sources (DuckDB, SQLite, CSV/Parquet/JSON) must live in. Empty: the
  // current directory.
  std::vector<std::string> roots;

  size_t workers = 64;                 // HTTP worker threads (one per open connection)
  size_t max_concurrent_queries = 32;  // running queries; beyond: 503
  size_t max_held_results = 64;        // results held for fetchArrow; beyond: 503
  std::chrono::milliseconds query_timeout{60'000};
  std::chrono::milliseconds result_ttl{60'000};  // idle held results expire after this
  std::chrono::milliseconds grace_period{10'000};
  size_t max_request_bytes = 1 << 20;
  size_t max_result_bytes = size_t(1) << 30;  // per response
  size_t default_page_rows = 65'536;          // fetchArrow page size when not given
  int io_timeout_seconds = 30;                // a client that neither reads nor writes this long is cut off
  bool log_requests = false;                  // one line per request on stderr (method, path, status, ms)
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback(const std::string& host);

}  // namespace pond::server
