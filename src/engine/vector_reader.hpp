#pragma once
// Internal to the engine: reads cells of a DuckDB vector into pond::engine::Value, and names
// logical types the way DuckDB prints them. Includes duckdb.h; never include it outside engine.

#include <duckdb.h>

#include <string>

#include "engine/value.hpp"

namespace pond::engine::detail {

TypeId type_id_of(duckdb_logical_type type);
std::string type_name_of(duckdb_logical_type type);

class SessionTimeZone;

// The value at `row` of `vector`, whose logical type is `type`. TIMESTAMP WITH TIME ZONE values
// print in `zone` (UTC when null).
Value read_value(duckdb_vector vector, duckdb_logical_type type, idx_t row, const SessionTimeZone* zone = nullptr);

}  // namespace pond::engine::detail
