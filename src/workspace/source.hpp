#pragma once
// What the workspace knows about one registered source: the persistent record (stored in the
// registry table inside the workspace file) and its live state in this process.

#include <string>
#include <string_view>
#include <vector>

namespace pond::workspace {

enum class SourceKind {
  duckdb,  // a DuckDB database file, ATTACHed under the alias
  files,   // CSV / Parquet / JSON file(s) or a glob, exposed as a view named by the alias
  sqlite,
  postgres,
  mysql,
};

std::string_view source_kind_name(SourceKind kind);
// Parses "duckdb", "files", "sqlite", "postgres", "mysql" (case-insensitive); throws usage error.
SourceKind parse_source_kind(std::string_view text);

// The persistent part. Never holds a secret: connectors store secret *names* in options.
struct SourceRecord {
  std::string alias;
  SourceKind kind = SourceKind::duckdb;
  std::string location;  // absolute path, glob or connection string without password
  std::string format;    // files: csv | parquet | json; empty otherwise
  bool read_only = false;
  std::string options;     // JSON object with kind-specific options
  std::string created_at;  // as stored (UTC timestamp text)
};

// A record plus what happened when this process restored it.
// One column of a table or view inside a source (SHOW SOURCE alias).
struct SourceColumn {
  std::string schema;
  std::string table;
  bool is_view = false;
  std::string name;
  std::string type;         // as DuckDB sees it
  std::string remote_type;  // as the source declares it (the DuckDB type for DuckDB sources)
};

struct SourceInfo {
  SourceRecord record;
  bool available = false;
  std::string reason;  // why it is unavailable; empty when available
  // The failure will not pass by itself (a wrong password, an unknown user or database):
  // the source is not retried on its next use, only once a secret changes, on reopen, or by
  // an explicit test of its connection (Workspace::ping_source).
  bool retry_futile = false;
  std::vector<std::string> tables;  // "schema.table" inside the source (views included)
};

}  // namespace pond::workspace
