#pragma once
// Catalog — what one catalog file (plus the files it includes) declares: the workspace, DuckDB
// settings, extensions, secrets, sources, views and materializations. Every item keeps the
// place it was declared (file:line:column) so that errors can point at it. Values are final:
// ${VAR} references are resolved and relative paths are absolute. Plain data, no invariants
// beyond what CatalogParser guarantees; copyable; not shared between threads.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pond::catalog {

// A place in a catalog file. line and column count from 1; 0 when unknown.
struct Location {
  std::string file;  // as shown to the user (the path given, or include paths joined to it)
  int line = 0;
  int column = 0;

  // "file:line:column"
  std::string to_string() const;
};

struct SettingSpec {
  std::string name;
  std::string value;
  Location at;
};

struct ExtensionSpec {
  std::string name;
  Location at;
};

struct SecretSpec {
  std::string name;
  std::string type;  // postgres | mysql
  bool persistent = false;
  // Lower-case keys: user, password, password_env, password_file, host, port, database, sslmode.
  // `password` may hold a real password (from ${VAR}): never print these values.
  std::map<std::string, std::string> fields;
  Location at;
  std::map<std::string, Location> field_at;
};

struct SourceSpec {
  std::string name;
  std::string type;      // duckdb | sqlite | postgres | mysql | files
  std::string location;  // absolute path or glob (file kinds), connection string (servers)
  std::string format;    // files: csv | parquet | json, or empty (from the extension)
  bool read_only = false;
  std::string secret;                          // servers: name of a secret of this catalog or the workspace
  std::map<std::string, std::string> options;  // connector options (connect_timeout, ...), lower-case keys
  int retries = 2;                             // connect attempts after the first one fails
  double retry_backoff_s = 1.0;                // wait before the first retry; doubles each time
  Location at;
  Location location_at;
  Location secret_at;
};

struct ViewSpec {
  std::string name;
  std::string sql;
  std::string sql_file;  // absolute path when the SQL came from a file
  Location at;
  Location sql_at;  // where the SQL (or the sql_file key) is
};

struct MaterializationSpec {
  std::string name;
  std::string source;
  std::string query;
  bool persistent = false;
  Location at;
  Location source_at;
};

struct Catalog {
  std::filesystem::path file;  // the top catalog file, absolute
  int version = 1;
  std::string workspace = ":memory:";  // absolute path or ":memory:"
  Location workspace_at;
  std::vector<SettingSpec> settings;
  std::vector<ExtensionSpec> extensions;
  std::vector<SecretSpec> secrets;
  std::vector<SourceSpec> sources;
  std::vector<ViewSpec> views;
  std::vector<MaterializationSpec> materializations;
  std::vector<std::filesystem::path> included;  // every file read, the top one first

  const SourceSpec* find_source(const std::string& name) const;
  const SecretSpec* find_secret(const std::string& name) const;
};

}  // namespace pond::catalog
