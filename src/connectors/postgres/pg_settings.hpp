#pragma once
// PgSettings — how to reach one PostgreSQL source: the libpq keyword/value pairs merged from
// the source's connection string (no password) and its secret, and the connector's options.
// It is also the one place that words errors: every message names the source alias and the
// server (host:port/dbname) and is scrubbed of the password. Immutable after from(); shared
// read-only by every thread of the source.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/error.hpp"
#include "workspace/connector.hpp"

namespace pond::connectors::postgres {

// ATTACH options, by name. Unknown names are rejected.
struct PgOptions {
  int connect_timeout_s = 10;                   // connect_timeout: seconds to wait for a connection
  std::optional<int64_t> statement_timeout_ms;  // statement_timeout: server-side limit per statement
  std::optional<std::string> schema;            // schema: list only this schema (and make it the default)
  // pages_per_task: 8 KiB pages per parallel ctid range. Each range is one COPY statement the
  // server must plan and start, and ranges reach DuckDB in order (a connection that runs ahead
  // waits after PrefetchedScan::kDepth chunks). Measured on 2M rows (2 cores): 128 pages was
  // 8% slower than 400 or 1000 (per-statement cost); 400 (~16 chunks of narrow rows) lets a
  // connection run several ranges ahead; with kDepth 64, 1000 pages measured the same.
  uint64_t pages_per_task = 400;
  size_t max_connections = 4;  // max_connections: connections one scan may use
};

class PgSettings {
 public:
  // Throws pond::Error(invalid_input) for a malformed connection string, a password inside it
  // or a bad option.
  static PgSettings from(const workspace::ConnectionSettings& settings);

  const std::string& alias() const { return alias_; }
  const std::string& server() const { return server_; }  // host:port/dbname
  const PgOptions& options() const { return options_; }
  bool read_only() const { return read_only_; }
  // For PQconnectdbParams; holds the password: never print.
  const std::vector<std::pair<std::string, std::string>>& params() const { return params_; }

  // `message` with every occurrence of the password replaced.
  std::string scrub(std::string message) const;
  // "postgres source 'alias' (server): what", scrubbed.
  std::string describe(const std::string& what) const;
  Error error(ErrorKind kind, const std::string& what, Retry retry = Retry::may_help) const {
    return Error(kind, describe(what), retry);
  }

 private:
  std::string alias_;
  std::string server_;
  std::string password_;
  PgOptions options_;
  bool read_only_ = true;
  std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace pond::connectors::postgres
