#include "connectors/mysql/mysql_types.hpp"

#include <algorithm>
#include <cctype>

namespace pond::connectors::mysql {
namespace {

using engine::ColumnType;
using engine::TypeId;

constexpr unsigned kBinaryCharset = 63;  // MySQL's charset number for "binary"
constexpr uint64_t kMaxDecimalWidth = 38;

MysqlColumn column(std::string name, ColumnType type, std::string remote_type, Decoding decoding) {
  return MysqlColumn{std::move(name), std::move(type), std::move(remote_type), decoding};
}

MysqlColumn integer(std::string name, bool is_unsigned, TypeId signed_type, TypeId unsigned_type,
                    std::string remote_type) {
  if (is_unsigned) {
    return column(std::move(name), ColumnType::of(unsigned_type), std::move(remote_type), Decoding::unsigned_integer);
  }
  return column(std::move(name), ColumnType::of(signed_type), std::move(remote_type), Decoding::signed_integer);
}

MysqlColumn decimal(std::string name, uint64_t precision, uint64_t scale, std::string remote_type) {
  if (precision == 0 || precision > kMaxDecimalWidth || scale > precision) {
    return column(std::move(name), ColumnType::of(TypeId::float64), std::move(remote_type), Decoding::floating);
  }
  return column(std::move(name), ColumnType::decimal(static_cast<uint8_t>(precision), static_cast<uint8_t>(scale)),
                std::move(remote_type), Decoding::decimal);
}

MysqlColumn time_column(std::string name, const MysqlSettings& settings, std::string remote_type) {
  if (settings.time_as_interval) {
    return column(std::move(name), ColumnType::of(TypeId::interval), std::move(remote_type),
                  Decoding::time_as_interval);
  }
  return column(std::move(name), ColumnType::of(TypeId::time), std::move(remote_type), Decoding::time);
}

MysqlColumn bit_column(std::string name, uint64_t bits, std::string remote_type) {
  if (bits <= 1) {
    return column(std::move(name), ColumnType::of(TypeId::boolean), std::move(remote_type), Decoding::bit_boolean);
  }
  return column(std::move(name), ColumnType::of(TypeId::ubigint), std::move(remote_type), Decoding::bit_unsigned);
}

MysqlColumn text_or_blob(std::string name, bool binary, std::string remote_type) {
  return column(std::move(name), ColumnType::of(binary ? TypeId::blob : TypeId::varchar), std::move(remote_type),
                Decoding::text);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// MariaDB's name for a type carried as a string (uuid, inet6 ...), or "".
std::string extended_type_name(const MYSQL_FIELD& field) {
  MARIADB_CONST_STRING attr{nullptr, 0};
  if (mariadb_field_attr(&attr, &field, MARIADB_FIELD_ATTR_DATA_TYPE_NAME) != 0 || !attr.str) return "";
  return lower(std::string_view(attr.str, attr.length));
}

}  // namespace

MysqlColumn map_declared_column(std::string name, std::string_view data_type, std::string_view column_type,
                                uint64_t precision, uint64_t scale, const MysqlSettings& settings) {
  std::string type = lower(data_type);
  std::string full = lower(column_type);
  std::string remote(column_type);
  bool is_unsigned = full.find("unsigned") != std::string::npos;

  if (type == "tinyint") {
    if (settings.tinyint1_as_boolean && full.starts_with("tinyint(1)")) {
      return column(std::move(name), ColumnType::of(TypeId::boolean), remote, Decoding::signed_integer);
    }
    return integer(std::move(name), is_unsigned, TypeId::tinyint, TypeId::utinyint, remote);
  }
  if (type == "smallint") return integer(std::move(name), is_unsigned, TypeId::smallint, TypeId::usmallint, remote);
  if (type == "mediumint" || type == "int" || type == "integer") {
    return integer(std::move(name), is_unsigned, TypeId::integer, TypeId::uinteger, remote);
  }
  if (type == "bigint") return integer(std::move(name), is_unsigned, TypeId::bigint, TypeId::ubigint, remote);
  if (type == "decimal" || type == "numeric") return decimal(std::move(name), precision, scale, remote);
  if (type == "float") return column(std::move(name), ColumnType::of(TypeId::float32), remote, Decoding::floating);
  if (type == "double" || type == "real" || type == "double precision") {
    return column(std::move(name), ColumnType::of(TypeId::float64), remote, Decoding::floating);
  }
  if (type == "bit") return bit_column(std::move(name), precision, remote);
  if (type == "year") return column(std::move(name), ColumnType::of(TypeId::integer), remote, Decoding::signed_integer);
  if (type == "date") return column(std::move(name), ColumnType::of(TypeId::date), remote, Decoding::date);
  if (type == "time") return time_column(std::move(name), settings, remote);
  if (type == "datetime")
    return column(std::move(name), ColumnType::of(TypeId::timestamp), remote, Decoding::timestamp);
  if (type == "timestamp") {
    return column(std::move(name), ColumnType::of(TypeId::timestamp_tz), remote, Decoding::timestamp);
  }
  if (type == "uuid") return column(std::move(name), ColumnType::of(TypeId::uuid), remote, Decoding::uuid);
  static const char* const kBinary[] = {
      "binary", "varbinary",  "tinyblob", "blob",       "mediumblob",      "longblob",     "geometry",
      "point",  "linestring", "polygon",  "multipoint", "multilinestring", "multipolygon", "geometrycollection"};
  bool binary = std::find(std::begin(kBinary), std::end(kBinary), type) != std::end(kBinary);
  // char, varchar, *text, enum, set, json, inet4/inet6 and anything newer: text.
  return text_or_blob(std::move(name), binary, remote);
}

MysqlColumn map_result_field(const MYSQL_FIELD& field, const MysqlSettings& settings) {
  std::string name(field.name, field.name_length);
  bool is_unsigned = (field.flags & UNSIGNED_FLAG) != 0;
  bool binary = field.charsetnr == kBinaryCharset;
  std::string sign = is_unsigned ? " UNSIGNED" : "";
  switch (field.type) {
    case MYSQL_TYPE_TINY:
      if (settings.tinyint1_as_boolean && field.length == 1) {
        return column(std::move(name), ColumnType::of(TypeId::boolean), "TINYINT(1)", Decoding::signed_integer);
      }
      return integer(std::move(name), is_unsigned, TypeId::tinyint, TypeId::utinyint, "TINYINT" + sign);
    case MYSQL_TYPE_SHORT:
      return integer(std::move(name), is_unsigned, TypeId::smallint, TypeId::usmallint, "SMALLINT" + sign);
    case MYSQL_TYPE_INT24:
      return integer(std::move(name), is_unsigned, TypeId::integer, TypeId::uinteger, "MEDIUMINT" + sign);
    case MYSQL_TYPE_LONG:
      return integer(std::move(name), is_unsigned, TypeId::integer, TypeId::uinteger, "INT" + sign);
    case MYSQL_TYPE_LONGLONG:
      return integer(std::move(name), is_unsigned, TypeId::bigint, TypeId::ubigint, "BIGINT" + sign);
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL: {
      // The display length counts a sign (unless unsigned) and a point (when there is a scale).
      uint64_t precision = field.length - (field.decimals > 0 ? 1 : 0) - (is_unsigned || field.length == 0 ? 0 : 1);
      std::string remote = "DECIMAL(" + std::to_string(precision) + "," + std::to_string(field.decimals) + ")";
      return decimal(std::move(name), precision, field.decimals, remote);
    }
    case MYSQL_TYPE_FLOAT:
      return column(std::move(name), ColumnType::of(TypeId::float32), "FLOAT", Decoding::floating);
    case MYSQL_TYPE_DOUBLE:
      return column(std::move(name), ColumnType::of(TypeId::float64), "DOUBLE", Decoding::floating);
    case MYSQL_TYPE_BIT:
      return bit_column(std::move(name), field.length, "BIT(" + std::to_string(field.length) + ")");
    case MYSQL_TYPE_YEAR:
      return column(std::move(name), ColumnType::of(TypeId::integer), "YEAR", Decoding::signed_integer);
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE:
      return column(std::move(name), ColumnType::of(TypeId::date), "DATE", Decoding::date);
    case MYSQL_TYPE_TIME:
    case MYSQL_TYPE_TIME2:
      return time_column(std::move(name), settings, "TIME");
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_DATETIME2:
      return column(std::move(name), ColumnType::of(TypeId::timestamp), "DATETIME", Decoding::timestamp);
    case MYSQL_TYPE_TIMESTAMP:
    case MYSQL_TYPE_TIMESTAMP2:
      return column(std::move(name), ColumnType::of(TypeId::timestamp_tz), "TIMESTAMP", Decoding::timestamp);
    case MYSQL_TYPE_JSON:
      return text_or_blob(std::move(name), false, "JSON");
    case MYSQL_TYPE_GEOMETRY:
      return text_or_blob(std::move(name), true, "GEOMETRY");
    case MYSQL_TYPE_TINY_BLOB:
    case MYSQL_TYPE_MEDIUM_BLOB:
    case MYSQL_TYPE_LONG_BLOB:
    case MYSQL_TYPE_BLOB:
      return text_or_blob(std::move(name), binary, binary ? "BLOB" : "TEXT");
    case MYSQL_TYPE_ENUM:
    case MYSQL_TYPE_SET:
      return text_or_blob(std::move(name), false, field.type == MYSQL_TYPE_ENUM ? "ENUM" : "SET");
    default:
      if (extended_type_name(field) == "uuid") {
        return column(std::move(name), ColumnType::of(TypeId::uuid), "UUID", Decoding::uuid);
      }
      if (field.flags & (ENUM_FLAG | SET_FLAG)) {
        return text_or_blob(std::move(name), false, (field.flags & ENUM_FLAG) ? "ENUM" : "SET");
      }
      return text_or_blob(std::move(name), binary, binary ? "VARBINARY" : "VARCHAR");
  }
}

}  // namespace pond::connectors::mysql
