#pragma once
// The DuckDB-side scan of a SQLite table or query: only the projected columns are selected,
// rows stream straight from sqlite3_step into DuckDB vectors, and a large rowid table is
// split into rowid ranges that DuckDB's threads scan in parallel, each on its own
// connection.

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "connectors/sqlite/sqlite_connection.hpp"
#include "engine/table_function.hpp"
#include "workspace/connector.hpp"

namespace pond::connectors::sqlite {

class ActiveConnections;

struct ScanTarget {
  std::string path;
  std::string alias;
  std::string table;       // quoted-name source for SELECT; empty for a query
  std::string query;       // native SQL when table is empty
  bool has_rowid = false;  // table can be split by rowid ranges
  int64_t min_rowid = 0;
  int64_t max_rowid = -1;
  std::vector<engine::OutputColumn> columns;
  workspace::QueryOwner owner = workspace::kNoOwner;  // the query the scan serves (for cancel)
};

class SqliteBoundScan : public engine::BoundScan {
 public:
  SqliteBoundScan(ScanTarget target, std::shared_ptr<ActiveConnections> active)
      : target_(std::move(target)), active_(std::move(active)) {}

  const std::vector<engine::OutputColumn>& columns() const override { return target_.columns; }
  std::optional<uint64_t> estimated_rows() const override;
  std::unique_ptr<engine::GlobalScan> init(const std::vector<size_t>& projection) override;

  static constexpr int64_t kRowsPerTask = 122880;

 private:
  ScanTarget target_;
  std::shared_ptr<ActiveConnections> active_;
};

}  // namespace pond::connectors::sqlite
