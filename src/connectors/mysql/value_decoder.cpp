#include "connectors/mysql/value_decoder.hpp"

#include <charconv>

namespace pond::connectors::mysql {
namespace {

__extension__ using Int128 = __int128;
__extension__ using UInt128 = unsigned __int128;

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;
constexpr unsigned kMaxDecimalDigits = 38;

// Days from 1970-01-01 to the proleptic Gregorian date (Howard Hinnant's days_from_civil).
constexpr int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}
static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11017);

// Exactly `count` decimal digits at text[pos...].
bool digits(std::string_view text, size_t pos, size_t count, unsigned& out) {
  if (pos + count > text.size()) return false;
  unsigned value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    unsigned d = static_cast<unsigned>(text[i]) - '0';
    if (d > 9) return false;
    value = value * 10 + d;
  }
  out = value;
  return true;
}

// ".ffffff" (1 to 6 digits) at text[pos...] → microseconds; nothing at all is 0.
bool fraction(std::string_view text, size_t pos, int64_t& micros) {
  micros = 0;
  if (pos == text.size()) return true;
  if (text[pos] != '.') return false;
  size_t count = text.size() - pos - 1;
  unsigned value = 0;
  if (count == 0 || count > 6 || !digits(text, pos + 1, count, value)) return false;
  micros = value;
  for (size_t i = count; i < 6; ++i) micros *= 10;
  return true;
}

// HH:MM:SS[.f] at text[pos...] → microseconds since midnight.
bool clock(std::string_view text, size_t pos, int64_t& micros) {
  unsigned h = 0, m = 0, s = 0;
  if (text.size() < pos + 8 || !digits(text, pos, 2, h) || text[pos + 2] != ':' || !digits(text, pos + 3, 2, m) ||
      text[pos + 5] != ':' || !digits(text, pos + 6, 2, s) || h > 23 || m > 59 || s > 59) {
    return false;
  }
  int64_t frac = 0;
  if (!fraction(text, pos + 8, frac)) return false;
  micros = (int64_t{h} * 3600 + m * 60 + s) * kMicrosPerSecond + frac;
  return true;
}

template <typename T>
bool parse_number(std::string_view text, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parse_hex_digit(char c, uint64_t& out) {
  if (c >= '0' && c <= '9') {
    out = out << 4 | static_cast<uint64_t>(c - '0');
  } else if (c >= 'a' && c <= 'f') {
    out = out << 4 | static_cast<uint64_t>(c - 'a' + 10);
  } else if (c >= 'A' && c <= 'F') {
    out = out << 4 | static_cast<uint64_t>(c - 'A' + 10);
  } else {
    return false;
  }
  return true;
}

bool parse_uuid(std::string_view text, uint64_t& high, uint64_t& low) {
  high = low = 0;
  unsigned count = 0;
  for (char c : text) {
    if (c == '-') continue;
    if (!parse_hex_digit(c, count < 16 ? high : low)) return false;
    ++count;
  }
  return count == 32;
}

const char* decode_time(const MysqlColumn& column, std::string_view cell, engine::OutputVector& out, size_t row) {
  int64_t micros = 0;
  if (!parse_time(cell, micros)) return "not a MySQL TIME";
  if (column.decoding == Decoding::time_as_interval) {
    out.set_interval(row, 0, 0, micros);
    return nullptr;
  }
  if (micros < 0 || micros >= kMicrosPerDay) {
    return "a TIME outside 00:00:00-23:59:59 does not fit DuckDB's TIME; attach the source with "
           "(time_as_interval true) to read TIME columns as INTERVAL";
  }
  out.set_time(row, micros);
  return nullptr;
}

}  // namespace

DateParse parse_date(std::string_view text, int32_t& days) {
  unsigned y = 0, m = 0, d = 0;
  if (text.size() < 10 || !digits(text, 0, 4, y) || text[4] != '-' || !digits(text, 5, 2, m) || text[7] != '-' ||
      !digits(text, 8, 2, d)) {
    return DateParse::invalid;
  }
  if (m == 0 || d == 0) return DateParse::zero;
  if (m > 12 || d > 31) return DateParse::invalid;
  days = static_cast<int32_t>(days_from_civil(y, m, d));
  return DateParse::ok;
}

