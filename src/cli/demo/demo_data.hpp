#pragma once
// Deterministic demo finance data: one DuckDB file (table finance_daily, view gross_profit)
// plus the same facts as CSV files (one per year) and Parquet files (one per region).
// The same seed and row count give the same rows on every run; values come from
// std::mt19937_64 converted to doubles by hand so that no library distribution is involved.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace pond::cli {

struct DemoDataOptions {
  uint64_t seed = 42;
  size_t rows = 40000;  // rounded up to whole days of every region/segment/product combination
  std::filesystem::path out = ".pond/demo";
};

struct DemoDataSummary {
  size_t rows = 0;
  size_t days = 0;
  std::string first_date;
  std::string last_date;
  std::filesystem::path database;  // out/finance.duckdb
  std::vector<std::filesystem::path> csv_files;
  std::vector<std::filesystem::path> parquet_files;
};

// Writes everything into options.out (created when missing), replacing earlier demo files.
// Each output is written under a temporary name and renamed into place.
DemoDataSummary write_demo_data(const DemoDataOptions& options);

}  // namespace pond::cli
