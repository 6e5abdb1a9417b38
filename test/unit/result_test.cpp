// engine::Result: chunk streaming, materialized reads, exhaustion, errors mid-stream.

#include "engine/result.hpp"

#include <gtest/gtest.h>

#include "engine/connection.hpp"
#include "engine/database.hpp"
#include "engine/error.hpp"
#include "test_support.hpp"

namespace pond::engine {
namespace {

constexpr size_t kVectorSize = 2048;

class ResultTest : public ::testing::Test {
 protected:
  Database db_;
  Connection connection_ = db_.connect();
};

TEST_F(ResultTest, StreamingSumsManyChunks) {
  Result result = connection_.query("SELECT range AS i FROM range(100000)", ExecMode::streaming);
  int64_t sum = 0;
  size_t rows = 0;
  size_t chunks = 0;
  while (auto chunk = result.next_chunk()) {
    ++chunks;
    EXPECT_LE(chunk->row_count(), kVectorSize);
    EXPECT_EQ(chunk->column_count(), 1u);
    for (size_t r = 0; r < chunk->row_count(); ++r) sum += chunk->value(0, r).as_int64();
    rows += chunk->row_count();
  }
  EXPECT_EQ(rows, 100000u);
  EXPECT_EQ(sum, int64_t{99999} * 100000 / 2);
  EXPECT_GE(chunks, 100000 / kVectorSize);
  EXPECT_FALSE(result.next_chunk().has_value()) << "an exhausted result stays exhausted";
}

TEST_F(ResultTest, PreparedStreamingWithParameters) {
  auto statement = connection_.prepare_cached("SELECT range FROM range(?)");
  std::vector<Param> params{int64_t{5000}};
  Result result = statement->execute(params, ExecMode::streaming);
  size_t rows = 0;
  while (auto chunk = result.next_chunk()) rows += chunk->row_count();
  EXPECT_EQ(rows, 5000u);
}

TEST_F(ResultTest, MaterializedResultAlsoReadsByChunk) {
  Result result = connection_.query("SELECT range FROM range(5000)");
  size_t rows = 0;
  while (auto chunk = result.next_chunk()) rows += chunk->row_count();
  EXPECT_EQ(rows, 5000u);
}

TEST_F(ResultTest, FetchAllAfterPartialReadReturnsTheRest) {
  Result result = connection_.query("SELECT range FROM range(5000)", ExecMode::streaming);
  auto first = result.next_chunk();
  ASSERT_TRUE(first.has_value());
  size_t first_rows = first->row_count();
  auto rest = result.fetch_all();
  EXPECT_EQ(first_rows + rest.size(), 5000u);
  EXPECT_EQ(rest.back().at(0).as_int64(), 4999);
}

TEST_F(ResultTest, EmptyResultHasColumnsButNoChunks) {
  Result result = connection_.query("SELECT 1 AS a, 'x' AS b WHERE false");
  EXPECT_EQ(result.columns().size(), 2u);
  EXPECT_FALSE(result.next_chunk().has_value());
  EXPECT_TRUE(result.fetch_all().empty());
}

TEST_F(ResultTest, StatementWithoutRowsSaysSo) {
  Result result = connection_.query("CREATE TABLE t(i INTEGER)");
  EXPECT_FALSE(result.returns_rows());
  EXPECT_TRUE(connection_.query("SELECT 1").returns_rows());
}

// DuckDB may compute ahead, so the error surfaces from query() or from a later next_chunk().
TEST_F(ResultTest, ErrorWhileStreamingIsThrown) {
  EXPECT_TRUE(test::throws_error(
      [&] {
        Result result = connection_.query(
            "SELECT CASE WHEN range < 50000 THEN range ELSE error('boom at ' || range) END FROM range(100000)",
            ExecMode::streaming);
        while (result.next_chunk()) {
        }
      },
      ErrorKind::invalid_input, "boom at"));
  EXPECT_EQ(connection_.query("SELECT 4").fetch_all().at(0).at(0).as_int64(), 4);
}

TEST_F(ResultTest, StreamingResultCanBeDroppedEarly) {
  {
    Result result = connection_.query("SELECT range FROM range(1000000)", ExecMode::streaming);
    ASSERT_TRUE(result.next_chunk().has_value());
  }
  EXPECT_EQ(connection_.query("SELECT 3").fetch_all().at(0).at(0).as_int64(), 3);
}

TEST_F(ResultTest, MovedResultKeepsItsRows) {
  Result a = connection_.query("SELECT 11");
  Result b(std::move(a));
  EXPECT_EQ(b.fetch_all().at(0).at(0).as_int64(), 11);
}

TEST_F(ResultTest, ColumnTypeNamesReadAsDuckDbPrintsThem) {
  Result result = connection_.query(
      "SELECT 1.5::DECIMAL(12,2) AS d, ['a'] AS l, {'x': 1} AS s, MAP {'k': 1} AS m, [1,2]::INTEGER[2] AS a, "
      "TIMESTAMPTZ '2020-01-01 00:00:00+00' AS tz");
  const auto& columns = result.columns();
  ASSERT_EQ(columns.size(), 6u);
  EXPECT_EQ(columns[0].type_name, "DECIMAL(12,2)");
  EXPECT_EQ(columns[0].type, TypeId::decimal);
  EXPECT_EQ(columns[1].type_name, "VARCHAR[]");
  EXPECT_EQ(columns[2].type_name, "STRUCT(x INTEGER)");
  EXPECT_EQ(columns[3].type_name, "MAP(VARCHAR, INTEGER)");
  EXPECT_EQ(columns[4].type_name, "INTEGER[2]");
  EXPECT_EQ(columns[5].type_name, "TIMESTAMP WITH TIME ZONE");
}

}  // namespace
}  // namespace pond::engine