DateParse parse_timestamp(std::string_view text, int64_t& micros) {
  int32_t days = 0;
  DateParse date = parse_date(text.substr(0, 10), days);
  if (date != DateParse::ok) return date;
  int64_t time = 0;
  if (text.size() > 10 && ((text[10] != ' ' && text[10] != 'T') || !clock(text, 11, time))) return DateParse::invalid;
  micros = days * kMicrosPerDay + time;
  return DateParse::ok;
}

bool parse_time(std::string_view text, int64_t& micros) {
  bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  size_t colon = text.find(':');
  unsigned h = 0, m = 0, s = 0;
  if (colon == 0 || colon == std::string_view::npos || colon > 4 || !digits(text, 0, colon, h) ||
      !digits(text, colon + 1, 2, m) || text.size() < colon + 6 || text[colon + 3] != ':' ||
      !digits(text, colon + 4, 2, s) || m > 59 || s > 59) {
    return false;
  }
  int64_t frac = 0;
  if (!fraction(text, colon + 6, frac)) return false;
  micros = (int64_t{h} * 3600 + m * 60 + s) * kMicrosPerSecond + frac;
  if (negative) micros = -micros;
  return true;
}

bool parse_decimal(std::string_view text, unsigned scale, int64_t& high, uint64_t& low) {
  bool negative = !text.empty() && text.front() == '-';
  if (negative || (!text.empty() && text.front() == '+')) text.remove_prefix(1);
  UInt128 value = 0;
  unsigned count = 0, fraction_digits = 0;
  bool point = false;
  for (char c : text) {
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    unsigned d = static_cast<unsigned>(c) - '0';
    if (d > 9) return false;
    if (point && ++fraction_digits > scale) return false;
    if ((value != 0 || d != 0) && ++count > kMaxDecimalDigits) return false;
    value = value * 10 + d;
  }
  if (text.empty() || text == ".") return false;
  for (; fraction_digits < scale; ++fraction_digits) value *= 10;
  Int128 signed_value = negative ? -static_cast<Int128>(value) : static_cast<Int128>(value);
  high = static_cast<int64_t>(signed_value >> 64);
  low = static_cast<uint64_t>(signed_value);
  return true;
}

const char* decode_cell(const MysqlColumn& column, std::string_view cell, engine::OutputVector& out, size_t row) {
  switch (column.decoding) {
    case Decoding::signed_integer: {
      int64_t v = 0;
      if (!parse_number(cell, v)) return "not an integer";
      out.set_int(row, v);
      return nullptr;
    }
    case Decoding::unsigned_integer: {
      uint64_t v = 0;
      if (!parse_number(cell, v)) return "not an unsigned integer";
      out.set_uint(row, v);
      return nullptr;
    }
    case Decoding::decimal: {
      int64_t high = 0;
      uint64_t low = 0;
      if (!parse_decimal(cell, column.type.scale, high, low)) return "not a decimal of the column's precision";
      out.set_decimal(row, high, low);
      return nullptr;
    }
    case Decoding::floating: {
      double v = 0;
      if (!parse_number(cell, v)) return "not a number";
      out.set_double(row, v);
      return nullptr;
    }
    case Decoding::text:
      out.set_string(row, cell);
      return nullptr;
    case Decoding::date: {
      int32_t days = 0;
      DateParse parsed = parse_date(cell, days);
      if (parsed == DateParse::invalid || cell.size() != 10) return "not a date";
      parsed == DateParse::zero ? out.set_null(row) : out.set_date(row, days);
      return nullptr;
    }
    case Decoding::timestamp: {
      int64_t micros = 0;
      DateParse parsed = parse_timestamp(cell, micros);
      if (parsed == DateParse::invalid) return "not a date and time";
      parsed == DateParse::zero ? out.set_null(row) : out.set_timestamp(row, micros);
      return nullptr;
    }
    case Decoding::time:
    case Decoding::time_as_interval:
      return decode_time(column, cell, out, row);
    case Decoding::bit_boolean:
    case Decoding::bit_unsigned: {
      if (cell.size() > 8) return "a BIT value wider than 64 bits";
      uint64_t v = 0;
      for (char c : cell) v = v << 8 | static_cast<unsigned char>(c);
      column.decoding == Decoding::bit_boolean ? out.set_bool(row, v != 0) : out.set_uint(row, v);
      return nullptr;
    }
    case Decoding::uuid: {
      uint64_t high = 0, low = 0;
      if (!parse_uuid(cell, high, low)) return "not a UUID";
      out.set_uuid(row, high, low);
      return nullptr;
    }
  }
  return "an unsupported type";
}

}  // namespace pond::connectors::mysql
