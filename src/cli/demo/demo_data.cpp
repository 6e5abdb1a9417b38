#include "cli/demo/demo_data.hpp"

#include <unistd.h>

#include "cli/demo/finance_model.hpp"
#include "engine/appender.hpp"
#include "engine/database.hpp"
#include "engine/error.hpp"
#include "engine/sql_text.hpp"

namespace pond::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCreateTable = R"(CREATE TABLE finance_daily (
  date DATE NOT NULL,
  region VARCHAR NOT NULL,
  segment VARCHAR NOT NULL,
  product VARCHAR NOT NULL,
  customers INTEGER NOT NULL,
  revenue DECIMAL(14,2) NOT NULL,
  cogs DECIMAL(14,2) NOT NULL,
  opex DECIMAL(14,2) NOT NULL,
  refunds DECIMAL(14,2) NOT NULL,
  marketing_spend DECIMAL(14,2) NOT NULL))";

constexpr const char* kCreateView = R"(CREATE VIEW gross_profit AS
SELECT date, region, segment, product, revenue, cogs,
       revenue - cogs AS gross_profit,
       CASE WHEN revenue = 0 THEN NULL ELSE round((revenue - cogs) / revenue, 4) END AS gross_margin
FROM finance_daily)";

constexpr const char* kOrder = " ORDER BY date, region, segment, product";

std::string money(int64_t cents) {
  std::string fraction = std::to_string(cents % 100);
  return std::to_string(cents / 100) + "." + (fraction.size() < 2 ? "0" : "") + fraction;
}

void remove_path(const fs::path& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) throw Error(ErrorKind::io, "cannot remove '" + path.string() + "': " + ec.message());
}

void rename_into_place(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) throw Error(ErrorKind::io, "cannot move '" + from.string() + "' to '" + to.string() + "': " + ec.message());
}

// Replaces folder `to` with `from`: the old one is moved aside first, then deleted.
void replace_folder(const fs::path& from, const fs::path& to, const std::string& suffix) {
  fs::path old = to;
  old += ".old" + suffix;
  remove_path(old);
  if (fs::exists(to)) rename_into_place(to, old);
  rename_into_place(from, to);
  remove_path(old);
}

void load_facts(engine::Connection& connection, const DemoDataOptions& options, size_t days) {
  connection.query(kCreateTable);
  std::mt19937_64 random(options.seed);
  engine::Appender appender(connection, "main", "finance_daily");
  for (size_t day = 0; day < days; ++day) {
    for (const Region& region : kRegions) {
      for (const Segment& segment : kSegments) {
        for (const Product& product : kProducts) {
          const FinanceFacts f = draw_facts(random, static_cast<int32_t>(day), region, segment, product);
          appender.append_date(kFirstDay + static_cast<int32_t>(day))
              .append(region.name)
              .append(segment.name)
              .append(product.name)
              .append(f.customers)
              .append(money(f.revenue))
              .append(money(f.cogs))
              .append(money(f.opex))
              .append(money(f.refunds))
              .append(money(f.marketing_spend));
          appender.end_row();
        }
      }
    }
  }
  appender.close();
  connection.query(kCreateView);
}

std::vector<fs::path> write_csv_by_year(engine::Connection& connection, const fs::path& folder) {
  std::vector<fs::path> files;
  for (const auto& row : connection.query("SELECT DISTINCT year(date) FROM finance_daily ORDER BY 1").fetch_all()) {
    const std::string year = std::to_string(row[0].as_int64());
    fs::path file = folder / ("finance_" + year + ".csv");
    connection.query("COPY (SELECT * FROM finance_daily WHERE year(date) = " + year + kOrder + ") TO " +
                     sql::quote_literal(file.string()) + " (FORMAT csv, HEADER true)");
    files.push_back(file);
  }
  return files;
}

std::vector<fs::path> write_parquet_by_region(engine::Connection& connection, const fs::path& folder) {
  std::vector<fs::path> files;
  for (const Region& region : kRegions) {
    fs::path file = folder / ("region=" + std::string(region.name) + ".parquet");
    connection.query("COPY (SELECT * FROM finance_daily WHERE region = " + sql::quote_literal(region.name) + kOrder +
                     ") TO " + sql::quote_literal(file.string()) + " (FORMAT parquet, COMPRESSION zstd)");
    files.push_back(file);
  }
  return files;
}

}  // namespace

DemoDataSummary write_demo_data(const DemoDataOptions& options) {
  if (options.rows == 0) throw Error(ErrorKind::usage, "--rows must be at least 1");
  std::error_code ec;
  fs::create_directories(options.out, ec);
  if (ec) throw Error(ErrorKind::io, "cannot create folder '" + options.out.string() + "': " + ec.message());

  const std::string suffix = ".tmp-" + std::to_string(getpid());
  const fs::path database_tmp = options.out / (".finance.duckdb" + suffix);
  const fs::path csv_tmp = options.out / (".csv" + suffix);
  const fs::path parquet_tmp = options.out / (".parquet" + suffix);
  for (const fs::path& p : {database_tmp, fs::path(database_tmp.string() + ".wal"), csv_tmp, parquet_tmp})
    remove_path(p);
  fs::create_directories(csv_tmp);
  fs::create_directories(parquet_tmp);

  DemoDataSummary summary;
  summary.days = (options.rows + kCombinations - 1) / kCombinations;
  summary.rows = summary.days * kCombinations;
  summary.database = options.out / "finance.duckdb";
  {
    engine::Database database(engine::DatabaseOptions{database_tmp.string(), false, {}});
    engine::Connection connection = database.connect();
    load_facts(connection, options, summary.days);
    auto range = connection.query("SELECT min(date)::VARCHAR, max(date)::VARCHAR FROM finance_daily").fetch_all();
    summary.first_date = range.at(0).at(0).to_string();
    summary.last_date = range.at(0).at(1).to_string();
    for (const fs::path& f : write_csv_by_year(connection, csv_tmp))
      summary.csv_files.push_back(options.out / "csv" / f.filename());
    for (const fs::path& f : write_parquet_by_region(connection, parquet_tmp))
      summary.parquet_files.push_back(options.out / "parquet" / f.filename());
    connection.query("CHECKPOINT");
  }
  remove_path(fs::path(summary.database.string() + ".wal"));  // a stale WAL would be replayed into the new file
  rename_into_place(database_tmp, summary.database);
  replace_folder(csv_tmp, options.out / "csv", suffix);
  replace_folder(parquet_tmp, options.out / "parquet", suffix);
  return summary;
}

}  // namespace pond::cli
