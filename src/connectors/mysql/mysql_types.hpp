#pragma once
// Type mapping MySQL/MariaDB → DuckDB (the table is in docs/types.md). A MysqlColumn says what
// DuckDB sees and how the text-protocol cell is decoded into it. Columns of tables are mapped
// from information_schema.COLUMNS; columns of native queries from the result metadata
// (MYSQL_FIELD). Plain data.

#include <mysql.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "connectors/mysql/mysql_settings.hpp"
#include "engine/column_type.hpp"

namespace pond::connectors::mysql {

// How a cell's bytes become a DuckDB value.
enum class Decoding : uint8_t {
  signed_integer,    // decimal text → TINYINT..BIGINT, INTEGER (YEAR), BOOLEAN (TINYINT(1) option)
  unsigned_integer,  // decimal text → UTINYINT..UBIGINT
  decimal,           // "-123.45" → DECIMAL(p,s)
  floating,          // text → FLOAT / DOUBLE (also DECIMAL wider than 38 digits)
  text,              // bytes as they are → VARCHAR / BLOB
  date,              // YYYY-MM-DD → DATE; zero dates → NULL
  time,              // [-]HHH:MM:SS[.f] → TIME; outside 00:00–24:00 is an error
  time_as_interval,  // [-]HHH:MM:SS[.f] → INTERVAL
  timestamp,         // YYYY-MM-DD HH:MM:SS[.f] → TIMESTAMP / TIMESTAMPTZ (UTC); zero → NULL
  bit_boolean,       // BIT(1) raw byte → BOOLEAN
  bit_unsigned,      // BIT(n) raw big-endian bytes → UBIGINT
  uuid,              // MariaDB UUID text → UUID
};

struct MysqlColumn {
  std::string name;
  engine::ColumnType type;
  std::string remote_type;  // as the server declares it: "int(10) unsigned", "decimal(12,2)"
  Decoding decoding = Decoding::text;
};

// From information_schema.COLUMNS: DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE.
MysqlColumn map_declared_column(std::string name, std::string_view data_type, std::string_view column_type,
                                uint64_t precision, uint64_t scale, const MysqlSettings& settings);

// From the metadata of a result set (a native query's columns).
MysqlColumn map_result_field(const MYSQL_FIELD& field, const MysqlSettings& settings);

}  // namespace pond::connectors::mysql
