#include "connectors/sqlite/sqlite_types.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "engine/error.hpp"

namespace pond::connectors::sqlite {
namespace {

using engine::ColumnType;
using engine::TypeId;

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

bool contains(const std::string& haystack, const char* needle) { return haystack.find(needle) != std::string::npos; }

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int32_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

// Reads exactly `len` decimal digits at `pos` (no sign, no spaces).
bool read_int(std::string_view s, size_t pos, size_t len, int& out) {
  if (pos + len > s.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    unsigned digit = static_cast<unsigned char>(s[i]) - unsigned{'0'};
    if (digit > 9) return false;
    value = value * 10 + static_cast<int>(digit);
  }
  out = value;
  return true;
}

[[noreturn]] void mismatch(const CellOrigin& o, sqlite3_stmt* stmt, int col, const engine::ColumnType& type) {
  const unsigned char* text = sqlite3_column_text(stmt, col);
  std::string value = text ? reinterpret_cast<const char*>(text) : "";
  if (value.size() > 60) value = value.substr(0, 60) + "...";
  std::string row = o.rowid_column >= 0 ? "rowid " + std::to_string(sqlite3_column_int64(stmt, o.rowid_column))
                                        : "row " + std::to_string(o.row);
  throw Error(ErrorKind::invalid_input, "source '" + *o.alias + "': table \"" + *o.table + "\", column \"" + *o.column +
                                            "\", " + row + ": value '" + value + "' is not a valid " + type.name() +
                                            "; ATTACH with (ALL_VARCHAR true) to read every column as text");
}

// `storage` is sqlite3_column_type(stmt, col).
std::optional<int64_t> as_integer(sqlite3_stmt* stmt, int col, int storage) {
  switch (storage) {
    case SQLITE_INTEGER:
      return sqlite3_column_int64(stmt, col);
    case SQLITE_FLOAT: {
      double d = sqlite3_column_double(stmt, col);
      if (std::trunc(d) == d && std::fabs(d) < 9.2e18) return static_cast<int64_t>(d);
      return std::nullopt;
    }
    default: {
      const char* t = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
      int n = sqlite3_column_bytes(stmt, col);
      int64_t v = 0;
      auto [p, ec] = std::from_chars(t, t + n, v);
      if (ec == std::errc() && p == t + n && n > 0) return v;
      return std::nullopt;
    }
  }
}

std::optional<double> as_double(sqlite3_stmt* stmt, int col, int storage) {
  if (storage == SQLITE_INTEGER || storage == SQLITE_FLOAT) return sqlite3_column_double(stmt, col);
  const char* t = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
  int n = sqlite3_column_bytes(stmt, col);
  double v = 0;
  auto [p, ec] = std::from_chars(t, t + n, v);
  if (ec == std::errc() && p == t + n && n > 0) return v;
  return std::nullopt;
}

// DECIMAL(p,s) holds up to 38 digits: 128 bits.
__extension__ typedef __int128 Int128;

// Decimal text ("-12.5", "1.2345678901234568e+25") as DECIMAL(width, scale)'s unscaled
// integer (value * 10^scale, digits beyond the scale rounded half away from zero); nullopt
// when it is not a number or needs more than `width` digits.
std::optional<Int128> unscaled_from_text(std::string_view text, int width, int scale) {
  size_t pos = 0;
  bool negative = pos < text.size() && (text[pos] == '-' || text[pos] == '+') && text[pos++] == '-';
  Int128 mantissa = 0;
  int digits = 0, exponent = 0;  // value = mantissa * 10^exponent
  bool any = false, point = false;
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == '.' && !point) {
      point = true;
    } else if (c >= '0' && c <= '9') {
      any = true;
      if (digits < 38) {
        mantissa = mantissa * 10 + (c - '0');
        if (mantissa != 0) ++digits;
        if (point) --exponent;
      } else if (!point) {
        ++exponent;  // digits beyond 38 significant ones: scale only
      }
    } else {
      break;
    }
  }
  if (!any) return std::nullopt;
  if (pos < text.size()) {
    if (text[pos] != 'e' && text[pos] != 'E') return std::nullopt;
    int e = 0;
    std::string_view rest = text.substr(pos + 1);
    if (!rest.empty() && rest[0] == '+') rest.remove_prefix(1);
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), e);
    if (ec != std::errc() || end != rest.data() + rest.size() || e > 100 || e < -100) return std::nullopt;
    exponent += e;
  }
  Int128 limit = 1;
  for (int i = 0; i < width; ++i) limit *= 10;
  int shift = exponent + scale;
  for (; shift > 0; --shift) {
    if (mantissa >= limit) return std::nullopt;
    mantissa *= 10;
  }
  for (; shift < 0; ++shift) {
    bool round_up = shift == -1 && mantissa % 10 >= 5;
    mantissa = mantissa / 10 + (round_up ? 1 : 0);
  }
  if (mantissa >= limit) return std::nullopt;
  return negative ? -mantissa : mantissa;
}

