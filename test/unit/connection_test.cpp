// engine::Connection: plain queries, bound parameters, errors.

#include "engine/connection.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "engine/database.hpp"
#include "engine/error.hpp"
#include "test_support.hpp"

namespace pond::engine {
namespace {

class ConnectionTest : public ::testing::Test {
 protected:
  Value one(const std::string& sql, std::vector<Param> params) {
    auto rows = connection_.execute(sql, params).fetch_all();
    EXPECT_EQ(rows.size(), 1u);
    return rows.at(0).at(0);
  }

  Database db_;
  Connection connection_ = db_.connect();
};

TEST_F(ConnectionTest, QueryReturnsColumnsAndRows) {
  Result result = connection_.query("SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, 'y' ORDER BY a");
  ASSERT_EQ(result.columns().size(), 2u);
  EXPECT_EQ(result.columns()[0].name, "a");
  EXPECT_EQ(result.columns()[0].type, TypeId::integer);
  EXPECT_EQ(result.columns()[0].type_name, "INTEGER");
  EXPECT_EQ(result.columns()[1].type, TypeId::varchar);
  EXPECT_TRUE(result.returns_rows());
  auto rows = result.fetch_all();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][0].as_int64(), 2);
  EXPECT_EQ(rows[1][1].to_string(), "y");
}

TEST_F(ConnectionTest, DmlReportsRowsChanged) {
  connection_.query("CREATE TABLE t(i INTEGER)");
  Result insert = connection_.query("INSERT INTO t SELECT * FROM range(5)");
  EXPECT_EQ(insert.rows_changed(), 5);
  EXPECT_EQ(connection_.query("DELETE FROM t WHERE i < 2").rows_changed(), 2);
}

TEST_F(ConnectionTest, SeveralStatementsInOneQueryRunInOrder) {
  Result last = connection_.query("CREATE TABLE t(i INTEGER); INSERT INTO t VALUES (1), (2); SELECT sum(i) FROM t");
  EXPECT_EQ(last.fetch_all().at(0).at(0).as_int64(), 3);
}

TEST_F(ConnectionTest, SqlErrorsAreInvalidInputAndMissingTablesNotFound) {
  EXPECT_TRUE(test::throws_error([&] { connection_.query("SELEC 1"); }, ErrorKind::invalid_input, "syntax error"));
  EXPECT_TRUE(test::throws_error([&] { connection_.query("SELECT * FROM no_such_table"); }, ErrorKind::not_found,
                                 "no_such_table"));
  EXPECT_TRUE(test::throws_error([&] { connection_.execute("SELECT * FROM no_such_table2", {}); }, ErrorKind::not_found,
                                 "no_such_table2"));
  EXPECT_TRUE(test::throws_error([&] { connection_.query("SELECT 'abc'::INTEGER"); }, ErrorKind::invalid_input, "abc"));
}

TEST_F(ConnectionTest, NullParameter) {
  Value v = one("SELECT ? IS NULL", {nullptr});
  EXPECT_TRUE(v.as_bool());
  EXPECT_TRUE(one("SELECT ?::INTEGER", {nullptr}).is_null());
}

TEST_F(ConnectionTest, BoolParameter) {
  EXPECT_TRUE(one("SELECT NOT ?", {false}).as_bool());
  Value v = one("SELECT ?", {true});
  EXPECT_EQ(v.type(), TypeId::boolean);
  EXPECT_EQ(v.to_string(), "true");
}

