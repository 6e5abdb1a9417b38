#pragma once
// PgBoundScan — the engine::BoundScan of one PostgreSQL table, view or pond_query: its
// columns after type mapping, and init(), which plans the fetch for the projected columns.
//
// Tables and views are read with binary COPY of only the projected columns. A plain table
// larger than pages_per_task is split into ctid page ranges read by up to max_connections
// threads, each on its own connection inside a REPEATABLE READ transaction that imports one
// snapshot, exported by a coordinating connection that stays open until the scan ends — so
// every range sees the same data. Queries COPY their wrapped SQL, or, when PostgreSQL will not
// wrap them (DML ... RETURNING, SHOW, EXPLAIN), stream rows in single-row mode.
//
// Thread safety: init() may be called from any thread; the GlobalScan it returns hands out
// work to any number of LocalScans, each used by one thread.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/postgres/pg_catalog.hpp"
#include "connectors/postgres/pg_context.hpp"
#include "engine/table_function.hpp"

namespace pond::connectors::postgres {

enum class FetchMode {
  copy,            // COPY ... TO STDOUT (FORMAT binary)
  rows_binary,     // single-row mode, binary results
  rows_text,       // single-row mode, text results (every column VARCHAR)
  command_status,  // a statement without result columns: one row with its command tag
};

struct ScanSpec {
  std::string label;                                  // alias.schema.table, or "pond_query"
  workspace::QueryOwner owner = workspace::kNoOwner;  // the query the scan serves (for cancel)
  std::vector<PgColumn> columns;
  std::optional<uint64_t> estimated_rows;
  bool is_query = false;
  // Tables and views.
  std::string schema;
  std::string table;
  char relkind = 'r';
  uint64_t pages = 0;
  // Queries.
  std::string sql;
  FetchMode mode = FetchMode::copy;
};

class PgBoundScan : public engine::BoundScan {
 public:
  PgBoundScan(std::shared_ptr<PgContext> context, ScanSpec spec);

  const std::vector<engine::OutputColumn>& columns() const override { return output_; }
  std::optional<uint64_t> estimated_rows() const override { return spec_->estimated_rows; }
  std::unique_ptr<engine::GlobalScan> init(const std::vector<size_t>& projection) override;

  const ScanSpec& spec() const { return *spec_; }

 private:
  std::shared_ptr<PgContext> context_;
  std::shared_ptr<const ScanSpec> spec_;
  std::vector<engine::OutputColumn> output_;
};

}  // namespace pond::connectors::postgres
