// Output formats of `pond query`: exact text for a small result in every format.

#include <gtest/gtest.h>

#include <fstream>

#include "cli_test_support.hpp"

namespace pond::e2e {
namespace {

const std::string kQuery =
    "SELECT * FROM (VALUES (1, 'a,b', 1.5::DOUBLE, true, NULL::VARCHAR, 10.25::DECIMAL(6,2)), "
    "(22, 'say \"hi\"', NULL, false, 'x|y', NULL)) t(id, txt, score, ok, note, amount) ORDER BY id";

RunResult query(const TempDir& dir, const std::string& format, const std::string& sql = kQuery) {
  return run_pond({"query", sql, "--format", format}, dir.path());
}

TEST(CliOutput, TableFormatAlignsNumbersAndShowsNull) {
  TempDir dir;
  RunResult r = query(dir, "table");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "┌─────────┬──────────┬────────┬─────────┬─────────┬──────────────┐\n"
            "│   id    │   txt    │ score  │   ok    │  note   │    amount    │\n"
            "│ integer │ varchar  │ double │ boolean │ varchar │ decimal(6,2) │\n"
            "├─────────┼──────────┼────────┼─────────┼─────────┼──────────────┤\n"
            "│       1 │ a,b      │    1.5 │ true    │ NULL    │        10.25 │\n"
            "│      22 │ say \"hi\" │   NULL │ false   │ x|y     │         NULL │\n"
            "└─────────┴──────────┴────────┴─────────┴─────────┴──────────────┘\n");
  EXPECT_EQ(r.err, "");
}

TEST(CliOutput, CsvFormatQuotesAndLeavesNullEmpty) {
  TempDir dir;
  RunResult r = query(dir, "csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "id,txt,score,ok,note,amount\n"
            "1,\"a,b\",1.5,true,,10.25\n"
            "22,\"say \"\"hi\"\"\",,false,x|y,\n");
}

TEST(CliOutput, CsvFormatQuotesAnEmptyStringSoItReadsBackDifferentlyFromNull) {
  // As psql --csv does: NULL is an empty field, the empty string is "" (PostgreSQL COPY FROM,
  // Python csv and DuckDB with allow_quoted_nulls = false read them back apart).
  TempDir dir;
  RunResult r = query(dir, "csv", "SELECT '' AS e, NULL::VARCHAR AS n, 'x' AS x");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "e,n,x\n\"\",,x\n");
  std::ofstream(dir / "out.csv") << r.out;
  RunResult back = run_pond({"query",
                             "SELECT e IS NULL AS e_null, e = '' AS e_empty, n IS NULL AS n_null FROM "
                             "read_csv('out.csv', header = true, all_varchar = true, allow_quoted_nulls = false)",
                             "-f", "csv"},
                            dir.path());
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_EQ(back.out, "e_null,e_empty,n_null\nfalse,true,true\n");
}

TEST(CliOutput, CsvFormatQuotesLineBreaks) {
  TempDir dir;
  RunResult r = query(dir, "csv", "SELECT 'line1' || chr(10) || 'line2' AS \"multi,line\", 'plain' AS p");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "\"multi,line\",p\n\"line1\nline2\",plain\n");
}

TEST(CliOutput, JsonFormatIsAnArrayWithTypedValues) {
  TempDir dir;
  RunResult r = query(dir, "json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "[\n"
            "  {\"id\":1,\"txt\":\"a,b\",\"score\":1.5,\"ok\":true,\"note\":null,\"amount\":10.25},\n"
            "  {\"id\":22,\"txt\":\"say \\\"hi\\\"\",\"score\":null,\"ok\":false,\"note\":\"x|y\",\"amount\":null}\n"
            "]\n");
}

TEST(CliOutput, JsonFormatOfNoRowsIsAnEmptyArray) {
  TempDir dir;
  RunResult r = query(dir, "json", "SELECT 1 AS a WHERE false");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "[]\n");
}

TEST(CliOutput, NdjsonFormatIsOneObjectPerLine) {
  TempDir dir;
  RunResult r = query(dir, "ndjson");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"id\":1,\"txt\":\"a,b\",\"score\":1.5,\"ok\":true,\"note\":null,\"amount\":10.25}\n"
            "{\"id\":22,\"txt\":\"say \\\"hi\\\"\",\"score\":null,\"ok\":false,\"note\":\"x|y\",\"amount\":null}\n");
}

