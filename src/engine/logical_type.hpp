#pragma once
// Internal to the engine: owning wrapper of duckdb_logical_type and conversion from ColumnType.

#include <duckdb.h>

#include <memory>
#include <type_traits>

#include "engine/column_type.hpp"

namespace pond::engine {

struct LogicalTypeDeleter {
  void operator()(duckdb_logical_type t) const { duckdb_destroy_logical_type(&t); }
};
using OwnedLogicalType = std::unique_ptr<std::remove_pointer_t<duckdb_logical_type>, LogicalTypeDeleter>;

OwnedLogicalType to_logical_type(const ColumnType& type);

}  // namespace pond::engine
