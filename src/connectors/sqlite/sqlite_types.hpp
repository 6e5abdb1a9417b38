#pragma once
// How SQLite's dynamic typing maps onto DuckDB columns: by the declared type's affinity
// (https://sqlite.org/datatype3.html), with DATE / DATETIME / TIMESTAMP / BOOLEAN /
// DECIMAL(p,s) recognized as DuckDB's scanner does. A stored value that does not fit its
// column is an error naming table, column and row — or text, when ALL_VARCHAR is set.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/column_type.hpp"
#include "engine/table_function.hpp"

struct sqlite3_stmt;

namespace pond::connectors::sqlite {

engine::ColumnType column_type_for(std::string_view declared_type, bool all_varchar);

// Where a value came from, for error messages.
struct CellOrigin {
  const std::string* alias;
  const std::string* table;
  const std::string* column;
  int64_t row;       // 1-based position in this scan
  int rowid_column;  // column of the statement holding the rowid, or -1
};

// Writes column `col` of the current row of `stmt` into `out` at `row`.
void write_cell(sqlite3_stmt* stmt, int col, engine::OutputVector& out, size_t row, const CellOrigin& origin);

// Text forms SQLite applications use for dates and times.
std::optional<int32_t> parse_date(std::string_view text);
std::optional<int64_t> parse_timestamp_micros(std::string_view text);

}  // namespace pond::connectors::sqlite