TEST(CliOutput, MarkdownFormatEscapesPipes) {
  TempDir dir;
  RunResult r = query(dir, "markdown");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "| id | txt | score | ok | note | amount |\n"
            "| ---: | --- | ---: | --- | --- | ---: |\n"
            "| 1 | a,b | 1.5 | true | NULL | 10.25 |\n"
            "| 22 | say \"hi\" | NULL | false | x\\|y | NULL |\n");
}

// Alignment follows the column's type, never the values: a column of NULLs only is left-aligned
// when its type is text, a date or a boolean, and right-aligned when it is a number.
const std::string kAllNullQuery =
    "SELECT 'a' AS name, NULL::VARCHAR AS note, NULL::DATE AS day, NULL::BOOLEAN AS ok, NULL::BIGINT AS n, "
    "NULL::DECIMAL(6,2) AS amount FROM range(2)";

TEST(CliOutput, MarkdownAlignsAColumnOfNullsByItsType) {
  TempDir dir;
  RunResult r = query(dir, "markdown", kAllNullQuery);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "| name | note | day | ok | n | amount |\n"
            "| --- | --- | --- | --- | ---: | ---: |\n"
            "| a | NULL | NULL | NULL | NULL | NULL |\n"
            "| a | NULL | NULL | NULL | NULL | NULL |\n");
}

TEST(CliOutput, TableAlignsAColumnOfNullsByItsType) {
  TempDir dir;
  RunResult r = query(dir, "table", kAllNullQuery);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "┌─────────┬─────────┬──────┬─────────┬────────┬──────────────┐\n"
            "│  name   │  note   │ day  │   ok    │   n    │    amount    │\n"
            "│ varchar │ varchar │ date │ boolean │ bigint │ decimal(6,2) │\n"
            "├─────────┼─────────┼──────┼─────────┼────────┼──────────────┤\n"
            "│ a       │ NULL    │ NULL │ NULL    │   NULL │         NULL │\n"
            "│ a       │ NULL    │ NULL │ NULL    │   NULL │         NULL │\n"
            "└─────────┴─────────┴──────┴─────────┴────────┴──────────────┘\n");
}

TEST(CliOutput, TableShowsFirstAndLastRowsWithACount) {
  TempDir dir;
  RunResult r = run_pond({"query", "SELECT range AS i FROM range(10)", "--max-rows", "4"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "┌───────────────────┐\n"
            "│         i         │\n"
            "│      bigint       │\n"
            "├───────────────────┤\n"
            "│                 0 │\n"
            "│                 1 │\n"
            "│                 · │\n"
            "│                 · │\n"
            "│                 · │\n"
            "│                 8 │\n"
            "│                 9 │\n"
            "├───────────────────┤\n"
            "│ 10 rows (4 shown) │\n"
            "└───────────────────┘\n");
}

TEST(CliOutput, TableCutsWideValuesWithAnEllipsis) {
  TempDir dir;
  RunResult r = run_pond({"query", "SELECT repeat('x', 50) AS wide", "--max-width", "10"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("│ xxxxxxxxx… │"), std::string::npos) << r.out;
}

TEST(CliOutput, PipedTableShowsEveryRowByDefault) {
  TempDir dir;
  RunResult r = run_pond({"query", "SELECT range AS i FROM range(100)"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("│     50 │"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("shown"), std::string::npos);
}

TEST(CliOutput, EveryRowSetOfAScriptIsPrinted) {
  TempDir dir;
  RunResult r = run_pond(
      {"query", "CREATE TABLE t AS SELECT 1 AS a; SELECT a FROM t; SELECT a + 1 AS b FROM t", "-f", "csv"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "a\n1\n\nb\n2\n");
}

TEST(CliOutput, CsvStreamsLargeResults) {
  TempDir dir;
  RunResult r = run_pond({"query", "SELECT range AS i FROM range(300000)", "-f", "csv"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("i\n0\n1\n"));
  EXPECT_TRUE(r.out.ends_with("\n299999\n"));
}

}  // namespace
}  // namespace pond::e2e
