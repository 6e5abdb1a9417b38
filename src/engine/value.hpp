#pragma once
// Value — one cell read from a DuckDB result, and Param — one value bound to a prepared
// statement. Numbers keep their C++ type; everything DuckDB renders as text (decimals, dates,
// timestamps, intervals, uuids, nested types) is kept as DuckDB-style text so that no
// precision is lost. Values are plain data: copyable, no handles.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace pond::engine {

enum class TypeId {
  null,
  boolean,
  tinyint,
  smallint,
  integer,
  bigint,
  hugeint,
  utinyint,
  usmallint,
  uinteger,
  ubigint,
  uhugeint,
  float32,
  float64,
  decimal,
  varchar,
  blob,
  date,
  time,
  time_tz,
  timestamp,
  timestamp_s,
  timestamp_ms,
  timestamp_ns,
  timestamp_tz,
  interval,
  uuid,
  enumeration,
  list,
  array,
  structure,
  map,
  union_type,
  bit,
  other,
};

// True for types a table renders right-aligned.
bool is_numeric(TypeId type);

class Value {
 public:
  using Storage = std::variant<std::monostate, bool, int64_t, uint64_t, double, std::string>;

  Value() = default;
  Value(TypeId type, Storage storage) : type_(type), storage_(std::move(storage)) {}

  static Value null() { return Value(); }

  TypeId type() const { return type_; }
  bool is_null() const { return std::holds_alternative<std::monostate>(storage_); }

  // Typed access; each throws pond::Error(invalid_input) when the value cannot convert.
  bool as_bool() const;
  int64_t as_int64() const;
  double as_double() const;
  // DuckDB's text form of the value ("NULL" is not produced here: check is_null()).
  std::string to_string() const;

  const Storage& storage() const { return storage_; }
  bool operator==(const Value& other) const = default;

 private:
  TypeId type_ = TypeId::null;
  Storage storage_;
};

// A value bound to a '?' or '$n' placeholder.
using Param = std::variant<std::nullptr_t, bool, int64_t, double, std::string>;

}  // namespace pond::engine
