// Sources across processes: attach in one `pond`, query in the next, detach, list, export.

#include <gtest/gtest.h>

#include "cli_test_support.hpp"

namespace pond::e2e {
namespace {

std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A DuckDB file with table t(a INTEGER, b VARCHAR) holding three rows.
void make_database(const TempDir& dir, const std::string& file) {
  RunResult r = run_pond(
      {"-w", file, "query", "CREATE TABLE t AS SELECT range::INTEGER AS a, 'row ' || range AS b FROM range(3)"},
      dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

TEST(CliSources, AttachedSourceIsSeenByLaterProcesses) {
  TempDir dir;
  make_database(dir, "data.duckdb");
  RunResult attach = run_pond({"-w", "ws.duckdb", "attach", "data.duckdb", "--as", "src", "--read-only"}, dir.path());
  ASSERT_EQ(attach.exit_code, 0) << attach.err;
  EXPECT_NE(attach.out.find("attached"), std::string::npos);
  RunResult first = run_pond({"-w", "ws.duckdb", "query", "SELECT sum(a) AS s FROM src.t", "-f", "csv"}, dir.path());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, "s\n3\n");
  RunResult second =
      run_pond({"-w", "ws.duckdb", "query", "SELECT b FROM src.t ORDER BY a DESC LIMIT 1", "-f", "csv"}, dir.path());
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, "b\nrow 2\n");
}

TEST(CliSources, WorkspaceComesFromTheEnvironmentVariableToo) {
  TempDir dir;
  make_database(dir, "data.duckdb");
  ASSERT_EQ(run_pond({"-w", "ws.duckdb", "attach", "data.duckdb", "--as", "src"}, dir.path()).exit_code, 0);
  RunResult r = run_pond({"query", "SELECT count(*) AS n FROM src.t", "-f", "csv"}, dir.path());
  // Without -w and without POND_WORKSPACE the workspace is in memory: no source.
  EXPECT_EQ(r.exit_code, 1);
}

TEST(CliSources, SourcesJsonListsTablesOfAttachedSources) {
  TempDir dir;
  make_database(dir, "data.duckdb");
  ASSERT_EQ(run_pond({"-w", "ws.duckdb", "attach", "data.duckdb", "--as", "src"}, dir.path()).exit_code, 0);
  RunResult r = run_pond({"-w", "ws.duckdb", "sources", "--json"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"alias\": \"src\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"main.t\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"status\": \"available\""), std::string::npos) << r.out;
  RunResult table = run_pond({"-w", "ws.duckdb", "sources"}, dir.path());
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("│ src "), std::string::npos) << table.out;
}

TEST(CliSources, DetachedSourceCannotBeQueriedLater) {
  TempDir dir;
  make_database(dir, "data.duckdb");
  ASSERT_EQ(run_pond({"-w", "ws.duckdb", "attach", "data.duckdb", "--as", "src"}, dir.path()).exit_code, 0);
  RunResult detach = run_pond({"-w", "ws.duckdb", "detach", "src"}, dir.path());
  ASSERT_EQ(detach.exit_code, 0) << detach.err;
  RunResult r = run_pond({"-w", "ws.duckdb", "query", "SELECT * FROM src.t"}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("src"), std::string::npos) << r.err;
  RunResult again = run_pond({"-w", "ws.duckdb", "detach", "src"}, dir.path());
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(run_pond({"-w", "ws.duckdb", "detach", "src", "--if-exists"}, dir.path()).exit_code, 0);
}

TEST(CliSources, AttachingAMissingFileNamesThePath) {
  TempDir dir;
  RunResult r = run_pond({"-w", "ws.duckdb", "attach", "nowhere/missing.duckdb", "--as", "m"}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.duckdb"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "nowhere/missing.duckdb"));
}

TEST(CliSources, HostileAliasesWorkEndToEnd) {
  TempDir dir;
  make_database(dir, "data.duckdb");
  for (const std::string alias : {"it's", "semi;colon", "with space", "quo\"te", "données_日本"}) {
    SCOPED_TRACE(alias);
    RunResult attach = run_pond({"-w", "ws.duckdb", "attach", "data.duckdb", "--as", alias, "--read-only"}, dir.path());
    ASSERT_EQ(attach.exit_code, 0) << attach.err;
    RunResult r = run_pond(
        {"-w", "ws.duckdb", "query", "SELECT count(*) AS n FROM " + quoted(alias) + ".t", "-f", "csv"}, dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "n\n3\n");
    RunResult list = run_pond({"-w", "ws.duckdb", "sources", "--json"}, dir.path());
    EXPECT_NE(list.out.find("\"read_only\": true"), std::string::npos);
    ASSERT_EQ(run_pond({"-w", "ws.duckdb", "detach", alias}, dir.path()).exit_code, 0);
  }
}

TEST(CliSources, DataFilesAttachAsAFileSource) {
  TempDir dir;
  ASSERT_EQ(run_pond({"export", "SELECT range AS x FROM range(5)", "--to", "nums.csv"}, dir.path()).exit_code, 0);
  RunResult attach = run_pond({"-w", "ws.duckdb", "attach", "nums.csv", "--as", "nums"}, dir.path());
  ASSERT_EQ(attach.exit_code, 0) << attach.err;
  RunResult r = run_pond({"-w", "ws.duckdb", "query", "SELECT sum(x) AS s FROM nums", "-f", "csv"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "s\n10\n");
}

TEST(CliSources, ExportToParquetReadsBack) {
  TempDir dir;
  RunResult exp =
      run_pond({"export", "SELECT range AS x, 'v' || range AS y FROM range(1000)", "--to", "out.parquet"}, dir.path());
  ASSERT_EQ(exp.exit_code, 0) << exp.err;
  EXPECT_EQ(exp.out, "wrote 1000 rows to out.parquet (parquet)\n");
  RunResult r = run_pond({"query",
                          "SELECT count(*) AS n, sum(x) AS s, max(y) AS y FROM 'out.parquet'; "
                          "SELECT compression FROM parquet_metadata('out.parquet') LIMIT 1",
                          "-f", "csv"},
                         dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "n,s,y\n1000,499500,v999\n\ncompression\nZSTD\n");
}

TEST(CliSources, ExplainPrintsThePlan) {
  TempDir dir;
  RunResult r = run_pond({"explain", "SELECT sum(range) FROM range(10)"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("RANGE"), std::string::npos) << r.out;
  RunResult analyzed = run_pond({"explain", "--analyze", "SELECT sum(range) FROM range(10)"}, dir.path());
  ASSERT_EQ(analyzed.exit_code, 0) << analyzed.err;
  EXPECT_NE(analyzed.out.find("Total Time"), std::string::npos) << analyzed.out;
}

}  // namespace
}  // namespace pond::e2e
