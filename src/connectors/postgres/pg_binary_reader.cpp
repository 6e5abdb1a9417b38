#include "connectors/postgres/pg_binary_reader.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "connectors/postgres/pg_numeric.hpp"

namespace pond::connectors::postgres {
namespace {

constexpr int32_t kDaysFrom1970To2000 = 10957;
constexpr int64_t kMicrosFrom1970To2000 = int64_t{kDaysFrom1970To2000} * 86400 * 1000000;

// Reads big-endian numbers from a bounded buffer.
class Bytes {
 public:
  explicit Bytes(std::string_view data) : data_(data) {}

  template <typename T>
  T read() {
    need(sizeof(T));
    std::make_unsigned_t<T> value = 0;
    for (size_t i = 0; i < sizeof(T); ++i) value = static_cast<decltype(value)>((value << 8) | uint8_t(data_[i]));
    data_.remove_prefix(sizeof(T));
    return static_cast<T>(value);
  }
  std::string_view take(size_t n) {
    need(n);
    std::string_view out = data_.substr(0, n);
    data_.remove_prefix(n);
    return out;
  }
  size_t left() const { return data_.size(); }

 private:
  void need(size_t n) const {
    if (data_.size() < n) throw MalformedValue("the data ends early");
  }
  std::string_view data_;
};

void expect_size(std::string_view bytes, size_t size, const char* type) {
  if (bytes.size() != size) {
    throw MalformedValue(std::string("a ") + type + " value has " + std::to_string(bytes.size()) + " bytes, not " +
                         std::to_string(size));
  }
}

template <typename T>
T fixed(std::string_view bytes, const char* type) {
  expect_size(bytes, sizeof(T), type);
  return Bytes(bytes).read<T>();
}

int32_t duckdb_date(int32_t pg_days) {
  if (pg_days == std::numeric_limits<int32_t>::max()) return std::numeric_limits<int32_t>::max();
  if (pg_days == std::numeric_limits<int32_t>::min()) return -std::numeric_limits<int32_t>::max();
  return pg_days + kDaysFrom1970To2000;
}

int64_t duckdb_timestamp(int64_t pg_micros) {
  if (pg_micros == std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (pg_micros == std::numeric_limits<int64_t>::min()) return -std::numeric_limits<int64_t>::max();
  return pg_micros + kMicrosFrom1970To2000;
}

void decode_numeric(const PgType& type, std::string_view bytes, engine::OutputVector& out, size_t row) {
  std::optional<PgNumeric> numeric = parse_numeric(bytes);
  if (!numeric) throw MalformedValue("a numeric value is malformed");
  if (type.column.id != engine::TypeId::decimal) {
    out.set_double(row, numeric_to_double(*numeric));
    return;
  }
  std::optional<Int128> unscaled = numeric_unscaled(*numeric, type.column.scale);
  if (!unscaled) {
    // NaN (allowed in numeric(p,s) columns) has no DECIMAL counterpart.
    if (numeric->special != PgNumeric::Special::none) return out.set_null(row);
    throw MalformedValue("a numeric value does not fit " + type.column.name());
  }
  out.set_decimal(row, static_cast<int64_t>(*unscaled >> 64), static_cast<uint64_t>(*unscaled));
}

void decode_array(const PgType& type, std::string_view bytes, engine::OutputVector& out, size_t row) {
  Bytes in(bytes);
  int32_t dimensions = in.read<int32_t>();
  in.read<int32_t>();   // has-nulls flag
  in.read<uint32_t>();  // element type
  uint64_t offset = out.list_size();
  if (dimensions == 0) return out.set_list(row, offset, 0);
  if (dimensions != 1) {
    throw MalformedValue("holds a " + std::to_string(dimensions) +
                         "-dimensional array; Pond reads one-dimensional arrays as LISTs (use pond_query with unnest() "
                         "or array_to_string())");
  }
  int32_t count = in.read<int32_t>();
  in.read<int32_t>();  // lower bound
  if (count < 0) throw MalformedValue("an array has a negative length");
  out.list_reserve(offset + static_cast<uint64_t>(count));
  engine::OutputVector child = out.list_child();
  for (int32_t i = 0; i < count; ++i) {
    int32_t length = in.read<int32_t>();
    if (length < 0) {
      child.set_null(offset + static_cast<uint64_t>(i));
    } else {
      decode_value(*type.element, in.take(static_cast<size_t>(length)), child, offset + static_cast<uint64_t>(i));
    }
  }
  out.list_set_size(offset + static_cast<uint64_t>(count));
  out.set_list(row, offset, static_cast<uint64_t>(count));
}

}  // namespace

void decode_value(const PgType& type, std::string_view bytes, engine::OutputVector& out, size_t row) {
  switch (type.wire) {
    case PgWire::boolean:
      return out.set_bool(row, fixed<uint8_t>(bytes, "boolean") != 0);
    case PgWire::int2:
      return out.set_int(row, fixed<int16_t>(bytes, "smallint"));
    case PgWire::int4:
      return out.set_int(row, fixed<int32_t>(bytes, "integer"));
    case PgWire::int8:
      return out.set_int(row, fixed<int64_t>(bytes, "bigint"));
    case PgWire::float4:
      return out.set_double(row, std::bit_cast<float>(fixed<uint32_t>(bytes, "real")));
    case PgWire::float8:
      return out.set_double(row, std::bit_cast<double>(fixed<uint64_t>(bytes, "double precision")));
    case PgWire::numeric:
      return decode_numeric(type, bytes, out, row);
    case PgWire::text:
    case PgWire::bytea:
      return out.set_string(row, bytes);
    case PgWire::jsonb:
      if (bytes.empty() || bytes[0] != 1) throw MalformedValue("a jsonb value has an unknown version");
      return out.set_string(row, bytes.substr(1));
    case PgWire::date:
      return out.set_date(row, duckdb_date(fixed<int32_t>(bytes, "date")));
    case PgWire::time:
      return out.set_time(row, fixed<int64_t>(bytes, "time"));
    case PgWire::timestamp:
      return out.set_timestamp(row, duckdb_timestamp(fixed<int64_t>(bytes, "timestamp")));
    case PgWire::interval: {
      expect_size(bytes, 16, "interval");
      Bytes in(bytes);
      int64_t micros = in.read<int64_t>();
      int32_t days = in.read<int32_t>();
      int32_t months = in.read<int32_t>();
      return out.set_interval(row, months, days, micros);
    }
    case PgWire::uuid: {
      expect_size(bytes, 16, "uuid");
      Bytes in(bytes);
      uint64_t high = in.read<uint64_t>();
      return out.set_uuid(row, high, in.read<uint64_t>());
    }
    case PgWire::array:
      return decode_array(type, bytes, out, row);
  }
}

}  // namespace pond::connectors::postgres
