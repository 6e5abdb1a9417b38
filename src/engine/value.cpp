#include "engine/value.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "engine/error.hpp"

namespace pond::engine {

bool is_numeric(TypeId type) {
  switch (type) {
    case TypeId::tinyint:
    case TypeId::smallint:
    case TypeId::integer:
    case TypeId::bigint:
    case TypeId::hugeint:
    case TypeId::utinyint:
    case TypeId::usmallint:
    case TypeId::uinteger:
    case TypeId::ubigint:
    case TypeId::uhugeint:
    case TypeId::float32:
    case TypeId::float64:
    case TypeId::decimal:
      return true;
    default:
      return false;
  }
}

namespace {

[[noreturn]] void cannot_convert(const Value& v, const char* target) {
  throw Error(ErrorKind::invalid_input,
              "cannot convert value '" + (v.is_null() ? std::string("NULL") : v.to_string()) + "' to " + target);
}

// DuckDB (like Python's repr) prints the shortest digits that read back to the same number,
// in fixed notation while the decimal exponent is between -5 and 16, else as 1.5e+20.
template <typename Float>
std::string format_floating(Float d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, end);
  size_t e_pos = sci.find('e');
  int exponent = std::stoi(sci.substr(e_pos + 1));
  if (exponent <= -5 || exponent >= 16) return sci;
  bool negative = sci[0] == '-';
  std::string digits;
  for (size_t i = negative ? 1 : 0; i < e_pos; ++i)
    if (sci[i] != '.') digits.push_back(sci[i]);
  std::string out = negative ? "-" : "";
  int point = exponent + 1;  // digits before the decimal point
  if (point <= 0) {
    out += "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  } else if (static_cast<size_t>(point) >= digits.size()) {
    out += digits + std::string(static_cast<size_t>(point) - digits.size(), '0') + ".0";
  } else {
    out += digits.substr(0, static_cast<size_t>(point)) + "." + digits.substr(static_cast<size_t>(point));
  }
  return out;
}

std::string format_double(double d) { return format_floating(d); }

}  // namespace

bool Value::as_bool() const {
  if (auto* b = std::get_if<bool>(&storage_)) return *b;
  if (auto* i = std::get_if<int64_t>(&storage_)) return *i != 0;
  cannot_convert(*this, "BOOLEAN");
}

int64_t Value::as_int64() const {
  if (auto* i = std::get_if<int64_t>(&storage_)) return *i;
  if (auto* u = std::get_if<uint64_t>(&storage_)) {
    if (*u <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(*u);
  }
  if (auto* b = std::get_if<bool>(&storage_)) return *b ? 1 : 0;
  if (auto* s = std::get_if<std::string>(&storage_)) {
    int64_t out = 0;
    auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc() && ptr == s->data() + s->size()) return out;
  }
  cannot_convert(*this, "BIGINT");
}

double Value::as_double() const {
  if (auto* d = std::get_if<double>(&storage_)) return *d;
  if (auto* i = std::get_if<int64_t>(&storage_)) return static_cast<double>(*i);
  if (auto* u = std::get_if<uint64_t>(&storage_)) return static_cast<double>(*u);
  if (auto* s = std::get_if<std::string>(&storage_)) {
    double out = 0;
    auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc() && ptr == s->data() + s->size()) return out;
  }
  cannot_convert(*this, "DOUBLE");
}

std::string Value::to_string() const {
  if (type_ == TypeId::float32) {
    if (auto* d = std::get_if<double>(&storage_)) return format_floating(static_cast<float>(*d));
  }
  struct Visitor {
    std::string operator()(std::monostate) const { return "NULL"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(uint64_t u) const { return std::to_string(u); }
    std::string operator()(double d) const { return format_double(d); }
    std::string operator()(const std::string& s) const { return s; }
  };
  return std::visit(Visitor{}, storage_);
}

}  // namespace pond::engine