// The value as DECIMAL(p,s)'s unscaled integer. SQLite stores a number as INTEGER (exact, up
// to 19 digits) or REAL (15-17 significant digits: what SQLite kept is what Pond gets, read
// through the shortest text that gives the same double, without made-up trailing digits).
Int128 power_of_ten(int n) {
  Int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// Fast path for a REAL whose value times 10^scale lies inside (-2^49, 2^49) within 1/8 of an
// integer: then the shortest text's digits, rounded to the scale, give that integer too (the
// binary value, its shortest text and the computed product differ by under 0.1 there, so the
// exact value cannot reach a rounding tie). Nothing when the text path must decide.
std::optional<int64_t> scaled_double(double d, int scale) {
  static constexpr double kPowers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  if (scale < 0 || scale > 15) return std::nullopt;
  double x = d * kPowers[scale];
  if (!(std::fabs(x) < 562949953421312.0)) return std::nullopt;  // 2^49; also rejects NaN
  double r = std::nearbyint(x);
  if (std::fabs(x - r) > 0.125) return std::nullopt;  // near x.5: the exact digits must settle it
  return static_cast<int64_t>(r);
}

std::optional<Int128> decimal_unscaled(sqlite3_stmt* stmt, int col, int storage, const engine::ColumnType& type) {
  std::string buffer;
  std::string_view text;
  switch (storage) {
    case SQLITE_INTEGER: {
      if (type.scale > 18) {  // 19 digits times 10^scale could overflow: go through the text
        buffer = std::to_string(sqlite3_column_int64(stmt, col));
        text = buffer;
        break;
      }
      Int128 limit = power_of_ten(type.width);
      Int128 v = static_cast<Int128>(sqlite3_column_int64(stmt, col)) * power_of_ten(type.scale);
      if (v >= limit || v <= -limit) return std::nullopt;
      return v;
    }
    case SQLITE_FLOAT: {
      double d = sqlite3_column_double(stmt, col);
      if (!std::isfinite(d)) return std::nullopt;
      if (auto fast = scaled_double(d, type.scale)) {
        Int128 limit = power_of_ten(type.width);
        if (*fast<limit&& * fast> - limit) return *fast;
        return std::nullopt;
      }
      char chars[64];
      auto [end, ec] = std::to_chars(chars, chars + sizeof chars, d);
      buffer.assign(chars, end);
      text = buffer;
      break;
    }
    default:
      text = std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(stmt, col)),
                              static_cast<size_t>(sqlite3_column_bytes(stmt, col)));
      break;
  }
  return unscaled_from_text(text, type.width, type.scale);
}

}  // namespace

