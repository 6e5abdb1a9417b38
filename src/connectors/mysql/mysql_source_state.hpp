#pragma once
// What a MySQL source shares with the scans it starts: settings, the connection pool and the
// registry of running queries. Scans hold it by shared_ptr, so it outlives a source that is
// detached while DuckDB still runs one of its scans. Thread-safe.

#include <atomic>
#include <mutex>
#include <string>

#include "connectors/mysql/mysql_active_queries.hpp"
#include "connectors/mysql/mysql_connection_pool.hpp"
#include "connectors/mysql/mysql_settings.hpp"

namespace pond::connectors::mysql {

struct MysqlSourceState {
  explicit MysqlSourceState(const MysqlSettings& s) : settings(s), pool(s) {}

  const MysqlSettings settings;
  MysqlConnectionPool pool;
  MysqlActiveQueries active;
  // Set by a scan that found its table gone; the source reloads its catalog.
  std::atomic<bool> catalog_stale{false};

  // The statement the most recent scan sent (diagnostics and tests).
  void record_statement(const std::string& sql) {
    std::lock_guard lock(statement_mutex);
    last_statement = sql;
  }
  std::string statement() {
    std::lock_guard lock(statement_mutex);
    return last_statement;
  }

 private:
  std::mutex statement_mutex;
  std::string last_statement;
};

}  // namespace pond::connectors::mysql
