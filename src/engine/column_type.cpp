#include "engine/column_type.hpp"

namespace pond::engine {

std::string ColumnType::name() const {
  switch (id) {
    case TypeId::boolean:
      return "BOOLEAN";
    case TypeId::tinyint:
      return "TINYINT";
    case TypeId::smallint:
      return "SMALLINT";
    case TypeId::integer:
      return "INTEGER";
    case TypeId::bigint:
      return "BIGINT";
    case TypeId::hugeint:
      return "HUGEINT";
    case TypeId::utinyint:
      return "UTINYINT";
    case TypeId::usmallint:
      return "USMALLINT";
    case TypeId::uinteger:
      return "UINTEGER";
    case TypeId::ubigint:
      return "UBIGINT";
    case TypeId::float32:
      return "FLOAT";
    case TypeId::float64:
      return "DOUBLE";
    case TypeId::decimal:
      return "DECIMAL(" + std::to_string(width) + "," + std::to_string(scale) + ")";
    case TypeId::varchar:
      return "VARCHAR";
    case TypeId::blob:
      return "BLOB";
    case TypeId::date:
      return "DATE";
    case TypeId::time:
      return "TIME";
    case TypeId::timestamp:
      return "TIMESTAMP";
    case TypeId::timestamp_tz:
      return "TIMESTAMP WITH TIME ZONE";
    case TypeId::interval:
      return "INTERVAL";
    case TypeId::uuid:
      return "UUID";
    case TypeId::list:
      return (child ? child->name() : std::string("VARCHAR")) + "[]";
    case TypeId::enumeration:
      return "ENUM";
    default:
      return "VARCHAR";
  }
}

}  // namespace pond::engine
