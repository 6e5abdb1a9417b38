#pragma once
// The contract between the workspace and a connector (one per external engine: SQLite,
// PostgreSQL, MySQL/MariaDB). A connector opens a RemoteSource for a registered source; the
// workspace exposes the source's tables to DuckDB as views `alias.schema.table` over the
// generic table functions pond_scan(alias, schema, table) and pond_query(alias, sql), which
// call back into the RemoteSource for the rows. Connectors never include duckdb.h.
//
// Thread safety: a RemoteSource is shared by every query and thread of the workspace; its
// methods must be thread-safe (a connection per scan, or a pool).

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/column_type.hpp"
#include "engine/table_function.hpp"
#include "workspace/source.hpp"

namespace pond::workspace {

struct RemoteColumn {
  std::string name;
  engine::ColumnType type;  // what DuckDB sees
  std::string remote_type;  // as the remote engine declares it
};

struct RemoteTable {
  std::string schema;
  std::string name;
  bool is_view = false;
  std::vector<RemoteColumn> columns;
};

// Everything a connector needs to connect. Secret values (password ...) are in `secret` and
// must never appear in an error message, a log line or the registry.
struct ConnectionSettings {
  std::string alias;
  std::string location;                        // file path or connection string (no password)
  std::map<std::string, std::string> options;  // from ATTACH (...), lower-case keys
  std::map<std::string, std::string> secret;   // resolved secret values, lower-case keys
  bool read_only = true;
};

// The query a scan belongs to: the id of the DuckDB connection that runs it
// (engine::Connection::id(), engine::BindInput::connection_id). Scans remember it so that
// RemoteSource::cancel_for(owner) stops only that query's remote statements.
using QueryOwner = uint64_t;
inline constexpr QueryOwner kNoOwner = ~QueryOwner{0};  // a scan started outside any query

class RemoteSource {
 public:
  virtual ~RemoteSource() = default;

  // Schemas, tables, views and their columns. May be cached; refresh() drops the cache.
  virtual std::vector<RemoteTable> tables() = 0;
  virtual void refresh() {}
  // The schema that `alias.table` (without a schema) refers to.
  virtual std::string default_schema() const = 0;
  // A scan of one table (projection pushdown through BoundScan::init), on behalf of `owner`.
  virtual std::unique_ptr<engine::BoundScan> scan_table(const std::string& schema, const std::string& table,
                                                        QueryOwner owner = kNoOwner) = 0;
  // A query in the remote engine's own SQL, run as written, on behalf of `owner`.
  virtual std::unique_ptr<engine::BoundScan> run_query(const std::string& sql, QueryOwner owner = kNoOwner) = 0;
  // Cancels the remote statements that scans of `owner` are running now; scans of other
  // owners go on. The cancelled scans fail with pond::Error(cancelled). Thread-safe.
  virtual void cancel_for(QueryOwner owner) = 0;
  // Cancels every remote statement this source is running now. Thread-safe.
  virtual void cancel() = 0;
  // Cheap round trip that fails with pond::Error(connector) when the source is unreachable.
  virtual void ping() = 0;
};

class Connector {
 public:
  virtual ~Connector() = default;
  virtual SourceKind kind() const = 0;
  // Connects (honouring connect timeouts) and returns the live source. Throws
  // pond::Error(connector / not_found / invalid_input) with a message that names the source
  // and never a secret.
  virtual std::unique_ptr<RemoteSource> open(const ConnectionSettings& settings) = 0;
};

}  // namespace pond::workspace
