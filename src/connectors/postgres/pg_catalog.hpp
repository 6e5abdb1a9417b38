#pragma once
// The catalog of a PostgreSQL source read from pg_catalog: relations (tables, views,
// materialized views, partitioned and foreign tables) with their columns and the DuckDB types
// they map to. Functions over one connection, used by one thread at a time.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "connectors/postgres/pg_connection.hpp"
#include "connectors/postgres/pg_types.hpp"

namespace pond::connectors::postgres {

struct PgColumn {
  std::string name;
  PgType type;
  std::string remote_type;  // format_type(): "numeric(12,2)", "integer[]" ...
};

struct PgRelation {
  std::string schema;
  std::string name;
  char relkind = 'r';  // r table, v view, m materialized view, p partitioned, f foreign
  uint64_t pages = 0;  // of the main fork; exact when loaded by load_relation()
  double reltuples = -1;
  std::vector<PgColumn> columns;

  bool is_view() const { return relkind == 'v' || relkind == 'm'; }
};

// Every relation outside the system schemas, in schema and name order; only those of
// `schema` when given.
std::vector<PgRelation> load_relations(PgConnection& connection, const std::optional<std::string>& schema);
// One relation by exact name (system schemas included); std::nullopt when it does not exist.
std::optional<PgRelation> load_relation(PgConnection& connection, const std::string& schema, const std::string& name);
// Adds to `directory` what map_type() needs to know about `oids` (enums, domains, arrays).
void load_types(PgConnection& connection, const std::vector<uint32_t>& oids, PgTypeDirectory& directory);

}  // namespace pond::connectors::postgres
