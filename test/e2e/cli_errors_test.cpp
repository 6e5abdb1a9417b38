// Exit codes and error messages: 2 for a bad command line, 1 for failed work, 0 otherwise.

#include <gtest/gtest.h>

#include "cli_test_support.hpp"

namespace pond::e2e {
namespace {

TEST(CliErrors, AttachingAMissingFileNamesItWithoutCallingItADuckDBFile) {
  TempDir dir;
  RunResult r = run_pond({"-w", "ws.duckdb", "attach", "crm.db", "--as", "crm"}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("file 'crm.db' does not exist; check the path"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("DuckDB file"), std::string::npos) << r.err;
}

TEST(CliErrors, UnknownCommandExitsWithUsageCode) {
  TempDir dir;
  RunResult r = run_pond({"frobnicate"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("pond: error: unknown command 'frobnicate'"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(CliErrors, MissingArgumentExitsWithUsageCode) {
  TempDir dir;
  RunResult r = run_pond({"query"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("pond: error: SQL is required"), std::string::npos) << r.err;
}

TEST(CliErrors, UnknownOptionExitsWithUsageCode) {
  TempDir dir;
  RunResult r = run_pond({"query", "SELECT 1", "--no-such-option"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--no-such-option"), std::string::npos) << r.err;
}

TEST(CliErrors, UnknownFormatExitsWithUsageCode) {
  TempDir dir;
  RunResult r = run_pond({"query", "SELECT 1", "--format", "xml"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("xml"), std::string::npos) << r.err;
}

TEST(CliErrors, MalformedSettingExitsWithUsageCode) {
  TempDir dir;
  RunResult r = run_pond({"--setting", "threads", "query", "SELECT 1"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("NAME=VALUE"), std::string::npos) << r.err;
}

TEST(CliErrors, SettingIsAppliedToTheWorkspace) {
  TempDir dir;
  RunResult r =
      run_pond({"--setting", "threads=3", "query", "SELECT current_setting('threads') AS t", "-f", "csv"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "t\n3\n");
}

TEST(CliErrors, SqlErrorExitsWithFailureCodeAndDuckDbMessage) {
  TempDir dir;
  RunResult r = run_pond({"query", "SELECT * FROM no_such_table"}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.err.starts_with("pond: error: ")) << r.err;
  EXPECT_NE(r.err.find("no_such_table"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(CliErrors, FailingStatementOfAScriptIsNamed) {
  TempDir dir;
  RunResult r = run_pond({"query", "SELECT 1 AS a; SELECT nope; SELECT 3", "-f", "csv"}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "a\n1\n");
  EXPECT_NE(r.err.find("statement 2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nope"), std::string::npos) << r.err;
}

TEST(CliErrors, HelpExitsWithSuccess) {
  TempDir dir;
  RunResult r = run_pond({"query", "--help"}, dir.path());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--format"), std::string::npos) << r.out;
}

TEST(CliErrors, ExportIntoMissingFolderNamesTheFolder) {
  TempDir dir;
  RunResult r = run_pond({"export", "SELECT 1", "--to", "missing/out.parquet"}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("folder 'missing' does not exist"), std::string::npos) << r.err;
}

TEST(CliErrors, ExportToUnknownExtensionAsksForFormat) {
  TempDir dir;
  RunResult r = run_pond({"export", "SELECT 1", "--to", "out.xyz"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--format"), std::string::npos) << r.err;
}

// Disabled until the workspace opens read-only: it currently ATTACHes an in-memory database
// for ephemeral materializations, which DuckDB refuses in access_mode READ_ONLY
// ("Cannot launch in-memory database in read-only mode!"). Enable once that is fixed.
TEST(CliErrors, ReadOnlyWorkspaceReadsButRefusesWrites) {
  TempDir dir;
  ASSERT_EQ(run_pond({"-w", "ws.duckdb", "query", "CREATE TABLE t AS SELECT 1 AS a"}, dir.path()).exit_code, 0);
  RunResult read = run_pond({"-w", "ws.duckdb", "--read-only", "query", "SELECT a FROM t", "-f", "csv"}, dir.path());
  ASSERT_EQ(read.exit_code, 0) << read.err;
  EXPECT_EQ(read.out, "a\n1\n");
  RunResult write = run_pond({"-w", "ws.duckdb", "--read-only", "query", "INSERT INTO t VALUES (2)"}, dir.path());
  EXPECT_EQ(write.exit_code, 1);
  EXPECT_NE(write.err.find("read-only"), std::string::npos) << write.err;
}

}  // namespace
}  // namespace pond::e2e
