#include "connectors/postgres/pg_copy_decoder.hpp"

#include <bit>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

#include "connectors/postgres/pg_numeric.hpp"

namespace pond::connectors::postgres {
namespace {

using engine::TypeId;

constexpr std::string_view kCopySignature("PGCOPY\n\377\r\n\0", 11);
constexpr int32_t kDaysFrom1970To2000 = 10957;
constexpr int64_t kMicrosFrom1970To2000 = int64_t{kDaysFrom1970To2000} * 86400 * 1000000;
constexpr uint16_t kNumericPositive = 0x0000;
constexpr uint16_t kNumericNegative = 0x4000;

template <typename T>
T load(const char* p) {
  std::make_unsigned_t<T> raw;
  std::memcpy(&raw, p, sizeof(T));
  if constexpr (sizeof(T) == 2) raw = __builtin_bswap16(raw);
  if constexpr (sizeof(T) == 4) raw = __builtin_bswap32(raw);
  if constexpr (sizeof(T) == 8) raw = __builtin_bswap64(raw);
  return static_cast<T>(raw);
}

constexpr int64_t kPowers[] = {1,
                               10,
                               100,
                               1000,
                               10000,
                               100000,
                               1000000,
                               10000000,
                               100000000,
                               1000000000,
                               10000000000,
                               100000000000,
                               1000000000000,
                               10000000000000,
                               100000000000000,
                               1000000000000000,
                               10000000000000000,
                               100000000000000000,
                               1000000000000000000};

}  // namespace

CopyRowDecoder::CopyRowDecoder(std::vector<const PgType*> types, std::vector<size_t> outputs) {
  fields_.reserve(types.size());
  for (size_t i = 0; i < types.size(); ++i) {
    const PgType& type = *types[i];
    const TypeId id = type.column.id;
    Kind kind = Kind::other;
    switch (type.wire) {
      case PgWire::int2:
        if (id == TypeId::smallint) kind = Kind::int16;
        break;
      case PgWire::int4:
        if (id == TypeId::integer) kind = Kind::int32;
        break;
      case PgWire::int8:
        if (id == TypeId::bigint) kind = Kind::int64;
        break;
      case PgWire::float4:
        if (id == TypeId::float32) kind = Kind::float32;
        break;
      case PgWire::float8:
        if (id == TypeId::float64) kind = Kind::float64;
        break;
      case PgWire::boolean:
        if (id == TypeId::boolean) kind = Kind::boolean;
        break;
      case PgWire::date:
        if (id == TypeId::date) kind = Kind::date;
        break;
      case PgWire::timestamp:
        if (id == TypeId::timestamp || id == TypeId::timestamp_tz) kind = Kind::timestamp;
        break;
      case PgWire::text:
      case PgWire::bytea:
        kind = Kind::text;
        break;
      case PgWire::numeric:
        if (id == TypeId::decimal && type.column.width > 9 && type.column.width <= 18) kind = Kind::decimal64;
        break;
      default:
        break;
    }
    fields_.push_back(Field{&type, outputs[i], kind});
  }
}

void CopyRowDecoder::start_chunk(engine::OutputChunk& out) {
  vectors_.clear();
  for (const Field& field : fields_) vectors_.push_back(out.column(field.output));
}

CopyRowDecoder::Message CopyRowDecoder::decode(std::string_view message, size_t row) {
  const char* p = message.data();
  const char* end = p + message.size();
  auto need = [&](size_t n) {
    if (static_cast<size_t>(end - p) < n) throw MalformedValue("a COPY row ends early");
  };
  if (!header_read_) {
    need(kCopySignature.size() + 8);
    if (std::string_view(p, kCopySignature.size()) != kCopySignature) {
      throw MalformedValue("the COPY data has no binary header");
    }
    p += kCopySignature.size() + 4;  // and the flags
    uint32_t extension = load<uint32_t>(p);
    p += 4;
    need(extension);
    p += extension;
    header_read_ = true;
    if (p == end) return Message::header;
  }
  need(2);
  int16_t count = load<int16_t>(p);
  p += 2;
  if (count == -1) return Message::trailer;
  if (count < 0 || static_cast<size_t>(count) != fields_.size()) {
    throw MalformedValue("COPY sent " + std::to_string(count) + " columns, expected " + std::to_string(fields_.size()));
  }
  for (size_t i = 0; i < fields_.size(); ++i) {
    need(4);
    int32_t length = load<int32_t>(p);
    p += 4;
    if (length < 0) {
      vectors_[i].set_null(row);
      continue;
    }
    need(static_cast<size_t>(length));
    decode_field(i, p, static_cast<size_t>(length), row);
    p += length;
  }
  return Message::row;
}

void CopyRowDecoder::decode_field(size_t index, const char* bytes, size_t size, size_t row) {
  engine::OutputVector& vector = vectors_[index];
  auto fixed = [&](size_t expected) {
    if (size != expected) decode_generic(index, std::string_view(bytes, size), row);  // throws the exact error
    return size == expected;
  };
  switch (fields_[index].kind) {
    case Kind::int16:
      if (fixed(2)) vector.slots<int16_t>()[row] = load<int16_t>(bytes);
      return;
    case Kind::int32:
      if (fixed(4)) vector.slots<int32_t>()[row] = load<int32_t>(bytes);
      return;
    case Kind::int64:
      if (fixed(8)) vector.slots<int64_t>()[row] = load<int64_t>(bytes);
      return;
    case Kind::float32:
      if (fixed(4)) vector.slots<float>()[row] = std::bit_cast<float>(load<uint32_t>(bytes));
      return;
    case Kind::float64:
      if (fixed(8)) vector.slots<double>()[row] = std::bit_cast<double>(load<uint64_t>(bytes));
      return;
    case Kind::boolean:
      if (fixed(1)) vector.slots<bool>()[row] = bytes[0] != 0;
      return;
    case Kind::date: {
      if (!fixed(4)) return;
      int32_t days = load<int32_t>(bytes);
      // PostgreSQL's ±infinity dates: generic decoding keeps them as DuckDB's.
      if (days == std::numeric_limits<int32_t>::max() || days == std::numeric_limits<int32_t>::min()) {
        return decode_generic(index, std::string_view(bytes, size), row);
      }
      vector.slots<int32_t>()[row] = days + kDaysFrom1970To2000;
      return;
    }
    case Kind::timestamp: {
      if (!fixed(8)) return;
      int64_t micros = load<int64_t>(bytes);
      if (micros == std::numeric_limits<int64_t>::max() || micros == std::numeric_limits<int64_t>::min()) {
        return decode_generic(index, std::string_view(bytes, size), row);
      }
      vector.slots<int64_t>()[row] = micros + kMicrosFrom1970To2000;
      return;
    }
    case Kind::text:
      return vector.set_string(row, std::string_view(bytes, size));
    case Kind::decimal64:
      return decode_decimal(index, bytes, size, row);
    case Kind::other:
      return decode_generic(index, std::string_view(bytes, size), row);
  }
}

// numeric(p,s) with 10 <= p <= 18: the unscaled value in 64 bits. Anything unusual (NaN,
// infinities, a value too large, digits beyond 10^14 per term) takes the generic path, which
// decides exactly as before.
void CopyRowDecoder::decode_decimal(size_t index, const char* bytes, size_t size, size_t row) {
  const engine::ColumnType& column = fields_[index].type->column;
  if (size < 8) return decode_generic(index, std::string_view(bytes, size), row);
  const uint16_t ndigits = load<uint16_t>(bytes);
  const int weight = load<int16_t>(bytes + 2);
  const uint16_t sign = load<uint16_t>(bytes + 4);
  if (size != 8 + 2 * size_t{ndigits} || (sign != kNumericPositive && sign != kNumericNegative)) {
    return decode_generic(index, std::string_view(bytes, size), row);
  }
  int64_t value = 0;
  for (int i = 0; i < ndigits; ++i) {
    const int64_t digit = load<uint16_t>(bytes + 8 + 2 * i);
    if (digit == 0) continue;
    const int exponent = 4 * (weight - i) + column.scale;
    if (exponent > 14 || digit > 9999) return decode_generic(index, std::string_view(bytes, size), row);
    if (exponent >= 0) {
      value += digit * kPowers[exponent];
    } else if (exponent > -4) {
      value += digit / kPowers[-exponent];  // truncated, as numeric_unscaled does
    }
  }
  if (value >= kPowers[column.width]) return decode_generic(index, std::string_view(bytes, size), row);
  vectors_[index].slots<int64_t>()[row] = sign == kNumericNegative ? -value : value;
}

void CopyRowDecoder::decode_generic(size_t index, std::string_view bytes, size_t row) {
  try {
    decode_value(*fields_[index].type, bytes, vectors_[index], row);
  } catch (const MalformedField&) {
    throw;
  } catch (const MalformedValue& e) {
    throw MalformedField(index, e.what());
  }
}

}  // namespace pond::connectors::postgres
