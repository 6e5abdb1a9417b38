#pragma once
// Connection — one DuckDB connection: runs SQL, prepares statements (with a bounded LRU cache
// keyed by SQL text), creates appenders. Move-only. A connection is used by one thread at a
// time, except interrupt() and progress(), which any thread may call while a query runs.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "engine/prepared_statement.hpp"
#include "engine/result.hpp"
#include "engine/statement_cache.hpp"
#include "engine/value.hpp"

struct _duckdb_connection;

namespace pond::engine {

class Connection {
 public:
  static constexpr size_t kDefaultCacheCapacity = 128;

  explicit Connection(_duckdb_connection* handle);
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one statement (or several separated by ';' when materialized).
  Result query(std::string_view sql, ExecMode mode = ExecMode::materialized);
  // Runs one statement with bound parameters through the statement cache.
  Result execute(const std::string& sql, std::span<const Param> params, ExecMode mode = ExecMode::materialized);
  // Prepares without caching (each call parses and plans again).
  PreparedStatement prepare(const std::string& sql);
  // Prepares through the cache: the second call with the same text reuses the plan.
  std::shared_ptr<PreparedStatement> prepare_cached(const std::string& sql);
  StatementCache& statement_cache() { return cache_; }

  // Whether a table (not a view) exists in the current database; cheaper than querying
  // duckdb_tables(), whose first use builds every system view.
  bool table_exists(const std::string& schema, const std::string& table) const;
  // Cancels the running query; it fails with ErrorKind::cancelled. Thread-safe.
  void interrupt() const;
  // Percentage done of the running query, or -1 when unknown. Thread-safe.
  double progress() const;

  // DuckDB's number for this connection; a table function sees it as BindInput::connection_id.
  uint64_t id() const;

  _duckdb_connection* handle() const { return handle_; }

 private:
  _duckdb_connection* handle_ = nullptr;
  StatementCache cache_{kDefaultCacheCapacity};
};

}  // namespace pond::engine
