// pond::sql quoting helpers: the one place user text becomes SQL text.

#include "engine/sql_text.hpp"

#include <gtest/gtest.h>

#include "engine/database.hpp"
#include "engine/error.hpp"
#include "test_support.hpp"

namespace pond::sql {
namespace {

TEST(SqlText, IdentifiersAreDoubleQuotedWithQuotesDoubled) {
  EXPECT_EQ(quote_identifier("sales"), "\"sales\"");
  EXPECT_EQ(quote_identifier("we\"ird"), "\"we\"\"ird\"");
  EXPECT_EQ(quote_identifier("semi;colon"), "\"semi;colon\"");
  EXPECT_EQ(quote_identifier(""), "\"\"");
  EXPECT_EQ(quote_identifier("données"), "\"données\"");
}

TEST(SqlText, LiteralsAreSingleQuotedWithQuotesDoubled) {
  EXPECT_EQ(quote_literal("it's"), "'it''s'");
  EXPECT_EQ(quote_literal("''"), "''''''");
  EXPECT_EQ(quote_literal("back\\slash"), "'back\\slash'");
  EXPECT_EQ(quote_literal(""), "''");
}

TEST(SqlText, NulIsRejected) {
  using namespace std::string_view_literals;
  EXPECT_TRUE(test::throws_error([] { quote_literal("a\0b"sv); }, ErrorKind::invalid_input, "NUL"));
  EXPECT_TRUE(test::throws_error([] { quote_identifier("a\0b"sv); }, ErrorKind::invalid_input, "NUL"));
}

TEST(SqlText, QualifiedNamesSkipEmptyParts) {
  EXPECT_EQ(qualified_name("c", "s", "t"), "\"c\".\"s\".\"t\"");
  EXPECT_EQ(qualified_name("", "s", "t"), "\"s\".\"t\"");
  EXPECT_EQ(qualified_name("", "", "t"), "\"t\"");
  EXPECT_EQ(qualified_name("a\"b", "", "t"), "\"a\"\"b\".\"t\"");
}

TEST(SqlText, QuotedTextRoundTripsThroughDuckDb) {
  engine::Database db;
  engine::Connection connection = db.connect();
  for (std::string hostile : {"we\"ird", "it's", "semi;colon", "with space", "données", "--x", "/*", "\\"}) {
    connection.query("CREATE TABLE " + quote_identifier(hostile) + " AS SELECT " + quote_literal(hostile) + " AS v");
    auto rows = connection.query("SELECT v FROM " + qualified_name("", "main", hostile)).fetch_all();
    EXPECT_EQ(rows.at(0).at(0).to_string(), hostile);
  }
}

}  // namespace
}  // namespace pond::sql
