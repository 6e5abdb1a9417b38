// `pond demo-data`: writes the demo finance data set and says what it wrote.

#include <iostream>

#include "cli/commands/commands.hpp"
#include "cli/demo/demo_data.hpp"
#include "engine/error.hpp"

namespace pond::cli {

int run_demo_data(const GlobalOptions& /*global: the demo files are plain DuckDB files*/, const DemoDataArgs& args) {
  if (args.rows < 1) throw Error(ErrorKind::usage, "--rows must be at least 1");
  DemoDataOptions options;
  options.seed = args.seed;
  options.rows = static_cast<size_t>(args.rows);
  options.out = args.out;
  const DemoDataSummary summary = write_demo_data(options);
  std::cout << "demo data (seed " << args.seed << "): " << summary.rows << " rows, " << summary.days << " days from "
            << summary.first_date << " to " << summary.last_date << '\n';
  std::cout << "  " << summary.database.string() << "  (table finance_daily, view gross_profit)\n";
  std::cout << "  " << (options.out / "csv").string() << "/  (" << summary.csv_files.size()
            << " CSV files, one per year:";
  for (const auto& f : summary.csv_files) std::cout << ' ' << f.filename().string();
  std::cout << ")\n";
  std::cout << "  " << (options.out / "parquet").string() << "/  (" << summary.parquet_files.size()
            << " Parquet files, one per region)\n";
  return 0;
}

}  // namespace pond::cli
