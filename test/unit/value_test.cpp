// engine::Value: how each DuckDB type reads back. Every case checks the exact text and that
// it matches DuckDB's own CAST(... AS VARCHAR) of the same value.

#include "engine/value.hpp"

#include <gtest/gtest.h>

#include "engine/connection.hpp"
#include "engine/database.hpp"
#include "engine/error.hpp"

namespace pond::engine {
namespace {

struct Case {
  std::string expression;
  std::string expected;
  TypeId type;
};

class ValueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    connection_.query("SET TimeZone = 'UTC'");
    connection_.query("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
  }

  // The value of `expression` and DuckDB's text of it.
  std::pair<Value, std::string> read(const std::string& expression) {
    auto rows = connection_.query("SELECT " + expression + " AS v, CAST(" + expression + " AS VARCHAR)").fetch_all();
    return {rows.at(0).at(0), rows.at(0).at(1).to_string()};
  }

  void check(const std::vector<Case>& cases) {
    for (const Case& c : cases) {
      auto [value, duckdb_text] = read(c.expression);
      EXPECT_EQ(value.type(), c.type) << c.expression;
      EXPECT_EQ(value.to_string(), c.expected) << c.expression;
      EXPECT_EQ(value.to_string(), duckdb_text) << c.expression << " differs from DuckDB's own text";
    }
  }

