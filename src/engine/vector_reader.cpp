#include "engine/vector_reader.hpp"

#include <array>
#include <cstdio>
#include <cstring>
#include <memory>

#include "engine/session_time_zone.hpp"

namespace pond::engine::detail {
namespace {

// DuckDB's HUGEINT and DECIMAL(38) need 128-bit arithmetic; GCC and Clang provide it.
__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

struct LogicalTypeDeleter {
  void operator()(duckdb_logical_type t) const { duckdb_destroy_logical_type(&t); }
};
using OwnedType = std::unique_ptr<std::remove_pointer_t<duckdb_logical_type>, LogicalTypeDeleter>;

struct DuckFree {
  void operator()(char* p) const { duckdb_free(p); }
};
std::string take_string(char* p) {
  std::unique_ptr<char, DuckFree> owned(p);
  return p ? std::string(p) : std::string();
}

std::string two(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

std::string format_date(duckdb_date d) {
  if (d.days == INT32_MAX) return "infinity";
  if (d.days == -INT32_MAX) return "-infinity";
  duckdb_date_struct s = duckdb_from_date(d);
  char buf[32];
  if (s.year <= 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d (BC)", 1 - s.year, s.month, s.day);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", s.year, s.month, s.day);
  }
  return buf;
}

std::string format_time_parts(int hour, int min, int sec, int64_t frac, int frac_digits) {
  std::string out = two(hour) + ":" + two(min) + ":" + two(sec);
  if (frac != 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%0*lld", frac_digits, static_cast<long long>(frac));
    std::string f(buf);
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

std::string format_time(duckdb_time t) {
  duckdb_time_struct s = duckdb_from_time(t);
  return format_time_parts(s.hour, s.min, s.sec, s.micros, 6);
}

}  // namespace

std::string format_timestamp_micros(int64_t micros) {
  if (micros == INT64_MAX) return "infinity";
  if (micros == -INT64_MAX) return "-infinity";
  duckdb_timestamp_struct s = duckdb_from_timestamp(duckdb_timestamp{micros});
  return format_date(duckdb_to_date(s.date)) + " " +
         format_time_parts(s.time.hour, s.time.min, s.time.sec, s.time.micros, 6);
}

namespace {

std::string format_timestamp_nanos(int64_t nanos) {
  int64_t micros = nanos / 1000;
  int64_t rest = nanos % 1000;
  if (rest < 0) {
    rest += 1000;
    micros -= 1;
  }
  duckdb_timestamp_struct s = duckdb_from_timestamp(duckdb_timestamp{micros});
  return format_date(duckdb_to_date(s.date)) + " " +
         format_time_parts(s.time.hour, s.time.min, s.time.sec, int64_t{s.time.micros} * 1000 + rest, 9);
}

std::string format_tz_offset(int offset_seconds) {
  char sign = offset_seconds < 0 ? '-' : '+';
  int abs = offset_seconds < 0 ? -offset_seconds : offset_seconds;
  std::string out(1, sign);
  out += two(abs / 3600);
  if (abs % 3600 != 0) out += ":" + two((abs % 3600) / 60);
  return out;
}

std::string format_interval(duckdb_interval iv) {
  std::string out;
  auto part = [&out](int64_t n, const char* unit) {
    if (n == 0) return;
    if (!out.empty()) out += " ";
    out += std::to_string(n) + " " + unit + (n == 1 || n == -1 ? "" : "s");
  };
  int64_t years = iv.months / 12;
  int64_t months = iv.months % 12;
  part(years, "year");
  part(months, "month");
  part(iv.days, "day");
  if (iv.micros != 0) {
    int64_t m = iv.micros;
    std::string sign;
    if (m < 0) {
      sign = "-";
      m = -m;
    }
    int64_t hours = m / 3600000000LL;
    m %= 3600000000LL;
    int64_t mins = m / 60000000LL;
    m %= 60000000LL;
    int64_t secs = m / 1000000LL;
    int64_t frac = m % 1000000LL;
    if (!out.empty()) out += " ";
    char buf[24];
    std::snprintf(buf, sizeof buf, "%02lld", static_cast<long long>(hours));
    out += sign + buf + ":" + two(static_cast<int>(mins)) + ":" + two(static_cast<int>(secs));
    if (frac != 0) {
      std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(frac));
      std::string f(buf);
      while (!f.empty() && f.back() == '0') f.pop_back();
      out += "." + f;
    }
  }
  return out.empty() ? "00:00:00" : out;
}

// 128-bit integers as decimal text.
std::string format_u128(u128 v) {
  if (v == 0) return "0";
  std::string out;
  while (v > 0) {
    out.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return std::string(out.rbegin(), out.rend());
}

std::string format_i128(i128 v) {
  if (v < 0) return "-" + format_u128(static_cast<u128>(-(v + 1)) + 1);
  return format_u128(static_cast<u128>(v));
}

i128 to_i128(duckdb_hugeint h) {
  return static_cast<i128>((static_cast<u128>(static_cast<uint64_t>(h.upper)) << 64) | h.lower);
}

std::string format_decimal(i128 unscaled, int scale) {
  std::string digits = format_u128(static_cast<u128>(unscaled < 0 ? -unscaled : unscaled));
  if (scale > 0) {
    if (static_cast<int>(digits.size()) <= scale) digits.insert(0, scale - digits.size() + 1, '0');
    digits.insert(digits.size() - scale, ".");
  }
  return (unscaled < 0 ? "-" : "") + digits;
}

std::string format_uuid(duckdb_hugeint h) {
  // DuckDB stores UUIDs with the top bit flipped so that they sort as unsigned.
  uint64_t upper = static_cast<uint64_t>(h.upper) ^ (uint64_t{1} << 63);
  uint64_t lower = h.lower;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(upper >> 32),
                static_cast<unsigned long long>((upper >> 16) & 0xffff),
                static_cast<unsigned long long>(upper & 0xffff), static_cast<unsigned long long>(lower >> 48),
                static_cast<unsigned long long>(lower & 0xffffffffffffULL));
  return buf;
}

std::string read_string(duckdb_vector vector, idx_t row) {
  auto* data = static_cast<duckdb_string_t*>(duckdb_vector_get_data(vector));
  duckdb_string_t* s = &data[row];
  return std::string(duckdb_string_t_data(s), duckdb_string_t_length(*s));
}

std::string format_blob(const std::string& bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (c >= 32 && c < 127 && c != '\\' && c != '\'' && c != '"') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
  }
  return out;
}

// DuckDB stores a BIT string as one byte counting the padding bits, then the bits, most
// significant first, with the padding at the front of the first byte.
std::string format_bits(const std::string& stored) {
  if (stored.empty()) return "";
  size_t padding = static_cast<unsigned char>(stored[0]);
  std::string out;
  out.reserve((stored.size() - 1) * 8);
  for (size_t byte = 1; byte < stored.size(); ++byte) {
    auto bits = static_cast<unsigned char>(stored[byte]);
    for (int bit = 7; bit >= 0; --bit) out.push_back((bits >> bit) & 1 ? '1' : '0');
  }
  return out.substr(std::min(padding, out.size()));
}

// DuckDB quotes text inside a list, struct or map only when reading it back would be
// ambiguous: empty, "NULL", leading or trailing space, or one of its delimiters.
bool nested_text_needs_quotes(std::string_view text) {
  if (text.empty()) return true;
  if (text.size() == 4 && (text[0] | 0x20) == 'n' && (text[1] | 0x20) == 'u' && (text[2] | 0x20) == 'l' &&
      (text[3] | 0x20) == 'l')
    return true;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  if (is_space(text.front()) || is_space(text.back())) return true;
  return text.find_first_of("\"'(),:=[]{}") != std::string_view::npos;
}

std::string quoted_nested_text(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

// Text of a nested element, as DuckDB prints it inside lists, structs and maps.
std::string nested_text(const Value& v) {
  if (v.is_null()) return "NULL";
  std::string text = v.to_string();
  bool nested = v.type() == TypeId::list || v.type() == TypeId::array || v.type() == TypeId::structure ||
                v.type() == TypeId::map || v.type() == TypeId::union_type;
  if (nested) return text;
  return nested_text_needs_quotes(text) ? quoted_nested_text(text) : text;
}

std::string read_list_range(duckdb_vector child, duckdb_logical_type child_type, uint64_t offset, uint64_t length,
                            const SessionTimeZone* zone) {
  std::string out = "[";
  for (uint64_t i = 0; i < length; ++i) {
    if (i) out += ", ";
    out += nested_text(read_value(child, child_type, offset + i, zone));
  }
  return out + "]";
}

template <typename T>
T at(duckdb_vector vector, idx_t row) {
  return static_cast<T*>(duckdb_vector_get_data(vector))[row];
}

}  // namespace

TypeId type_id_of(duckdb_logical_type type) {
  switch (duckdb_get_type_id(type)) {
    case DUCKDB_TYPE_BOOLEAN:
      return TypeId::boolean;
    case DUCKDB_TYPE_TINYINT:
      return TypeId::tinyint;
    case DUCKDB_TYPE_SMALLINT:
      return TypeId::smallint;
    case DUCKDB_TYPE_INTEGER:
      return TypeId::integer;
    case DUCKDB_TYPE_BIGINT:
      return TypeId::bigint;
    case DUCKDB_TYPE_HUGEINT:
      return TypeId::hugeint;
    case DUCKDB_TYPE_UTINYINT:
      return TypeId::utinyint;
    case DUCKDB_TYPE_USMALLINT:
      return TypeId::usmallint;
    case DUCKDB_TYPE_UINTEGER:
      return TypeId::uinteger;
    case DUCKDB_TYPE_UBIGINT:
      return TypeId::ubigint;
    case DUCKDB_TYPE_UHUGEINT:
      return TypeId::uhugeint;
    case DUCKDB_TYPE_FLOAT:
      return TypeId::float32;
    case DUCKDB_TYPE_DOUBLE:
      return TypeId::float64;
    case DUCKDB_TYPE_DECIMAL:
      return TypeId::decimal;
    case DUCKDB_TYPE_VARCHAR:
      return TypeId::varchar;
    case DUCKDB_TYPE_BLOB:
      return TypeId::blob;
    case DUCKDB_TYPE_DATE:
      return TypeId::date;
    case DUCKDB_TYPE_TIME:
      return TypeId::time;
    case DUCKDB_TYPE_TIME_TZ:
      return TypeId::time_tz;
    case DUCKDB_TYPE_TIMESTAMP:
      return TypeId::timestamp;
    case DUCKDB_TYPE_TIMESTAMP_S:
      return TypeId::timestamp_s;
    case DUCKDB_TYPE_TIMESTAMP_MS:
      return TypeId::timestamp_ms;
    case DUCKDB_TYPE_TIMESTAMP_NS:
      return TypeId::timestamp_ns;
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return TypeId::timestamp_tz;
    case DUCKDB_TYPE_INTERVAL:
      return TypeId::interval;
    case DUCKDB_TYPE_UUID:
      return TypeId::uuid;
    case DUCKDB_TYPE_ENUM:
      return TypeId::enumeration;
    case DUCKDB_TYPE_LIST:
      return TypeId::list;
    case DUCKDB_TYPE_ARRAY:
      return TypeId::array;
    case DUCKDB_TYPE_STRUCT:
      return TypeId::structure;
    case DUCKDB_TYPE_MAP:
      return TypeId::map;
    case DUCKDB_TYPE_UNION:
      return TypeId::union_type;
    case DUCKDB_TYPE_BIT:
      return TypeId::bit;
    case DUCKDB_TYPE_SQLNULL:
      return TypeId::null;
    default:
      return TypeId::other;
  }
}

std::string type_name_of(duckdb_logical_type type) {
  switch (duckdb_get_type_id(type)) {
    case DUCKDB_TYPE_BOOLEAN:
      return "BOOLEAN";
    case DUCKDB_TYPE_TINYINT:
      return "TINYINT";
    case DUCKDB_TYPE_SMALLINT:
      return "SMALLINT";
    case DUCKDB_TYPE_INTEGER:
      return "INTEGER";
    case DUCKDB_TYPE_BIGINT:
      return "BIGINT";
    case DUCKDB_TYPE_HUGEINT:
      return "HUGEINT";
    case DUCKDB_TYPE_UTINYINT:
      return "UTINYINT";
    case DUCKDB_TYPE_USMALLINT:
      return "USMALLINT";
    case DUCKDB_TYPE_UINTEGER:
      return "UINTEGER";
    case DUCKDB_TYPE_UBIGINT:
      return "UBIGINT";
    case DUCKDB_TYPE_UHUGEINT:
      return "UHUGEINT";
    case DUCKDB_TYPE_FLOAT:
      return "FLOAT";
    case DUCKDB_TYPE_DOUBLE:
      return "DOUBLE";
    case DUCKDB_TYPE_DECIMAL:
      return "DECIMAL(" + std::to_string(duckdb_decimal_width(type)) + "," +
             std::to_string(duckdb_decimal_scale(type)) + ")";
    case DUCKDB_TYPE_VARCHAR:
      return "VARCHAR";
    case DUCKDB_TYPE_BLOB:
      return "BLOB";
    case DUCKDB_TYPE_DATE:
      return "DATE";
    case DUCKDB_TYPE_TIME:
      return "TIME";
    case DUCKDB_TYPE_TIME_TZ:
      return "TIME WITH TIME ZONE";
    case DUCKDB_TYPE_TIMESTAMP:
      return "TIMESTAMP";
    case DUCKDB_TYPE_TIMESTAMP_S:
      return "TIMESTAMP_S";
    case DUCKDB_TYPE_TIMESTAMP_MS:
      return "TIMESTAMP_MS";
    case DUCKDB_TYPE_TIMESTAMP_NS:
      return "TIMESTAMP_NS";
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return "TIMESTAMP WITH TIME ZONE";
    case DUCKDB_TYPE_INTERVAL:
      return "INTERVAL";
    case DUCKDB_TYPE_UUID:
      return "UUID";
    case DUCKDB_TYPE_ENUM:
      return "ENUM";
    case DUCKDB_TYPE_LIST: {
      OwnedType child(duckdb_list_type_child_type(type));
      return type_name_of(child.get()) + "[]";
    }
    case DUCKDB_TYPE_ARRAY: {
      OwnedType child(duckdb_array_type_child_type(type));
      return type_name_of(child.get()) + "[" + std::to_string(duckdb_array_type_array_size(type)) + "]";
    }
    case DUCKDB_TYPE_STRUCT: {
      std::string out = "STRUCT(";
      idx_t n = duckdb_struct_type_child_count(type);
      for (idx_t i = 0; i < n; ++i) {
        OwnedType child(duckdb_struct_type_child_type(type, i));
        if (i) out += ", ";
        out += take_string(duckdb_struct_type_child_name(type, i)) + " " + type_name_of(child.get());
      }
      return out + ")";
    }
    case DUCKDB_TYPE_MAP: {
      OwnedType k(duckdb_map_type_key_type(type));
      OwnedType v(duckdb_map_type_value_type(type));
      return "MAP(" + type_name_of(k.get()) + ", " + type_name_of(v.get()) + ")";
    }
    case DUCKDB_TYPE_UNION:
      return "UNION";
    case DUCKDB_TYPE_BIT:
      return "BIT";
    case DUCKDB_TYPE_SQLNULL:
      return "NULL";
    case DUCKDB_TYPE_BIGNUM:
      return "BIGNUM";
    default:
      return "UNKNOWN";
  }
}

Value read_value(duckdb_vector vector, duckdb_logical_type type, idx_t row, const SessionTimeZone* zone) {
  uint64_t* validity = duckdb_vector_get_validity(vector);
  if (validity && !duckdb_validity_row_is_valid(validity, row)) return Value::null();
  TypeId id = type_id_of(type);
  switch (duckdb_get_type_id(type)) {
    case DUCKDB_TYPE_BOOLEAN:
      return Value(id, at<bool>(vector, row));
    case DUCKDB_TYPE_TINYINT:
      return Value(id, int64_t{at<int8_t>(vector, row)});
    case DUCKDB_TYPE_SMALLINT:
      return Value(id, int64_t{at<int16_t>(vector, row)});
    case DUCKDB_TYPE_INTEGER:
      return Value(id, int64_t{at<int32_t>(vector, row)});
    case DUCKDB_TYPE_BIGINT:
      return Value(id, at<int64_t>(vector, row));
    case DUCKDB_TYPE_UTINYINT:
      return Value(id, uint64_t{at<uint8_t>(vector, row)});
    case DUCKDB_TYPE_USMALLINT:
      return Value(id, uint64_t{at<uint16_t>(vector, row)});
    case DUCKDB_TYPE_UINTEGER:
      return Value(id, uint64_t{at<uint32_t>(vector, row)});
    case DUCKDB_TYPE_UBIGINT:
      return Value(id, at<uint64_t>(vector, row));
    case DUCKDB_TYPE_FLOAT:
      return Value(id, double{at<float>(vector, row)});
    case DUCKDB_TYPE_DOUBLE:
      return Value(id, at<double>(vector, row));
    case DUCKDB_TYPE_HUGEINT:
      return Value(id, format_i128(to_i128(at<duckdb_hugeint>(vector, row))));
    case DUCKDB_TYPE_UHUGEINT: {
      auto u = at<duckdb_uhugeint>(vector, row);
      return Value(id, format_u128((static_cast<u128>(u.upper) << 64) | u.lower));
    }
    case DUCKDB_TYPE_DECIMAL: {
      int scale = duckdb_decimal_scale(type);
      i128 unscaled = 0;
      switch (duckdb_decimal_internal_type(type)) {
        case DUCKDB_TYPE_SMALLINT:
          unscaled = at<int16_t>(vector, row);
          break;
        case DUCKDB_TYPE_INTEGER:
          unscaled = at<int32_t>(vector, row);
          break;
        case DUCKDB_TYPE_BIGINT:
          unscaled = at<int64_t>(vector, row);
          break;
        default:
          unscaled = to_i128(at<duckdb_hugeint>(vector, row));
          break;
      }
      return Value(id, format_decimal(unscaled, scale));
    }
    case DUCKDB_TYPE_VARCHAR:
      return Value(id, read_string(vector, row));
    case DUCKDB_TYPE_BLOB:
      return Value(id, format_blob(read_string(vector, row)));
    case DUCKDB_TYPE_BIT:
      return Value(id, format_bits(read_string(vector, row)));
    case DUCKDB_TYPE_DATE:
      return Value(id, format_date(at<duckdb_date>(vector, row)));
    case DUCKDB_TYPE_TIME:
      return Value(id, format_time(at<duckdb_time>(vector, row)));
    case DUCKDB_TYPE_TIME_TZ: {
      duckdb_time_tz_struct s = duckdb_from_time_tz(at<duckdb_time_tz>(vector, row));
      return Value(
          id, format_time_parts(s.time.hour, s.time.min, s.time.sec, s.time.micros, 6) + format_tz_offset(s.offset));
    }
    case DUCKDB_TYPE_TIMESTAMP:
      return Value(id, format_timestamp_micros(at<int64_t>(vector, row)));
    case DUCKDB_TYPE_TIMESTAMP_TZ: {
      static const SessionTimeZone kUtc("UTC");
      return Value(id, (zone ? zone : &kUtc)->format(at<int64_t>(vector, row)));
    }
    case DUCKDB_TYPE_TIMESTAMP_S:
      return Value(id, format_timestamp_micros(at<int64_t>(vector, row) * 1000000));
    case DUCKDB_TYPE_TIMESTAMP_MS:
      return Value(id, format_timestamp_micros(at<int64_t>(vector, row) * 1000));
    case DUCKDB_TYPE_TIMESTAMP_NS:
      return Value(id, format_timestamp_nanos(at<int64_t>(vector, row)));
    case DUCKDB_TYPE_INTERVAL:
      return Value(id, format_interval(at<duckdb_interval>(vector, row)));
    case DUCKDB_TYPE_UUID:
      return Value(id, format_uuid(at<duckdb_hugeint>(vector, row)));
    case DUCKDB_TYPE_ENUM: {
      uint64_t index = 0;
      switch (duckdb_enum_internal_type(type)) {
        case DUCKDB_TYPE_UTINYINT:
          index = at<uint8_t>(vector, row);
          break;
        case DUCKDB_TYPE_USMALLINT:
          index = at<uint16_t>(vector, row);
          break;
        default:
          index = at<uint32_t>(vector, row);
          break;
      }
      return Value(id, take_string(duckdb_enum_dictionary_value(type, index)));
    }
    case DUCKDB_TYPE_LIST: {
      auto entry = at<duckdb_list_entry>(vector, row);
      OwnedType child_type(duckdb_list_type_child_type(type));
      return Value(id, read_list_range(duckdb_list_vector_get_child(vector), child_type.get(), entry.offset,
                                       entry.length, zone));
    }
    case DUCKDB_TYPE_ARRAY: {
      idx_t size = duckdb_array_type_array_size(type);
      OwnedType child_type(duckdb_array_type_child_type(type));
      return Value(id,
                   read_list_range(duckdb_array_vector_get_child(vector), child_type.get(), row * size, size, zone));
    }
    case DUCKDB_TYPE_MAP: {
      auto entry = at<duckdb_list_entry>(vector, row);
      duckdb_vector entries = duckdb_list_vector_get_child(vector);
      OwnedType key_type(duckdb_map_type_key_type(type));
      OwnedType value_type(duckdb_map_type_value_type(type));
      duckdb_vector keys = duckdb_struct_vector_get_child(entries, 0);
      duckdb_vector values = duckdb_struct_vector_get_child(entries, 1);
      std::string out = "{";
      for (uint64_t i = 0; i < entry.length; ++i) {
        if (i) out += ", ";
        out += nested_text(read_value(keys, key_type.get(), entry.offset + i, zone)) + "=" +
               nested_text(read_value(values, value_type.get(), entry.offset + i, zone));
      }
      return Value(id, out + "}");
    }
    case DUCKDB_TYPE_STRUCT: {
      std::string out = "{";
      idx_t n = duckdb_struct_type_child_count(type);
      for (idx_t i = 0; i < n; ++i) {
        OwnedType child_type(duckdb_struct_type_child_type(type, i));
        if (i) out += ", ";
        out += quoted_nested_text(take_string(duckdb_struct_type_child_name(type, i))) + ": " +
               nested_text(read_value(duckdb_struct_vector_get_child(vector, i), child_type.get(), row, zone));
      }
      return Value(id, out + "}");
    }
    case DUCKDB_TYPE_UNION: {
      // A union is a struct whose first child is the tag.
      auto tag = at<uint8_t>(duckdb_struct_vector_get_child(vector, 0), row);
      OwnedType member_type(duckdb_union_type_member_type(type, tag));
      return Value(
          id, read_value(duckdb_struct_vector_get_child(vector, tag + 1), member_type.get(), row, zone).to_string());
    }
    default:
      return Value(TypeId::other, std::string("<unsupported type ") + type_name_of(type) + ">");
  }
}

}  // namespace pond::engine::detail