TEST_F(ConnectionTest, Int64Parameter) {
  const int64_t big = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(one("SELECT ?", {big}).as_int64(), big);
  EXPECT_EQ(one("SELECT ?", {std::numeric_limits<int64_t>::min()}).as_int64(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(one("SELECT ? + 1", {int64_t{41}}).as_int64(), 42);
}

TEST_F(ConnectionTest, DoubleParameter) {
  EXPECT_DOUBLE_EQ(one("SELECT ?", {0.1}).as_double(), 0.1);
  EXPECT_DOUBLE_EQ(one("SELECT ? * 2", {-1.25}).as_double(), -2.5);
}

TEST_F(ConnectionTest, StringParametersKeepQuotesAndUnicode) {
  for (std::string text :
       {std::string("it's"), std::string("say \"hi\""), std::string("semi;colon -- not a comment"),
        std::string("données ✓ 🦆 日本語"), std::string(), std::string("back\\slash\nnew line")}) {
    Value v = one("SELECT ?", {text});
    EXPECT_EQ(v.type(), TypeId::varchar);
    EXPECT_EQ(v.to_string(), text);
  }
  EXPECT_EQ(one("SELECT length(?)", {std::string("données")}).as_int64(), 7);
}

TEST_F(ConnectionTest, ParametersAreDataNotSql) {
  connection_.query("CREATE TABLE t(s VARCHAR)");
  connection_.execute("INSERT INTO t VALUES (?)", std::vector<Param>{std::string("x'); DROP TABLE t; --")});
  EXPECT_EQ(connection_.query("SELECT s FROM t").fetch_all().at(0).at(0).to_string(), "x'); DROP TABLE t; --");
}

TEST_F(ConnectionTest, NumberedParametersMayRepeat) {
  std::vector<Param> params{int64_t{3}, std::string("ab")};
  auto rows = connection_.execute("SELECT $1 * 2, repeat($2, $1::INTEGER), $1", params).fetch_all();
  EXPECT_EQ(rows.at(0).at(0).as_int64(), 6);
  EXPECT_EQ(rows.at(0).at(1).to_string(), "ababab");
}

TEST_F(ConnectionTest, WrongParameterCountIsInvalidInput) {
  EXPECT_TRUE(test::throws_error([&] { connection_.execute("SELECT ?, ?", std::vector<Param>{int64_t{1}}); },
                                 ErrorKind::invalid_input, "expects 2 parameter(s) but 1 were given"));
}

TEST_F(ConnectionTest, PrepareWithoutCacheCanRunRepeatedly) {
  PreparedStatement statement = connection_.prepare("SELECT ? * 10");
  EXPECT_EQ(statement.parameter_count(), 1u);
  EXPECT_EQ(statement.sql(), "SELECT ? * 10");
  for (int64_t i = 0; i < 3; ++i) {
    std::vector<Param> params{i};
    EXPECT_EQ(statement.execute(params).fetch_all().at(0).at(0).as_int64(), i * 10);
  }
  EXPECT_EQ(connection_.statement_cache().size(), 0u);
}

TEST_F(ConnectionTest, PrepareErrorsNameTheProblem) {
  EXPECT_TRUE(
      test::throws_error([&] { connection_.prepare("SELECT * FROM missing_t"); }, ErrorKind::not_found, "missing_t"));
}

TEST_F(ConnectionTest, MovedConnectionStillWorks) {
  Connection moved(std::move(connection_));
  EXPECT_EQ(moved.query("SELECT 5").fetch_all().at(0).at(0).as_int64(), 5);
  Connection other = db_.connect();
  other = std::move(moved);
  EXPECT_EQ(other.query("SELECT 6").fetch_all().at(0).at(0).as_int64(), 6);
}

TEST_F(ConnectionTest, ConnectionsShareTheDatabase) {
  connection_.query("CREATE TABLE shared AS SELECT 1 AS x");
  Connection second = db_.connect();
  EXPECT_EQ(second.query("SELECT x FROM shared").fetch_all().at(0).at(0).as_int64(), 1);
}

namespace {
size_t count_of(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}
}  // namespace

TEST_F(ConnectionTest, ASyntaxErrorShowsWhereItIsOnlyOnce) {
  // DuckDB's C API repeats the "LINE 1: ..." context of a parser error; Pond shows it once.
  for (bool prepared : {false, true}) {
    try {
      if (prepared)
        connection_.prepare("SELEC 1");
      else
        connection_.query("SELEC 1");
      FAIL() << "a syntax error must throw";
    } catch (const Error& e) {
      std::string message = e.what();
      EXPECT_EQ(count_of(message, "LINE 1: SELEC 1"), 1u) << message;
      EXPECT_EQ(count_of(message, "syntax error at or near"), 1u) << message;
      EXPECT_FALSE(message.ends_with("\n")) << message;
    }
  }
}

}  // namespace
}  // namespace pond::engine
