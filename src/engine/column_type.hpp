#pragma once
// ColumnType — a DuckDB logical type described without duckdb.h, so that connectors can say
// what their table functions return. Plain data; copyable.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/value.hpp"

namespace pond::engine {

struct ColumnType {
  TypeId id = TypeId::varchar;
  uint8_t width = 0;                        // DECIMAL precision
  uint8_t scale = 0;                        // DECIMAL scale
  std::shared_ptr<const ColumnType> child;  // LIST element type
  std::vector<std::string> enum_values;     // ENUM dictionary

  static ColumnType of(TypeId id) { return ColumnType{id, 0, 0, nullptr, {}}; }
  static ColumnType decimal(uint8_t width, uint8_t scale) {
    return ColumnType{TypeId::decimal, width, scale, nullptr, {}};
  }
  static ColumnType list_of(ColumnType element) {
    return ColumnType{TypeId::list, 0, 0, std::make_shared<const ColumnType>(std::move(element)), {}};
  }
  static ColumnType enumeration(std::vector<std::string> values) {
    return ColumnType{TypeId::enumeration, 0, 0, nullptr, std::move(values)};
  }

  // DuckDB's name for the type: BIGINT, DECIMAL(12,2), VARCHAR[] ...
  std::string name() const;
};

}  // namespace pond::engine
