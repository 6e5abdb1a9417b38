#include "connectors/postgres/pg_types.hpp"

namespace pond::connectors::postgres {
namespace {

using engine::ColumnType;
using engine::TypeId;

constexpr int kMaxDepth = 8;  // domains of domains ...

PgType scalar(PgWire wire, TypeId id) { return PgType{wire, ColumnType::of(id), "", nullptr}; }

PgType as_text() { return PgType{PgWire::text, ColumnType::of(TypeId::varchar), "::text", nullptr}; }

std::optional<PgType> builtin(uint32_t oid, int32_t typmod) {
  switch (oid) {
    case 16:
      return scalar(PgWire::boolean, TypeId::boolean);
    case 17:
      return scalar(PgWire::bytea, TypeId::blob);
    case 18:    // "char"
    case 19:    // name
    case 25:    // text
    case 114:   // json
    case 1042:  // bpchar
    case 1043:  // varchar
      return scalar(PgWire::text, TypeId::varchar);
    case 20:
      return scalar(PgWire::int8, TypeId::bigint);
    case 21:
      return scalar(PgWire::int2, TypeId::smallint);
    case 23:
      return scalar(PgWire::int4, TypeId::integer);
    case 700:
      return scalar(PgWire::float4, TypeId::float32);
    case 701:
      return scalar(PgWire::float8, TypeId::float64);
    case 1082:
      return scalar(PgWire::date, TypeId::date);
    case 1083:
      return scalar(PgWire::time, TypeId::time);
    case 1114:
      return scalar(PgWire::timestamp, TypeId::timestamp);
    case 1184:
      return scalar(PgWire::timestamp, TypeId::timestamp_tz);
    case 1186:
      return scalar(PgWire::interval, TypeId::interval);
    case 2950:
      return scalar(PgWire::uuid, TypeId::uuid);
    case 3802:
      return scalar(PgWire::jsonb, TypeId::varchar);
    case 1700: {
      auto precision = numeric_precision(typmod);
      if (!precision) return scalar(PgWire::numeric, TypeId::float64);
      return PgType{PgWire::numeric, ColumnType::decimal(precision->first, precision->second), "", nullptr};
    }
    default:
      return std::nullopt;
  }
}

PgType map_at_depth(uint32_t oid, int32_t typmod, const PgTypeDirectory& directory, int depth) {
  if (auto type = builtin(oid, typmod)) return *type;
  auto it = directory.find(oid);
  if (it == directory.end() || depth > kMaxDepth) return as_text();
  const PgTypeRow& row = it->second;
  if (row.typtype == 'd') return map_at_depth(row.basetype, row.basetypmod, directory, depth + 1);
  if (row.typtype == 'e') return scalar(PgWire::text, TypeId::varchar);
  if (row.category == 'A' && row.element != 0) {
    // An array column's typmod is its elements' (numeric(10,2)[]).
    PgType element = map_at_depth(row.element, typmod, directory, depth + 1);
    if (!element.native() || element.wire == PgWire::array) {
      PgType text = scalar(PgWire::text, TypeId::varchar);
      return PgType{PgWire::array, ColumnType::list_of(text.column), "::text[]", std::make_shared<PgType>(text)};
    }
    ColumnType column = ColumnType::list_of(element.column);
    return PgType{PgWire::array, std::move(column), "", std::make_shared<PgType>(std::move(element))};
  }
  return as_text();
}

void collect_missing(uint32_t oid, const PgTypeDirectory& directory, std::set<uint32_t>& out, int depth) {
  if (is_builtin_type(oid) || depth > kMaxDepth) return;
  auto it = directory.find(oid);
  if (it == directory.end()) {
    out.insert(oid);
    return;
  }
  if (it->second.typtype == 'd') collect_missing(it->second.basetype, directory, out, depth + 1);
  if (it->second.category == 'A' && it->second.element != 0) {
    collect_missing(it->second.element, directory, out, depth + 1);
  }
}

}  // namespace

bool is_builtin_type(uint32_t oid) { return builtin(oid, -1).has_value(); }

std::set<uint32_t> missing_types(uint32_t oid, const PgTypeDirectory& directory) {
  std::set<uint32_t> out;
  collect_missing(oid, directory, out, 0);
  return out;
}

PgType map_type(uint32_t oid, int32_t typmod, const PgTypeDirectory& directory) {
  return map_at_depth(oid, typmod, directory, 0);
}

std::optional<std::pair<uint8_t, uint8_t>> numeric_precision(int32_t typmod) {
  constexpr int32_t kHeader = 4;  // VARHDRSZ
  if (typmod < kHeader) return std::nullopt;
  int32_t bits = typmod - kHeader;
  int32_t precision = (bits >> 16) & 0xffff;
  // PostgreSQL 15 stores the scale as an 11-bit signed number (it may be negative or > p).
  int32_t scale = ((bits & 0x7ff) ^ 1024) - 1024;
  if (precision < 1 || precision > 38 || scale < 0 || scale > precision) return std::nullopt;
  return std::pair<uint8_t, uint8_t>(static_cast<uint8_t>(precision), static_cast<uint8_t>(scale));
}

}  // namespace pond::connectors::postgres
