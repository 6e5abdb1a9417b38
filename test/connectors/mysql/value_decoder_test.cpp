// The text-protocol parsers behind the value decoder; no server needed.

#include "connectors/mysql/value_decoder.hpp"

#include <gtest/gtest.h>

namespace pond::connectors::mysql {
namespace {

constexpr int64_t kSecond = 1'000'000;

TEST(MysqlDates, DatesBecomeDaysSinceEpoch) {
  int32_t days = -1;
  EXPECT_EQ(parse_date("1970-01-01", days), DateParse::ok);
  EXPECT_EQ(days, 0);
  EXPECT_EQ(parse_date("2024-02-29", days), DateParse::ok);
  EXPECT_EQ(days, 19782);
  EXPECT_EQ(parse_date("1000-01-01", days), DateParse::ok);
  EXPECT_EQ(days, -354285);
  EXPECT_EQ(parse_date("9999-12-31", days), DateParse::ok);
  EXPECT_EQ(days, 2932896);
}

TEST(MysqlDates, ZeroAndPartialZeroDatesAreZero) {
  int32_t days = 0;
  EXPECT_EQ(parse_date("0000-00-00", days), DateParse::zero);
  EXPECT_EQ(parse_date("2020-00-10", days), DateParse::zero);
  EXPECT_EQ(parse_date("2020-05-00", days), DateParse::zero);
}

TEST(MysqlDates, MalformedDatesAreInvalid) {
  int32_t days = 0;
  EXPECT_EQ(parse_date("2020-13-01", days), DateParse::invalid);
  EXPECT_EQ(parse_date("2020/01/01", days), DateParse::invalid);
  EXPECT_EQ(parse_date("20-01-01", days), DateParse::invalid);
  EXPECT_EQ(parse_date("", days), DateParse::invalid);
}

TEST(MysqlTimestamps, FractionsArePaddedToMicroseconds) {
  int64_t micros = 0;
  EXPECT_EQ(parse_timestamp("1970-01-01 00:00:01", micros), DateParse::ok);
  EXPECT_EQ(micros, kSecond);
  EXPECT_EQ(parse_timestamp("1970-01-02 01:02:03.5", micros), DateParse::ok);
  EXPECT_EQ(micros, (86400 + 3723) * kSecond + 500000);
  EXPECT_EQ(parse_timestamp("1969-12-31 23:59:59.999999", micros), DateParse::ok);
  EXPECT_EQ(micros, -1);
  EXPECT_EQ(parse_timestamp("0000-00-00 00:00:00", micros), DateParse::zero);
  EXPECT_EQ(parse_timestamp("2020-01-01 24:00:00", micros), DateParse::invalid);
  EXPECT_EQ(parse_timestamp("2020-01-01 10:00", micros), DateParse::invalid);
  EXPECT_EQ(parse_timestamp("2020-01-01 10:00:00.1234567", micros), DateParse::invalid);
}

TEST(MysqlTimes, HoursMayExceedADayAndBeNegative) {
  int64_t micros = 0;
  ASSERT_TRUE(parse_time("12:34:56", micros));
  EXPECT_EQ(micros, (12 * 3600 + 34 * 60 + 56) * kSecond);
  ASSERT_TRUE(parse_time("838:59:59", micros));
  EXPECT_EQ(micros, (838 * 3600 + 59 * 60 + 59) * kSecond);
  ASSERT_TRUE(parse_time("-01:00:00.25", micros));
  EXPECT_EQ(micros, -(3600 * kSecond + 250000));
  EXPECT_FALSE(parse_time("12:61:00", micros));
  EXPECT_FALSE(parse_time("12:00", micros));
  EXPECT_FALSE(parse_time("ab:00:00", micros));
}

TEST(MysqlDecimals, UnscaledValuesKeepEveryDigit) {
  int64_t high = 0;
  uint64_t low = 0;
  ASSERT_TRUE(parse_decimal("-1234.50", 2, high, low));
  EXPECT_EQ(static_cast<int64_t>(low), -123450);
  EXPECT_EQ(high, -1);
  ASSERT_TRUE(parse_decimal("7", 3, high, low));
  EXPECT_EQ(low, 7000u);
  EXPECT_EQ(high, 0);
  // 38 nines: needs both halves.
  ASSERT_TRUE(parse_decimal("99999999999999999999999999999999999999", 0, high, low));
  EXPECT_EQ(high, 5421010862427522170);
  EXPECT_EQ(low, 687399551400673279u);
  EXPECT_FALSE(parse_decimal("999999999999999999999999999999999999999", 0, high, low));  // 39 digits
  EXPECT_FALSE(parse_decimal("1.234", 2, high, low));
  EXPECT_FALSE(parse_decimal("1e5", 0, high, low));
  EXPECT_FALSE(parse_decimal("", 0, high, low));
}

}  // namespace
}  // namespace pond::connectors::mysql