  Database db_;
  Connection connection_ = db_.connect();
};

TEST_F(ValueTest, Integers) {
  check({
      {"42::TINYINT", "42", TypeId::tinyint},
      {"(-32768)::SMALLINT", "-32768", TypeId::smallint},
      {"2147483647::INTEGER", "2147483647", TypeId::integer},
      {"(-9223372036854775808)::BIGINT", "-9223372036854775808", TypeId::bigint},
      {"255::UTINYINT", "255", TypeId::utinyint},
      {"18446744073709551615::UBIGINT", "18446744073709551615", TypeId::ubigint},
      {"170141183460469231731687303715884105727::HUGEINT", "170141183460469231731687303715884105727", TypeId::hugeint},
      {"(-170141183460469231731687303715884105727::HUGEINT - 1)", "-170141183460469231731687303715884105728",
       TypeId::hugeint},
      {"0::HUGEINT", "0", TypeId::hugeint},
      {"340282366920938463463374607431768211455::UHUGEINT", "340282366920938463463374607431768211455",
       TypeId::uhugeint},
  });
}

TEST_F(ValueTest, Decimals) {
  check({
      {"1234.5::DECIMAL(12,2)", "1234.50", TypeId::decimal},
      {"-1234.5::DECIMAL(12,2)", "-1234.50", TypeId::decimal},
      {"0.05::DECIMAL(12,2)", "0.05", TypeId::decimal},
      {"-0.05::DECIMAL(12,2)", "-0.05", TypeId::decimal},
      {"0::DECIMAL(12,2)", "0.00", TypeId::decimal},
      {"7::DECIMAL(4,0)", "7", TypeId::decimal},
      {"-0.5::DECIMAL(3,1)", "-0.5", TypeId::decimal},
      {"12345678901234567890.123456789::DECIMAL(38,9)", "12345678901234567890.123456789", TypeId::decimal},
      {"-0.000000001::DECIMAL(38,9)", "-0.000000001", TypeId::decimal},
  });
}

TEST_F(ValueTest, FloatsAndDoubles) {
  check({
      {"0.1::FLOAT", "0.1", TypeId::float32},
      {"(1::FLOAT / 3::FLOAT)", "0.33333334", TypeId::float32},
      {"0.1::DOUBLE", "0.1", TypeId::float64},
      {"(1::DOUBLE / 3)", "0.3333333333333333", TypeId::float64},
      {"100::DOUBLE", "100.0", TypeId::float64},
      {"-2.5::DOUBLE", "-2.5", TypeId::float64},
      {"'inf'::DOUBLE", "inf", TypeId::float64},
      {"'-inf'::DOUBLE", "-inf", TypeId::float64},
      {"'nan'::DOUBLE", "nan", TypeId::float64},
  });
}

TEST_F(ValueTest, LargeAndSmallDoublesUseExponents) {
  check({
      {"1e20::DOUBLE", "1e+20", TypeId::float64},
      {"1e16::DOUBLE", "1e+16", TypeId::float64},
      {"1.5e-10::DOUBLE", "1.5e-10", TypeId::float64},
      {"1e-5::DOUBLE", "1e-05", TypeId::float64},
  });
}

// DuckDB (like Python's repr) writes a double in fixed notation while its decimal exponent
// is between -5 and 16, whichever form is shorter.
TEST_F(ValueTest, MidRangeDoublesUseFixedNotation) {
  check({
      {"1e15::DOUBLE", "1000000000000000.0", TypeId::float64},
      {"0.0001::DOUBLE", "0.0001", TypeId::float64},
      {"123456789::FLOAT", "123456790.0", TypeId::float32},
  });
}

TEST_F(ValueTest, BooleansAndText) {
  check({
      {"true", "true", TypeId::boolean},
      {"false", "false", TypeId::boolean},
      {"'données ✓'", "données ✓", TypeId::varchar},
      {"''", "", TypeId::varchar},
      {"'it''s'", "it's", TypeId::varchar},
  });
}

TEST_F(ValueTest, DatesTimesAndIntervals) {
  check({
      {"DATE '2024-02-29'", "2024-02-29", TypeId::date},
      {"DATE '0001-01-01'", "0001-01-01", TypeId::date},
      {"'infinity'::DATE", "infinity", TypeId::date},
      {"TIME '12:34:56'", "12:34:56", TypeId::time},
      {"TIME '12:34:56.5'", "12:34:56.5", TypeId::time},
      {"TIMESTAMP '2024-03-01 12:34:56'", "2024-03-01 12:34:56", TypeId::timestamp},
      {"TIMESTAMP '2024-03-01 12:34:56.789'", "2024-03-01 12:34:56.789", TypeId::timestamp},
      {"TIMESTAMP '1969-12-31 23:59:59.999999'", "1969-12-31 23:59:59.999999", TypeId::timestamp},
      {"TIMESTAMP_S '2024-03-01 12:34:56'", "2024-03-01 12:34:56", TypeId::timestamp_s},
      {"TIMESTAMP_MS '2024-03-01 12:34:56.123'", "2024-03-01 12:34:56.123", TypeId::timestamp_ms},
      {"TIMESTAMP_NS '2024-03-01 12:34:56.123456789'", "2024-03-01 12:34:56.123456789", TypeId::timestamp_ns},
      {"TIMESTAMPTZ '2024-03-01 12:00:00+02'", "2024-03-01 10:00:00+00", TypeId::timestamp_tz},
      {"INTERVAL '1 year 2 months 3 days 04:05:06.5'", "1 year 2 months 3 days 04:05:06.5", TypeId::interval},
      {"INTERVAL '3 days'", "3 days", TypeId::interval},
      {"INTERVAL '1 day'", "1 day", TypeId::interval},
      {"INTERVAL '0 seconds'", "00:00:00", TypeId::interval},
      {"INTERVAL '-90 minutes'", "-01:30:00", TypeId::interval},
      {"INTERVAL '100 hours'", "100:00:00", TypeId::interval},
  });
}

TEST_F(ValueTest, TimestampWithTimeZoneFollowsTheSessionTimeZone) {
  connection_.query("SET TimeZone = 'America/New_York'");
  check({
      {"TIMESTAMPTZ '2024-03-01 12:00:00+00'", "2024-03-01 07:00:00-05", TypeId::timestamp_tz},
      // Daylight saving time, and a fraction of a second.
      {"TIMESTAMPTZ '2024-07-01 12:00:00.25+00'", "2024-07-01 08:00:00.25-04", TypeId::timestamp_tz},
      // Before standard time zones: local mean time, an offset of -04:56:02 printed without seconds.
      {"TIMESTAMPTZ '1850-01-01 12:00:00+00'", "1850-01-01 07:03:58-04:56", TypeId::timestamp_tz},
      {"'infinity'::TIMESTAMPTZ", "infinity", TypeId::timestamp_tz},
      {"[TIMESTAMPTZ '2024-03-01 12:00:00+00', NULL]", "['2024-03-01 07:00:00-05', NULL]", TypeId::list},
  });
  connection_.query("SET TimeZone = 'Asia/Kolkata'");
  check({{"TIMESTAMPTZ '2024-03-01 12:00:00+00'", "2024-03-01 17:30:00+05:30", TypeId::timestamp_tz}});
  connection_.query("SET TimeZone = 'UTC'");
  check({{"TIMESTAMPTZ '2024-03-01 12:00:00+00'", "2024-03-01 12:00:00+00", TypeId::timestamp_tz}});
}

TEST_F(ValueTest, UuidBlobAndEnum) {
  check({
      {"'123e4567-e89b-12d3-a456-426614174000'::UUID", "123e4567-e89b-12d3-a456-426614174000", TypeId::uuid},
      {"'00000000-0000-0000-0000-000000000000'::UUID", "00000000-0000-0000-0000-000000000000", TypeId::uuid},
      {"'ffffffff-ffff-ffff-ffff-ffffffffffff'::UUID", "ffffffff-ffff-ffff-ffff-ffffffffffff", TypeId::uuid},
      {"'\\xAA\\xBB'::BLOB", "\\xAA\\xBB", TypeId::blob},
      {"'abc'::BLOB", "abc", TypeId::blob},
      {"'happy'::mood", "happy", TypeId::enumeration},
  });
}

TEST_F(ValueTest, BitStringsPrintAsBits) {
  check({
      {"'1010'::BIT", "1010", TypeId::bit},
      {"'000000001'::BIT", "000000001", TypeId::bit},
      {"'1'::BIT", "1", TypeId::bit},
      {"'11110000'::BIT", "11110000", TypeId::bit},
  });
}

TEST_F(ValueTest, NestedTypes) {
  check({
      {"[1, 2, 3]", "[1, 2, 3]", TypeId::list},
      {"[]::INTEGER[]", "[]", TypeId::list},
      {"[1, NULL]", "[1, NULL]", TypeId::list},
      {"[[1], [2, 3]]", "[[1], [2, 3]]", TypeId::list},
      {"[1, 2]::INTEGER[2]", "[1, 2]", TypeId::array},
      {"{'x': 1, 'y': 2.5::DOUBLE}", "{'x': 1, 'y': 2.5}", TypeId::structure},
      {"MAP {1: 10, 2: 20}", "{1=10, 2=20}", TypeId::map},
  });
}

// DuckDB quotes a string inside a list, struct or map only when it must: when it is empty,
// reads NULL, has leading or trailing spaces, or holds one of " ' ( ) , : = [ ] { } \.
TEST_F(ValueTest, NestedTextIsQuotedOnlyWhenNeeded) {
  check({
      {"['a', 'b c']", "[a, b c]", TypeId::list},
      {"['d,e', '', 'it''s']", "['d,e', '', 'it\\'s']", TypeId::list},
      {"{'name': 'duck'}", "{'name': duck}", TypeId::structure},
      {"{'it''s': 1}", "{'it\\'s': 1}", TypeId::structure},
      {"MAP {'k': 'v'}", "{k=v}", TypeId::map},
      {"MAP {'a b': 'c,d', 'k': ''}", "{a b='c,d', k=''}", TypeId::map},
      {"[DATE '2024-01-02']", "[2024-01-02]", TypeId::list},
      {"[TIMESTAMP '2024-01-01 10:00:00']", "['2024-01-01 10:00:00']", TypeId::list},
      {"[INTERVAL '1 day', INTERVAL '90 minutes']", "[1 day, '01:30:00']", TypeId::list},
      {"['123e4567-e89b-12d3-a456-426614174000'::UUID]", "[123e4567-e89b-12d3-a456-426614174000]", TypeId::list},
      {"['null', 'NULL', ' x', 'y ', 'a\\b']", "['null', 'NULL', ' x', 'y ', a\\b]", TypeId::list},
      {"[1.5::DOUBLE, -2]", "[1.5, -2.0]", TypeId::list},
  });
}

TEST_F(ValueTest, NullHasNoTypeOfItsOwn) {
  auto rows = connection_.query("SELECT NULL, NULL::INTEGER, NULL::VARCHAR").fetch_all();
  for (const Value& v : rows.at(0)) {
    EXPECT_TRUE(v.is_null());
    EXPECT_EQ(v.to_string(), "NULL");
  }
  EXPECT_TRUE(Value::null().is_null());
}

TEST_F(ValueTest, TypedAccessConvertsOrThrows) {
  auto rows =
      connection_.query("SELECT 42, '17', 2.5::DOUBLE, true, 'abc', 18446744073709551615::UBIGINT, NULL").fetch_all();
  const auto& row = rows.at(0);
  EXPECT_EQ(row[0].as_int64(), 42);
  EXPECT_DOUBLE_EQ(row[0].as_double(), 42.0);
  EXPECT_EQ(row[1].as_int64(), 17);
  EXPECT_DOUBLE_EQ(row[2].as_double(), 2.5);
  EXPECT_TRUE(row[3].as_bool());
  EXPECT_EQ(row[3].as_int64(), 1);
  EXPECT_THROW(row[4].as_int64(), Error);
  EXPECT_THROW(row[5].as_int64(), Error);
  EXPECT_THROW(row[6].as_int64(), Error);
  try {
    row[4].as_double();
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
    EXPECT_NE(std::string(error.what()).find("'abc'"), std::string::npos);
  }
}

TEST(ValueNumeric, NumericTypesAreRightAligned) {
  EXPECT_TRUE(is_numeric(TypeId::decimal));
  EXPECT_TRUE(is_numeric(TypeId::float32));
  EXPECT_TRUE(is_numeric(TypeId::hugeint));
  EXPECT_FALSE(is_numeric(TypeId::varchar));
  EXPECT_FALSE(is_numeric(TypeId::date));
  EXPECT_FALSE(is_numeric(TypeId::boolean));
}

}  // namespace
}  // namespace pond::engine
