#pragma once
// The DuckDB-side scan of a SQLite table or query: only the projected columns are selected,
// rows stream straight from sqlite3_step into DuckDB vectors, and a large rowid table is
// split into rowid ranges, each read by one statement on a connection of the reading thread.
// The ranges are read ahead of DuckDB by several threads at once and reach DuckDB in rowid
// order (engine::GlobalScan::prefetch_threads()), so a single-threaded pipeline such as
// MATERIALIZE's CREATE TABLE AS reads in parallel too; DuckDB's own threads share the ranges.
//
// Consistency: each range statement is its own read transaction, so each range sees the
// database as of its start. The ranges are disjoint and cover every rowid (the first and last
// are open-ended), so a row is read at most once and none is missed — unless a concurrent
// writer changes a row's rowid (or deletes and re-inserts it) while the scan runs; rows
// written during the scan appear if their range is read after the commit. A rollback-journal
// database cannot commit while a range is being read, but can between ranges; WAL databases
// commit at any time. A serial scan (a view, a WITHOUT ROWID table, a small table, a native
// query other than SELECT * FROM a table) is one statement: one snapshot.

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
  std::string rowid_name;  // rowid, _rowid_ or oid: the one no column is named
  int64_t min_rowid = 0;   // when the scan was bound; the first and last ranges are open-ended
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

  // Rowids per range, at least. Ranges come out in order, so a thread that runs ahead may hold
  // only PrefetchedScan::kDepth chunks before it waits: a range must be well under that
  // (8 chunks here) for every reading thread to keep busy, also when wide rows reach the
  // byte bound (PrefetchedScan::kMaxWaitingBytes) first.
  static constexpr int64_t kRowsPerTask = 16384;
  static constexpr int64_t kMaxRanges = 65536;  // wider ranges for sparse rowids

 private:
  ScanTarget target_;
  std::shared_ptr<ActiveConnections> active_;
};

}  // namespace pond::connectors::sqlite
