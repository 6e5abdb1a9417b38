#pragma once
// Type mapping: what DuckDB sees for a PostgreSQL column (oid + typmod) and how its values
// travel. Types Pond decodes from PostgreSQL's binary format keep a native DuckDB type; every
// other type is cast to text on the server (`::text`, `::text[]` for arrays) and read as
// VARCHAR. docs/types.md lists the mapping. Pure functions over plain data; thread-safe.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "engine/column_type.hpp"

namespace pond::connectors::postgres {

// How a value is laid out in PostgreSQL's binary format.
enum class PgWire {
  boolean,
  int2,
  int4,
  int8,
  float4,
  float8,
  numeric,  // to DECIMAL(p,s) or DOUBLE, by the column type
  text,     // text, varchar, bpchar, name, "char", json, enums and everything cast to text
  jsonb,    // a version byte, then text
  bytea,
  date,
  time,
  timestamp,  // also timestamptz (both are microseconds since 2000-01-01)
  interval,
  uuid,
  array,  // one-dimensional, of `element`
};

struct PgType {
  PgWire wire = PgWire::text;
  engine::ColumnType column = engine::ColumnType::of(engine::TypeId::varchar);
  std::string cast;                       // appended to the column in SELECT lists ("::text")
  std::shared_ptr<const PgType> element;  // arrays

  bool native() const { return cast.empty(); }
};

// What pg_type says about a type that is not built in.
struct PgTypeRow {
  uint32_t oid = 0;
  char typtype = 'b';  // b base, d domain, e enum, c composite, r range, m multirange, p pseudo
  char category = 'U';
  uint32_t basetype = 0;  // domains
  int32_t basetypmod = -1;
  uint32_t element = 0;  // arrays (category 'A')
};
using PgTypeDirectory = std::map<uint32_t, PgTypeRow>;

// True for the types map_type() knows without asking pg_type.
bool is_builtin_type(uint32_t oid);
// The oids map_type() needs to look up for `oid` (itself, its base or element type ...) that
// `directory` does not hold yet.
std::set<uint32_t> missing_types(uint32_t oid, const PgTypeDirectory& directory);
PgType map_type(uint32_t oid, int32_t typmod, const PgTypeDirectory& directory);

// NUMERIC typmod → DECIMAL(p,s) when 1 <= p <= 38 and 0 <= s <= p, else std::nullopt (DOUBLE).
std::optional<std::pair<uint8_t, uint8_t>> numeric_precision(int32_t typmod);

}  // namespace pond::connectors::postgres