std::optional<int32_t> parse_date(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!read_int(s, 0, 4, y) || !read_int(s, 5, 2, m) || !read_int(s, 8, 2, d)) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return std::nullopt;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return std::nullopt;
  if (s.size() > 10 && s[10] != ' ' && s[10] != 'T') return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::optional<int64_t> parse_timestamp_micros(std::string_view s) {
  auto date = parse_date(s);
  if (!date) return std::nullopt;
  int64_t micros = int64_t{*date} * 86400000000LL;
  if (s.size() == 10) return micros;
  int hh = 0, mm = 0, ss = 0;
  if (s.size() < 16 || !read_int(s, 11, 2, hh) || s[13] != ':' || !read_int(s, 14, 2, mm)) return std::nullopt;
  size_t pos = 16;
  if (s.size() >= 19 && s[16] == ':') {
    if (!read_int(s, 17, 2, ss)) return std::nullopt;
    pos = 19;
  }
  int64_t frac = 0;
  if (pos < s.size() && s[pos] == '.') {
    int digits = 0;
    ++pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      if (digits < 6) {
        frac = frac * 10 + (s[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    while (digits++ < 6) frac *= 10;
  }
  if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  if (pos < s.size() && s[pos] == 'Z') ++pos;
  if (pos != s.size()) return std::nullopt;
  return micros + ((hh * 60LL + mm) * 60 + ss) * 1000000LL + frac;
}

ColumnType column_type_for(std::string_view declared_type, bool all_varchar) {
  if (all_varchar) return ColumnType::of(TypeId::varchar);
  std::string t = upper(declared_type);
  if (t == "DATE") return ColumnType::of(TypeId::date);
  if (contains(t, "DATETIME") || contains(t, "TIMESTAMP")) return ColumnType::of(TypeId::timestamp);
  if (contains(t, "BOOL")) return ColumnType::of(TypeId::boolean);
  if (contains(t, "INT")) return ColumnType::of(TypeId::bigint);
  if (contains(t, "CHAR") || contains(t, "CLOB") || contains(t, "TEXT")) return ColumnType::of(TypeId::varchar);
  if (contains(t, "BLOB")) return ColumnType::of(TypeId::blob);
  if (contains(t, "REAL") || contains(t, "FLOA") || contains(t, "DOUB")) return ColumnType::of(TypeId::float64);
  if (contains(t, "DECIMAL") || contains(t, "NUMERIC")) {
    int p = 0, s = 0;
    size_t open = t.find('(');
    if (open != std::string::npos && std::sscanf(t.c_str() + open, "(%d,%d)", &p, &s) == 2 && p > 0 && p <= 38 &&
        s >= 0 && s <= p) {
      return ColumnType::decimal(static_cast<uint8_t>(p), static_cast<uint8_t>(s));
    }
    return ColumnType::of(TypeId::float64);
  }
  // No declared type (or one SQLite gives NUMERIC affinity we cannot pin down): text is the
  // one type every stored value converts to without loss.
  return ColumnType::of(TypeId::varchar);
}

void write_cell(sqlite3_stmt* stmt, int col, engine::OutputVector& out, size_t row, const CellOrigin& origin) {
  int storage = sqlite3_column_type(stmt, col);
  if (storage == SQLITE_NULL) {
    out.set_null(row);
    return;
  }
  const ColumnType& type = out.type();
  switch (type.id) {
    case TypeId::bigint:
    case TypeId::boolean: {
      auto v = as_integer(stmt, col, storage);
      if (!v) mismatch(origin, stmt, col, type);
      if (type.id == TypeId::boolean) {
        out.set_bool(row, *v != 0);
      } else {
        out.set_int(row, *v);
      }
      return;
    }
    case TypeId::float64: {
      auto v = as_double(stmt, col, storage);
      if (!v) mismatch(origin, stmt, col, type);
      out.set_double(row, *v);
      return;
    }
    case TypeId::decimal: {
      auto v = decimal_unscaled(stmt, col, storage, type);
      if (!v) mismatch(origin, stmt, col, type);
      out.set_decimal(row, static_cast<int64_t>(*v >> 64), static_cast<uint64_t>(*v));
      return;
    }
    case TypeId::date: {
      if (storage == SQLITE_INTEGER) {
        out.set_date(row, static_cast<int32_t>(sqlite3_column_int64(stmt, col) / 86400));
        return;
      }
      auto text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
      auto v = parse_date(std::string_view(text, sqlite3_column_bytes(stmt, col)));
      if (!v) mismatch(origin, stmt, col, type);
      out.set_date(row, *v);
      return;
    }
    case TypeId::timestamp: {
      if (storage == SQLITE_INTEGER) {
        out.set_timestamp(row, sqlite3_column_int64(stmt, col) * 1000000);
        return;
      }
      auto text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
      auto v = parse_timestamp_micros(std::string_view(text, sqlite3_column_bytes(stmt, col)));
      if (!v) mismatch(origin, stmt, col, type);
      out.set_timestamp(row, *v);
      return;
    }
    case TypeId::blob: {
      const void* data = sqlite3_column_blob(stmt, col);
      int n = sqlite3_column_bytes(stmt, col);
      out.set_string(row, std::string_view(static_cast<const char*>(data), static_cast<size_t>(n)));
      return;
    }
    default: {
      const unsigned char* text = sqlite3_column_text(stmt, col);
      int n = sqlite3_column_bytes(stmt, col);
      out.set_string(row, std::string_view(reinterpret_cast<const char*>(text), static_cast<size_t>(n)));
      return;
    }
  }
}

}  // namespace pond::connectors::sqlite
