#pragma once
// The state one initialised scan shares between its GlobalScan and LocalScans: what to fetch
// (FieldPlan), the statements still to run (one per ctid range, or one), and the
// coordinating connection that holds the exported snapshot open. Owned by shared_ptr so that
// it lives until the last LocalScan is gone. next_task() is thread-safe.

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/postgres/pg_scanner.hpp"
#include "engine/table_function.hpp"

namespace pond::connectors::postgres {

// Which remote fields a scan fetches and where each goes in the output chunk.
struct FieldPlan {
  std::vector<const PgColumn*> columns;  // per fetched field, in fetch order
  std::vector<size_t> outputs;           // output column of each fetched field
  std::vector<size_t> result_columns;    // single-row modes: result column of each field
  std::vector<size_t> null_outputs;      // row-id columns DuckDB asked for: always NULL
};

class ScanState {
 public:
  ScanState(std::shared_ptr<PgContext> context, std::shared_ptr<const ScanSpec> spec, FieldPlan plan,
            std::vector<std::string> tasks);
  ScanState(const ScanState&) = delete;
  ScanState& operator=(const ScanState&) = delete;
  ~ScanState();

  // Holds `coordinator`'s transaction (which exported `snapshot_id`) open until the scan ends.
  void keep_snapshot(PgConnection coordinator, std::string snapshot_id);

  std::optional<std::string> next_task();
  size_t task_count() const { return tasks_.size(); }

  PgContext& context() { return *context_; }
  const ScanSpec& spec() const { return *spec_; }
  const FieldPlan& plan() const { return plan_; }
  const std::string& snapshot_id() const { return snapshot_id_; }

 private:
  std::shared_ptr<PgContext> context_;
  std::shared_ptr<const ScanSpec> spec_;
  FieldPlan plan_;
  std::vector<std::string> tasks_;
  std::atomic<size_t> next_{0};
  std::optional<PgConnection> coordinator_;
  std::string snapshot_id_;
};

class PgGlobalScan : public engine::GlobalScan {
 public:
  PgGlobalScan(std::shared_ptr<ScanState> state, size_t max_threads)
      : state_(std::move(state)), max_threads_(max_threads) {}

  size_t max_threads() const override { return max_threads_; }
  // Reading from the server runs ahead of DuckDB, so the server need not wait while DuckDB
  // works on the rows (e.g. compresses them into a table).
  bool prefetch() const override { return true; }
  // A ctid-range scan is read ahead by up to max_threads connections at once, in range order,
  // also when DuckDB runs the pipeline on one thread (CREATE TABLE AS keeps insertion order).
  size_t prefetch_threads() const override { return max_threads_; }
  std::unique_ptr<engine::LocalScan> init_local() override;

 private:
  std::shared_ptr<ScanState> state_;
  size_t max_threads_;
};

}  // namespace pond::connectors::postgres
