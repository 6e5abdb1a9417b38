#pragma once
// The checks on a parsed Catalog that need more than its text: files that must exist, globs
// that must match, DuckDB setting names and values, built-in extensions, secrets (no stored
// passwords, references that resolve), names that collide between sources, views and
// materializations, views that are not one valid SELECT or that name unknown sources, and
// materializations from unknown sources. Every problem is reported at once as
// file:line:column in one pond::Error(invalid_input). Touches no workspace: DuckDB checks run
// in a private in-memory database. Thread-safe.

#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "engine/connection.hpp"

namespace pond::catalog {

// What the target workspace already holds, so that references to it count as known.
struct WorkspaceNames {
  std::set<std::string> sources;    // registered source aliases (lower-case)
  std::set<std::string> secrets;    // secret names (lower-case)
  std::set<std::string> databases;  // attached databases and schemas (lower-case)
};

void validate_catalog(const Catalog& catalog, const WorkspaceNames& existing = {});

// The extensions `extensions:` may name: the ones built into Pond's DuckDB.
const std::set<std::string>& builtin_extensions();

// A table that a view's SQL names with a qualifier: `name` is its first part (a source,
// database or schema), `position` the character offset of the reference in the SQL.
struct SourceReference {
  std::string name;
  size_t position = 0;
};

// A table or view that SQL reads: the names as written (catalog and schema empty when not
// given) and the character offset of the reference.
struct TableReference {
  std::string catalog;
  std::string schema;
  std::string table;
  size_t position = 0;
  bool maybe_cte = false;  // unqualified and named like a CTE of the statement
};

// Every table reference in `sql` (FROM, JOIN, subqueries, CTE bodies and CTE names, set
// operations), found by DuckDB's parser (json_serialize_sql) on `connection`; nothing when
// the SQL does not parse.
std::vector<TableReference> table_references(engine::Connection& connection, const std::string& sql);

// Every qualified table reference in `sql` (FROM, JOIN, subqueries, CTE bodies, set
// operations), found by DuckDB's own parser (json_serialize_sql) on `connection`; nothing
// when the SQL does not parse. How a view's dependencies on sources are found.
std::vector<SourceReference> source_references(engine::Connection& connection, const std::string& sql);

// SET GLOBAL name = 'value', as the catalog applies a setting (extension settings such as
// TimeZone only exist once the workspace is open, so settings are not passed at open).
std::string setting_statement(const SettingSpec& setting);
// `message` with every occurrence of `value` replaced by ***.
std::string redact(std::string message, const std::string& value);

}  // namespace pond::catalog
