#include "engine/logical_type.hpp"

#include <vector>

namespace pond::engine {
namespace {

duckdb_type duckdb_type_of(TypeId id) {
  switch (id) {
    case TypeId::boolean:
      return DUCKDB_TYPE_BOOLEAN;
    case TypeId::tinyint:
      return DUCKDB_TYPE_TINYINT;
    case TypeId::smallint:
      return DUCKDB_TYPE_SMALLINT;
    case TypeId::integer:
      return DUCKDB_TYPE_INTEGER;
    case TypeId::bigint:
      return DUCKDB_TYPE_BIGINT;
    case TypeId::hugeint:
      return DUCKDB_TYPE_HUGEINT;
    case TypeId::utinyint:
      return DUCKDB_TYPE_UTINYINT;
    case TypeId::usmallint:
      return DUCKDB_TYPE_USMALLINT;
    case TypeId::uinteger:
      return DUCKDB_TYPE_UINTEGER;
    case TypeId::ubigint:
      return DUCKDB_TYPE_UBIGINT;
    case TypeId::float32:
      return DUCKDB_TYPE_FLOAT;
    case TypeId::float64:
      return DUCKDB_TYPE_DOUBLE;
    case TypeId::blob:
      return DUCKDB_TYPE_BLOB;
    case TypeId::date:
      return DUCKDB_TYPE_DATE;
    case TypeId::time:
      return DUCKDB_TYPE_TIME;
    case TypeId::timestamp:
      return DUCKDB_TYPE_TIMESTAMP;
    case TypeId::timestamp_tz:
      return DUCKDB_TYPE_TIMESTAMP_TZ;
    case TypeId::interval:
      return DUCKDB_TYPE_INTERVAL;
    case TypeId::uuid:
      return DUCKDB_TYPE_UUID;
    default:
      return DUCKDB_TYPE_VARCHAR;
  }
}

}  // namespace

OwnedLogicalType to_logical_type(const ColumnType& type) {
  switch (type.id) {
    case TypeId::decimal:
      return OwnedLogicalType(duckdb_create_decimal_type(type.width, type.scale));
    case TypeId::list: {
      OwnedLogicalType child = to_logical_type(type.child ? *type.child : ColumnType::of(TypeId::varchar));
      return OwnedLogicalType(duckdb_create_list_type(child.get()));
    }
    case TypeId::enumeration: {
      std::vector<const char*> names;
      for (const auto& v : type.enum_values) names.push_back(v.c_str());
      return OwnedLogicalType(duckdb_create_enum_type(names.data(), names.size()));
    }
    default:
      return OwnedLogicalType(duckdb_create_logical_type(duckdb_type_of(type.id)));
  }
}

}  // namespace pond::engine
