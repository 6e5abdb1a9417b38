// engine::Appender: rows appended become visible; type and table errors are reported.

#include "engine/appender.hpp"

#include <gtest/gtest.h>

#include "engine/database.hpp"
#include "engine/error.hpp"
#include "test_support.hpp"

namespace pond::engine {
namespace {

class AppenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    connection_.query(
        "CREATE TABLE people(id BIGINT, name VARCHAR, score DOUBLE, active BOOLEAN, born DATE, n INTEGER)");
  }

  Database db_;
  Connection connection_ = db_.connect();
};

TEST_F(AppenderTest, AppendedRowsAreVisibleAfterClose) {
  Appender appender(connection_, "main", "people");
  appender.append(int64_t{1}).append("Ada").append(9.5).append(true).append_date(0).append(int32_t{7});
  appender.end_row();
  appender.append(int64_t{2}).append(std::string_view("Grace ✓")).append(nullptr).append(false).append_date(-1);
  appender.append(nullptr);
  appender.end_row();
  appender.close();
  auto rows = connection_.query("SELECT id, name, score, active, born::VARCHAR, n FROM people ORDER BY id").fetch_all();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1].to_string(), "Ada");
  EXPECT_DOUBLE_EQ(rows[0][2].as_double(), 9.5);
  EXPECT_TRUE(rows[0][3].as_bool());
  EXPECT_EQ(rows[0][4].to_string(), "1970-01-01");
  EXPECT_EQ(rows[0][5].as_int64(), 7);
  EXPECT_EQ(rows[1][1].to_string(), "Grace ✓");
  EXPECT_TRUE(rows[1][2].is_null());
  EXPECT_EQ(rows[1][4].to_string(), "1969-12-31");
  EXPECT_TRUE(rows[1][5].is_null());
}

TEST_F(AppenderTest, FlushMakesRowsVisibleBeforeClose) {
  Appender appender(connection_, "", "people");
  for (int64_t i = 0; i < 5000; ++i) {
    appender.append(i).append("x").append(0.0).append(false).append_date(1).append(int32_t{0});
    appender.end_row();
  }
  appender.flush();
  EXPECT_EQ(connection_.query("SELECT count(*), sum(id) FROM people").fetch_all().at(0).at(1).as_int64(),
            int64_t{4999} * 5000 / 2);
}

TEST_F(AppenderTest, DestructorFlushesRows) {
  {
    Appender appender(connection_, "main", "people");
    appender.append(int64_t{1}).append("a").append(1.0).append(true).append_date(3).append(int32_t{1});
    appender.end_row();
  }
  EXPECT_EQ(connection_.query("SELECT count(*) FROM people").fetch_all().at(0).at(0).as_int64(), 1);
}

TEST_F(AppenderTest, MissingTableIsNotFound) {
  EXPECT_TRUE(
      test::throws_error([&] { Appender appender(connection_, "main", "nobody"); }, ErrorKind::not_found, "nobody"));
}

TEST_F(AppenderTest, WrongTypeIsInvalidInputNamingTheTable) {
  Appender appender(connection_, "main", "people");
  EXPECT_TRUE(test::throws_error(
      [&] {
        appender.append("not a number").append("b").append(1.0).append(true).append_date(0).append(int32_t{1});
        appender.end_row();
        appender.flush();
      },
      ErrorKind::invalid_input, "people"));
}

TEST_F(AppenderTest, TooFewColumnsIsAnError) {
  Appender appender(connection_, "main", "people");
  appender.append(int64_t{1});
  EXPECT_TRUE(test::throws_error([&] { appender.end_row(); }, ErrorKind::invalid_input, "people"));
}

TEST_F(AppenderTest, AppendsIntoAnAttachedCatalog) {
  connection_.query("ATTACH ':memory:' AS other");
  connection_.query("CREATE TABLE other.main.t(i INTEGER)");
  {
    Appender appender(connection_, "main", "t", "other");
    appender.append(int32_t{5});
    appender.end_row();
    appender.close();
  }
  EXPECT_EQ(connection_.query("SELECT i FROM other.t").fetch_all().at(0).at(0).as_int64(), 5);
}

}  // namespace
}  // namespace pond::engine
