// The sqllogictest runner's file parser and result comparison.

#include <gtest/gtest.h>

#include "result_compare.hpp"
#include "test_file.hpp"

namespace pond::sqllogictest {
namespace {

size_t parse_error_line(std::string_view text) {
  try {
    parse_test_file("bad.test", text);
  } catch (const ParseError& error) {
    EXPECT_TRUE(std::string(error.what()).starts_with("bad.test:" + std::to_string(error.line()) + ": "))
        << error.what();
    return error.line();
  }
  ADD_FAILURE() << "no ParseError for:\n" << text;
  return 0;
}

std::string parse_error_message(std::string_view text) {
  try {
    parse_test_file("bad.test", text);
  } catch (const ParseError& error) {
    return error.what();
  }
  return {};
}

TEST(SqllogictestParser, ReadsStatementsQueriesAndCommands) {
  TestFile file = parse_test_file("t.test",
                                  "# a comment\n"
                                  "statement ok\n"
                                  "CREATE TABLE t(i INTEGER,\n"
                                  "  s VARCHAR)\n"
                                  "\n"
                                  "statement error\n"
                                  "SELECT * FROM nowhere\n"
                                  "----\n"
                                  "nowhere\n"
                                  "\n"
                                  "query IT rowsort\n"
                                  "SELECT * FROM t\n"
                                  "----\n"
                                  "1\ta\n"
                                  "2\tb\n"
                                  "\n"
                                  "restart\n"
                                  "\n"
                                  "load __TEST_DIR__/w.duckdb\n"
                                  "\n"
                                  "require parquet\n");
  ASSERT_EQ(file.records.size(), 6u);

  const auto& create = std::get<StatementRecord>(file.records[0].body);
  EXPECT_EQ(file.records[0].line, 2u);
  EXPECT_EQ(create.expect, StatementRecord::Expect::ok);
  EXPECT_EQ(create.sql, "CREATE TABLE t(i INTEGER,\n  s VARCHAR)");

  const auto& failing = std::get<StatementRecord>(file.records[1].body);
  EXPECT_EQ(failing.expect, StatementRecord::Expect::error);
  EXPECT_EQ(failing.expected_error, "nowhere");

  const auto& query = std::get<QueryRecord>(file.records[2].body);
  EXPECT_EQ(file.records[2].line, 11u);
  EXPECT_EQ(query.types, "IT");
  EXPECT_EQ(query.sort, SortMode::rowsort);
  EXPECT_EQ(query.sql, "SELECT * FROM t");
  EXPECT_EQ(query.expected, (std::vector<std::string>{"1\ta", "2\tb"}));

  EXPECT_EQ(std::get<CommandRecord>(file.records[3].body).name, "restart");
  const auto& load = std::get<CommandRecord>(file.records[4].body);
  EXPECT_EQ(load.name, "load");
  EXPECT_EQ(load.args, std::vector<std::string>{"__TEST_DIR__/w.duckdb"});
  EXPECT_EQ(std::get<CommandRecord>(file.records[5].body).name, "require");
}

TEST(SqllogictestParser, QueryWithNoExpectedRowsIsAnEmptyResult) {
  TestFile file = parse_test_file("t.test", "query I\nSELECT 1 WHERE false\n----\n");
  ASSERT_EQ(file.records.size(), 1u);
  EXPECT_TRUE(std::get<QueryRecord>(file.records[0].body).expected.empty());
}

TEST(SqllogictestParser, WriteFileTakesTheFollowingLines) {
  TestFile file = parse_test_file("t.test", "write-file __TEST_DIR__/a.csv\nx,y\n1,2\n\nrestart\n");
  ASSERT_EQ(file.records.size(), 2u);
  const auto& write = std::get<CommandRecord>(file.records[0].body);
  EXPECT_EQ(write.args, std::vector<std::string>{"__TEST_DIR__/a.csv"});
  EXPECT_EQ(write.body, "x,y\n1,2\n");
}

TEST(SqllogictestParser, SinglePathsMayContainSpaces) {
  TestFile file = parse_test_file("t.test",
                                  "load __TEST_DIR__/my work.duckdb readonly\n\nmkdir  __TEST_DIR__/a b \n\n"
                                  "load __TEST_DIR__/x y.duckdb\n");
  ASSERT_EQ(file.records.size(), 3u);
  EXPECT_EQ(std::get<CommandRecord>(file.records[0].body).args,
            (std::vector<std::string>{"__TEST_DIR__/my work.duckdb", "readonly"}));
  EXPECT_EQ(std::get<CommandRecord>(file.records[1].body).args, std::vector<std::string>{"__TEST_DIR__/a b"});
  EXPECT_EQ(std::get<CommandRecord>(file.records[2].body).args, std::vector<std::string>{"__TEST_DIR__/x y.duckdb"});
}

TEST(SqllogictestParser, ModeSkipDropsRecordsUntilUnskip) {
  TestFile file = parse_test_file("t.test",
                                  "mode skip\n\nstatement ok\nSELECT 1\n\nmode unskip\n\n"
                                  "statement ok\nSELECT 2\n");
  ASSERT_EQ(file.records.size(), 1u);
  EXPECT_EQ(std::get<StatementRecord>(file.records[0].body).sql, "SELECT 2");
}

TEST(SqllogictestParser, CarriageReturnsAreIgnored) {
  TestFile file = parse_test_file("t.test", "query I\r\nSELECT 1\r\n----\r\n1\r\n");
  EXPECT_EQ(std::get<QueryRecord>(file.records[0].body).expected, std::vector<std::string>{"1"});
}

TEST(SqllogictestParser, MalformedFilesNameTheLine) {
  EXPECT_EQ(parse_error_line("statement ok\nSELECT 1\n\nquery I\nSELECT 1\n\n"), 4u);  // no ----
  EXPECT_EQ(parse_error_line("\n\nstatement perhaps\nSELECT 1\n"), 3u);
  EXPECT_EQ(parse_error_line("query IX\nSELECT 1, 2\n----\n1\t2\n"), 1u);
  EXPECT_EQ(parse_error_line("# c\nquery I sideways\nSELECT 1\n----\n1\n"), 2u);
  EXPECT_EQ(parse_error_line("query\nSELECT 1\n----\n1\n"), 1u);
  EXPECT_EQ(parse_error_line("statement ok\n\nSELECT 1\n"), 1u);  // SQL missing
  EXPECT_EQ(parse_error_line("statement ok\nSELECT 1\n----\noops\n"), 1u);
  EXPECT_EQ(parse_error_line("statement ok\nSELECT 1\n\nfrobnicate now\n"), 4u);
  EXPECT_EQ(parse_error_line("restart now\n"), 1u);
  EXPECT_EQ(parse_error_line("restart\nSELECT 1\n"), 2u);  // missing blank line
  EXPECT_EQ(parse_error_line("load\n"), 1u);
  EXPECT_EQ(parse_error_line("copy-file a\n"), 1u);
  EXPECT_EQ(parse_error_line("mode skip\n\nstatement ok\nSELECT 1\n"), 1u);
}

TEST(SqllogictestParser, ErrorMessagesSayWhatIsWrong) {
  EXPECT_NE(parse_error_message("query IX\nSELECT 1\n----\n").find("unknown column type 'X'"), std::string::npos);
  EXPECT_NE(parse_error_message("query I\nSELECT 1\n").find("without '----'"), std::string::npos);
  EXPECT_NE(parse_error_message("frobnicate\n").find("unknown command 'frobnicate'"), std::string::npos);
}

TEST(SqllogictestParser, ServerExecCommandsTakeAnOptionalDatabaseAndTheFollowingLines) {
  TestFile file = parse_test_file("t.test",
                                  "pg-exec\nCREATE SCHEMA s;\nCREATE TABLE s.t (i int);\n\n"
                                  "mysql-exec shop\nINSERT INTO t VALUES (1);\n\n"
                                  "pg-exec ${PG_DATABASE}\nSELECT 1\n");
  ASSERT_EQ(file.records.size(), 3u);
  const auto& pg = std::get<CommandRecord>(file.records[0].body);
  EXPECT_EQ(pg.name, "pg-exec");
  EXPECT_TRUE(pg.args.empty());
  EXPECT_EQ(pg.body, "CREATE SCHEMA s;\nCREATE TABLE s.t (i int);\n");
  const auto& mysql = std::get<CommandRecord>(file.records[1].body);
  EXPECT_EQ(mysql.name, "mysql-exec");
  EXPECT_EQ(mysql.args, std::vector<std::string>{"shop"});
  EXPECT_EQ(mysql.body, "INSERT INTO t VALUES (1);\n");
  EXPECT_EQ(std::get<CommandRecord>(file.records[2].body).args, std::vector<std::string>{"${PG_DATABASE}"});
}

TEST(SqllogictestParser, ServerStopStartSleepAndAfterAreCommands) {
  TestFile file = parse_test_file("t.test",
                                  "pg-stop\n\npg-start\n\nmysql-stop\n\nmysql-start\n\nsleep 250\n\n"
                                  "after 300 interrupt\n\nstatement error\nSELECT 1\n\n"
                                  "after 0 pg-stop\n\nquery I\nSELECT 1\n----\n1\n\n"
                                  "after 600000 mysql-stop\n\nstatement ok\nSELECT 1\n");
  ASSERT_EQ(file.records.size(), 11u);
  std::vector<std::string> names;
  for (size_t i : {0, 1, 2, 3, 4, 5, 7, 9}) names.push_back(std::get<CommandRecord>(file.records[i].body).name);
  EXPECT_EQ(names, (std::vector<std::string>{"pg-stop", "pg-start", "mysql-stop", "mysql-start", "sleep", "after",
                                             "after", "after"}));
  EXPECT_EQ(std::get<CommandRecord>(file.records[4].body).args, std::vector<std::string>{"250"});
  EXPECT_EQ(std::get<CommandRecord>(file.records[5].body).args, (std::vector<std::string>{"300", "interrupt"}));
  EXPECT_EQ(std::get<CommandRecord>(file.records[7].body).args, (std::vector<std::string>{"0", "pg-stop"}));
}

TEST(SqllogictestParser, MalformedServerCommandsNameTheLine) {
  EXPECT_EQ(parse_error_line("pg-exec\n\n"), 1u);                 // no SQL
  EXPECT_EQ(parse_error_line("mysql-exec a b\nSELECT 1\n"), 1u);  // two databases
  EXPECT_EQ(parse_error_line("statement ok\nSELECT 1\n\npg-stop now\n"), 4u);
  EXPECT_EQ(parse_error_line("pg-start\nSELECT 1\n"), 2u);  // missing blank line
  EXPECT_EQ(parse_error_line("sleep\n"), 1u);
  EXPECT_EQ(parse_error_line("sleep soon\n"), 1u);
  EXPECT_EQ(parse_error_line("sleep -5\n"), 1u);
  EXPECT_EQ(parse_error_line("sleep 600001\n"), 1u);
  EXPECT_EQ(parse_error_line("sleep 99999999999999999999\n"), 1u);
  EXPECT_EQ(parse_error_line("after 100\n\nstatement ok\nSELECT 1\n"), 1u);
  EXPECT_EQ(parse_error_line("after 100 explode\n\nstatement ok\nSELECT 1\n"), 1u);
  EXPECT_EQ(parse_error_line("after 1e3 interrupt\n\nstatement ok\nSELECT 1\n"), 1u);
  EXPECT_EQ(parse_error_line("statement ok\nSELECT 1\n\nafter 100 interrupt\n"), 4u);  // nothing follows
  EXPECT_EQ(parse_error_line("after 100 interrupt\n\nrestart\n"), 1u);                 // not a statement or query
  EXPECT_EQ(parse_error_line("after 100 interrupt\n\nafter 100 interrupt\n\nstatement ok\nSELECT 1\n"), 1u);
  EXPECT_NE(parse_error_message("after 100 explode\n\nstatement ok\nSELECT 1\n").find("unknown action 'explode'"),
            std::string::npos);
  EXPECT_NE(parse_error_message("sleep soon\n").find("'soon' is not a duration"), std::string::npos);
  EXPECT_NE(parse_error_message("after 5 interrupt\n").find("must be followed by a statement or a query"),
            std::string::npos);
}

TEST(SqllogictestParser, MissingFileIsAParseErrorAtLineZero) {
  try {
    load_test_file("/nonexistent/x.test");
    FAIL() << "expected ParseError";
  } catch (const ParseError& error) {
    EXPECT_EQ(error.line(), 0u);
    EXPECT_NE(std::string(error.what()).find("/nonexistent/x.test"), std::string::npos);
  }
}

TEST(SqllogictestCompare, NullAndEmptyStringHaveTheirOwnSpelling) {
  EXPECT_EQ(format_cell(engine::Value::null()), "NULL");
  EXPECT_EQ(format_cell(engine::Value(engine::TypeId::varchar, std::string())), "(empty)");
  EXPECT_EQ(format_cell(engine::Value(engine::TypeId::boolean, true)), "true");
  EXPECT_EQ(format_cell(engine::Value(engine::TypeId::bigint, int64_t{-3})), "-3");
}

TEST(SqllogictestCompare, RealColumnsCompareWithARelativeTolerance) {
  EXPECT_TRUE(values_match('R', "0.30000000000000004", "0.3"));
  EXPECT_TRUE(values_match('R', "1000000.0000001", "1000000"));
  EXPECT_FALSE(values_match('R', "0.31", "0.3"));
  EXPECT_FALSE(values_match('R', "NULL", "0"));
  EXPECT_TRUE(values_match('R', "NULL", "NULL"));
  EXPECT_FALSE(values_match('I', "3.0000000001", "3"));
  EXPECT_FALSE(values_match('T', "0.30000000000000004", "0.3"));
}

TEST(SqllogictestCompare, RegexValuesMatchTheWholeValue) {
  EXPECT_TRUE(values_match('T', "2024-03-01 12:00:00", "<REGEX>:\\d{4}-\\d\\d-\\d\\d .*"));
  EXPECT_FALSE(values_match('T', "x2024", "<REGEX>:\\d+"));
  EXPECT_TRUE(values_match('I', "12", "<REGEX>:[0-9]+"));
}

TEST(SqllogictestCompare, RowsMustMatchInOrderWithoutSortMode) {
  Rows actual{{"1", "a"}, {"2", "b"}};
  EXPECT_TRUE(compare_result("IT", SortMode::none, actual, {"1\ta", "2\tb"}).ok);
  Comparison swapped = compare_result("IT", SortMode::none, actual, {"2\tb", "1\ta"});
  EXPECT_FALSE(swapped.ok);
  EXPECT_NE(swapped.reason.find("row 1, column 1: expected '2' but got '1'"), std::string::npos) << swapped.reason;
  EXPECT_TRUE(compare_result("IT", SortMode::rowsort, actual, {"2\tb", "1\ta"}).ok);
}

TEST(SqllogictestCompare, ValuesortComparesTheBagOfValues) {
  Rows actual{{"3", "1"}, {"2", "4"}};
  EXPECT_TRUE(compare_result("II", SortMode::valuesort, actual, {"1\t2", "3\t4"}).ok);
  EXPECT_FALSE(compare_result("II", SortMode::valuesort, actual, {"1\t2", "3\t5"}).ok);
}

TEST(SqllogictestCompare, OneValuePerLineIsAccepted) {
  Rows actual{{"1", "a"}, {"2", "b"}};
  EXPECT_TRUE(compare_result("IT", SortMode::none, actual, {"1", "a", "2", "b"}).ok);
}

TEST(SqllogictestCompare, WrongRowCountOrWidthIsReported) {
  Rows actual{{"1", "a"}};
  Comparison more = compare_result("IT", SortMode::none, actual, {"1\ta", "2\tb"});
  EXPECT_FALSE(more.ok);
  EXPECT_NE(more.reason.find("expected 2 row(s) but got 1"), std::string::npos) << more.reason;
  Comparison narrow = compare_result("IT", SortMode::none, actual, {"1 a"});
  EXPECT_FALSE(narrow.ok);
  EXPECT_NE(narrow.reason.find("separated by tabs"), std::string::npos) << narrow.reason;
  EXPECT_FALSE(compare_result("I", SortMode::none, actual, {"1"}).ok);
}

}  // namespace
}  // namespace pond::sqllogictest
