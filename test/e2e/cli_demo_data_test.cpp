// `pond demo-data`: deterministic for a seed, different across seeds, consistent across formats.

#include <gtest/gtest.h>

#include "cli_test_support.hpp"

namespace pond::e2e {
namespace {

// md5 over every row of finance_daily in a fixed order.
std::string checksum(const TempDir& dir, const std::string& folder) {
  RunResult r = run_pond({"query",
                          "ATTACH '" + folder +
                              "/finance.duckdb' AS demo (READ_ONLY); "
                              "SELECT md5(string_agg(f::VARCHAR, '|' ORDER BY date, region, segment, product)) AS h "
                              "FROM demo.finance_daily f",
                          "-f", "csv"},
                         dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST(CliDemoData, SameSeedGivesTheSameRows) {
  TempDir dir;
  RunResult a = run_pond({"demo-data", "--seed", "7", "--rows", "600", "--out", "a"}, dir.path());
  ASSERT_EQ(a.exit_code, 0) << a.err;
  RunResult b = run_pond({"demo-data", "--seed", "7", "--rows", "600", "--out", "b"}, dir.path());
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(checksum(dir, "a"), checksum(dir, "b"));
  EXPECT_EQ(a.out.substr(0, a.out.find('\n')), "demo data (seed 7): 600 rows, 10 days from 2024-01-01 to 2024-01-10");
}

TEST(CliDemoData, DifferentSeedsGiveDifferentRows) {
  TempDir dir;
  ASSERT_EQ(run_pond({"demo-data", "--seed", "1", "--rows", "600", "--out", "a"}, dir.path()).exit_code, 0);
  ASSERT_EQ(run_pond({"demo-data", "--seed", "2", "--rows", "600", "--out", "b"}, dir.path()).exit_code, 0);
  EXPECT_NE(checksum(dir, "a"), checksum(dir, "b"));
}

TEST(CliDemoData, RerunningReplacesTheFiles) {
  TempDir dir;
  ASSERT_EQ(run_pond({"demo-data", "--seed", "1", "--rows", "600", "--out", "d"}, dir.path()).exit_code, 0);
  const std::string first = checksum(dir, "d");
  ASSERT_EQ(run_pond({"demo-data", "--seed", "2", "--rows", "600", "--out", "d"}, dir.path()).exit_code, 0);
  ASSERT_EQ(run_pond({"demo-data", "--seed", "1", "--rows", "600", "--out", "d"}, dir.path()).exit_code, 0);
  EXPECT_EQ(checksum(dir, "d"), first);
  int leftovers = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "d")) {
    leftovers += entry.path().filename().string().find(".tmp") != std::string::npos ? 1 : 0;
  }
  EXPECT_EQ(leftovers, 0);
}

TEST(CliDemoData, DuckDbCsvAndParquetHoldTheSameFacts) {
  TempDir dir;
  ASSERT_EQ(run_pond({"demo-data", "--seed", "3", "--rows", "30000"}, dir.path()).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir / ".pond/demo/csv/finance_2024.csv"));
  EXPECT_TRUE(std::filesystem::exists(dir / ".pond/demo/csv/finance_2025.csv"));
  EXPECT_TRUE(std::filesystem::exists(dir / ".pond/demo/parquet/region=EMEA.parquet"));
  RunResult r = run_pond(
      {"query",
       "ATTACH '.pond/demo/finance.duckdb' AS demo (READ_ONLY); "
       "SELECT (SELECT count(*) FROM demo.finance_daily) AS db_rows, "
       "(SELECT count(*) FROM '.pond/demo/csv/*.csv') AS csv_rows, "
       "(SELECT count(*) FROM '.pond/demo/parquet/*.parquet') AS pq_rows, "
       "(SELECT sum(revenue) FROM demo.finance_daily) = (SELECT sum(revenue) FROM '.pond/demo/parquet/*.parquet') "
       "  AS pq_same, "
       "(SELECT sum(revenue) FROM demo.finance_daily) = (SELECT round(sum(revenue), 2) FROM '.pond/demo/csv/*.csv') "
       "  AS csv_same, "
       "(SELECT count(*) FROM demo.gross_profit WHERE gross_profit <> revenue - cogs) AS bad_profit",
       "-f", "csv"},
      dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "db_rows,csv_rows,pq_rows,pq_same,csv_same,bad_profit\n30000,30000,30000,true,true,0\n");
}

}  // namespace
}  // namespace pond::e2e
