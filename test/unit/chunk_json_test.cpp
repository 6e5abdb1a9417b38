// engine::append_chunk_rows_json reads common types straight from the vectors: its text must
// be exactly what append_json_value gives for the same values, row by row, for every type,
// NULLs, strings that need escapes (short ones kept inline by DuckDB and long ones), and
// non-finite floats.

#include "engine/chunk_json.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

#include "engine/connection.hpp"
#include "engine/database.hpp"
#include "engine/value_json.hpp"

namespace pond::engine {
namespace {

class ChunkJsonTest : public ::testing::Test {
 protected:
  // The rows of `sql` as JSON, through both paths.
  std::pair<std::string, std::string> both(const std::string& sql, size_t from = 0, size_t to = SIZE_MAX) {
    std::string fast, slow;
    bool fast_first = true, slow_first = true;
    Result result = connection_.query(sql);
    while (auto chunk = result.next_chunk()) {
      size_t end = std::min(to, chunk->row_count());
      append_chunk_rows_json(fast, *chunk, from, end, fast_first);
      for (size_t row = from; row < end; ++row) {
        slow += slow_first ? "[" : ",[";
        slow_first = false;
        for (size_t c = 0; c < chunk->column_count(); ++c) {
          if (c > 0) slow += ',';
          append_json_value(slow, chunk->value(c, row));
        }
        slow += ']';
      }
    }
    return {fast, slow};
  }

  Database db_;
  Connection connection_ = db_.connect();
};

TEST_F(ChunkJsonTest, EveryIntegerWidthBooleanAndNullMatchTheValuePath) {
  auto [fast, slow] = both(
      "SELECT i::TINYINT, i::SMALLINT, i::INTEGER, i::BIGINT, (i + 128)::UTINYINT, (i + 200)::USMALLINT, "
      "(i + 200)::UINTEGER, (i + 200)::UBIGINT, i % 2 = 0, CASE WHEN i % 3 = 0 THEN NULL ELSE i END "
      "FROM range(-100, 100) t(i)");
  EXPECT_EQ(fast, slow);
  auto [extremes, expected] = both(
      "SELECT (-128)::TINYINT, (-9223372036854775808)::BIGINT, 18446744073709551615::UBIGINT, 4294967295::UINTEGER");
  EXPECT_EQ(extremes, expected);
  EXPECT_EQ(extremes, "[-128,-9223372036854775808,18446744073709551615,4294967295]");
}

TEST_F(ChunkJsonTest, StringsInlineAndLongWithEveryEscapeMatch) {
  auto [fast, slow] = both(
      "SELECT s, s || repeat('x', 20), NULL::VARCHAR FROM (VALUES ('plain'), (''), ('quote\"'), ('back\\slash'), "
      "(chr(10) || chr(13) || chr(9) || chr(8) || chr(12)), (chr(1) || 'a' || chr(31)), ('naïve ✓ 日本'), "
      "('twelve chars')) t(s)");
  EXPECT_EQ(fast, slow);
  EXPECT_NE(fast.find(R"("quote\"")"), std::string::npos) << fast;
  EXPECT_NE(fast.find(R"(\u0001a\u001f)"), std::string::npos) << fast;
}

TEST_F(ChunkJsonTest, FloatsAndOtherTypesGoThroughTheValuePath) {
  auto [fast, slow] = both(
      "SELECT 0.1::FLOAT, 1e300::DOUBLE, 'nan'::DOUBLE, '-inf'::FLOAT, 12.50::DECIMAL(10,2), "
      "170141183460469231731687303715884105727::HUGEINT, DATE '2024-02-29', TIMESTAMP '2024-01-01 12:00:00', "
      "'a'::BLOB, [1, 2], {'k': 'v'}, uuid '00000000-0000-0000-0000-000000000001', INTERVAL 3 DAY");
  EXPECT_EQ(fast, slow);
  EXPECT_EQ(fast.substr(0, 24), "[0.1,1e+300,null,null,12") << fast;
}

TEST_F(ChunkJsonTest, ARowRangeAndTheFirstRowFlagAreHonoured) {
  auto [fast, slow] = both("SELECT range, 'r' || range FROM range(10)", 3, 6);
  EXPECT_EQ(fast, slow);
  EXPECT_EQ(fast, R"([3,"r3"],[4,"r4"],[5,"r5"])");
  std::string out = "[9]";
  bool first = false;
  Result result = connection_.query("SELECT 1");
  auto chunk = result.next_chunk();
  append_chunk_rows_json(out, *chunk, 0, 1, first);
  EXPECT_EQ(out, "[9],[1]");
}

TEST_F(ChunkJsonTest, ManyChunksOfAWideResultMatch) {
  auto [fast, slow] = both(
      "SELECT range AS id, range % 97 AS v, range * 2 AS w, 'name ' || range AS s, range % 5 = 0 AS f "
      "FROM range(10000)");
  EXPECT_EQ(fast, slow);
  EXPECT_EQ(std::count(fast.begin(), fast.end(), '['), 10000);
}

}  // namespace
}  // namespace pond::engine
