#pragma once
// Decoding of text-protocol cells (what mysql_fetch_row returns) into DuckDB output vectors,
// without allocation: std::from_chars for numbers, hand-written parsers for dates and times.
// Stateless; thread-safe.

#include <cstdint>
#include <string_view>

#include "connectors/mysql/mysql_types.hpp"
#include "engine/table_function.hpp"

namespace pond::connectors::mysql {

// Writes the (non-NULL) cell into `out` at `row`. Returns nullptr, or a short reason why the
// text does not fit the column's type (the caller names table, column and row).
const char* decode_cell(const MysqlColumn& column, std::string_view cell, engine::OutputVector& out, size_t row);

enum class DateParse { ok, zero, invalid };

// "YYYY-MM-DD" → days since 1970-01-01. A zero month or day ('0000-00-00') gives zero.
DateParse parse_date(std::string_view text, int32_t& days);
// "YYYY-MM-DD HH:MM:SS[.ffffff]" → microseconds since the epoch.
DateParse parse_timestamp(std::string_view text, int64_t& micros);
// "[-]HHH:MM:SS[.ffffff]" → signed microseconds.
bool parse_time(std::string_view text, int64_t& micros);
// "-123.45" with `scale` fraction digits → the unscaled value as high and low 64-bit halves.
bool parse_decimal(std::string_view text, unsigned scale, int64_t& high, uint64_t& low);

}  // namespace pond::connectors::mysql
