#include "connectors/postgres/pg_numeric.hpp"

#include <charconv>
#include <limits>
#include <string>

namespace pond::connectors::postgres {
namespace {

constexpr uint16_t kPositive = 0x0000;
constexpr uint16_t kNegative = 0x4000;
constexpr uint16_t kNaN = 0xC000;
constexpr uint16_t kInfinity = 0xD000;
constexpr uint16_t kNegativeInfinity = 0xF000;
constexpr int kMaxDigits = 38;

uint16_t read16(const char* p) {
  return static_cast<uint16_t>((static_cast<uint8_t>(p[0]) << 8) | static_cast<uint8_t>(p[1]));
}

struct PowersOfTen {
  Int128 values[kMaxDigits + 1];
  constexpr PowersOfTen() : values() {
    values[0] = 1;
    for (int i = 1; i <= kMaxDigits; ++i) values[i] = values[i - 1] * 10;
  }
};
constexpr PowersOfTen kPowers;

Int128 power_of_ten(int exponent) { return kPowers.values[exponent]; }

}  // namespace

uint16_t PgNumeric::digit(size_t i) const { return read16(digits.data() + 2 * i); }

std::optional<PgNumeric> parse_numeric(std::string_view bytes) {
  if (bytes.size() < 8) return std::nullopt;
  uint16_t ndigits = read16(bytes.data());
  if (bytes.size() != 8 + 2 * size_t{ndigits}) return std::nullopt;
  PgNumeric out;
  out.weight = static_cast<int16_t>(read16(bytes.data() + 2));
  uint16_t sign = read16(bytes.data() + 4);
  out.dscale = static_cast<int16_t>(read16(bytes.data() + 6));
  out.digits = bytes.substr(8);
  switch (sign) {
    case kPositive:
      break;
    case kNegative:
      out.negative = true;
      break;
    case kNaN:
      out.special = PgNumeric::Special::nan;
      break;
    case kInfinity:
      out.special = PgNumeric::Special::infinity;
      break;
    case kNegativeInfinity:
      out.special = PgNumeric::Special::negative_infinity;
      break;
    default:
      return std::nullopt;
  }
  return out;
}

std::optional<Int128> numeric_unscaled(const PgNumeric& numeric, uint8_t scale) {
  if (numeric.special != PgNumeric::Special::none) return std::nullopt;
  Int128 value = 0;
  for (size_t i = 0; i < numeric.digit_count(); ++i) {
    // This digit counts 10000^(weight - i), i.e. 10^(4 * (weight - i) + scale) once scaled.
    int exponent = 4 * (numeric.weight - static_cast<int>(i)) + scale;
    uint16_t d = numeric.digit(i);
    if (d == 0) continue;
    if (exponent >= kMaxDigits) return std::nullopt;
    // Checked before multiplying and adding: 10^38 is close to the 128-bit limit.
    if (exponent >= 0 && Int128{d} >= power_of_ten(kMaxDigits - exponent)) return std::nullopt;
    Int128 term = exponent >= 0 ? Int128{d} * power_of_ten(exponent)
                                : (exponent > -4 ? Int128{d} / power_of_ten(-exponent) : Int128{0});
    if (term >= power_of_ten(kMaxDigits) - value) return std::nullopt;
    value += term;
  }
  return numeric.negative ? -value : value;
}

double numeric_to_double(const PgNumeric& numeric) {
  switch (numeric.special) {
    case PgNumeric::Special::nan:
      return std::numeric_limits<double>::quiet_NaN();
    case PgNumeric::Special::infinity:
      return std::numeric_limits<double>::infinity();
    case PgNumeric::Special::negative_infinity:
      return -std::numeric_limits<double>::infinity();
    case PgNumeric::Special::none:
      break;
  }
  if (numeric.digit_count() == 0) return 0.0;
  // The digits as one decimal integer with an exponent; from_chars rounds correctly.
  std::string text = numeric.negative ? "-" : "";
  for (size_t i = 0; i < numeric.digit_count(); ++i) {
    char group[5];
    uint16_t d = numeric.digit(i);
    for (int k = 3; k >= 0; --k) {
      group[k] = static_cast<char>('0' + d % 10);
      d /= 10;
    }
    text.append(group, 4);
  }
  int exponent = 4 * (numeric.weight - static_cast<int>(numeric.digit_count()) + 1);
  text += 'e' + std::to_string(exponent);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) {
    if (exponent < 0) return numeric.negative ? -0.0 : 0.0;
    return numeric.negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  return value;
}

}  // namespace pond::connectors::postgres
