#pragma once
// PostgreSQL's binary NUMERIC (base-10000 digits with a weight, a sign and a display scale),
// converted to a DuckDB DECIMAL's unscaled integer or to a DOUBLE. Pure functions.

#include <cstdint>
#include <optional>
#include <string_view>

namespace pond::connectors::postgres {

__extension__ typedef __int128 Int128;

struct PgNumeric {
  enum class Special { none, nan, infinity, negative_infinity };
  Special special = Special::none;
  bool negative = false;
  int16_t weight = 0;       // of the first digit, in powers of 10000
  int16_t dscale = 0;       // decimal digits after the point
  std::string_view digits;  // big-endian uint16 base-10000 digits, 2 bytes each

  size_t digit_count() const { return digits.size() / 2; }
  uint16_t digit(size_t i) const;
};

// Parses the binary form (the result views into `bytes`); std::nullopt when it is malformed.
std::optional<PgNumeric> parse_numeric(std::string_view bytes);
// value * 10^scale, truncated; std::nullopt for NaN, infinities and values beyond 38 digits.
std::optional<Int128> numeric_unscaled(const PgNumeric& numeric, uint8_t scale);
// The nearest double (NaN and infinities as such).
double numeric_to_double(const PgNumeric& numeric);

}  // namespace pond::connectors::postgres
