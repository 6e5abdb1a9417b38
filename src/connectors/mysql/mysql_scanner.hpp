#pragma once
// The scan of a MySQL table or native query as a DuckDB table function: MysqlBoundScan (the
// columns, fixed at bind time) → MysqlGlobalScan (the statement for the projected columns)
// → MysqlLocalScan (one connection streaming the rows with mysql_use_result, decoded chunk by
// chunk; memory does not grow with the table). One thread per scan: MySQL offers no shared
// snapshot across connections. A table scan selects only the projected columns (`SELECT 1`
// when none); a native query runs as written and unprojected columns are dropped.
//
// Cancellation: MysqlSource::cancel() kills the running statement; the scan then throws
// pond::Error(cancelled).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/mysql/mysql_source_state.hpp"
#include "connectors/mysql/mysql_types.hpp"
#include "engine/table_function.hpp"
#include "workspace/connector.hpp"

namespace pond::connectors::mysql {

struct ScanRequest {
  std::vector<MysqlColumn> columns;
  std::string label;      // "shop.pond_test.orders" or "native query", for messages
  std::string table_sql;  // `db`.`table` for a table scan; empty for a native query
  std::string query_sql;  // the native query, as written
  std::optional<uint64_t> estimated_rows;
  workspace::QueryOwner owner = workspace::kNoOwner;  // the query the scan serves (for cancel)
};

// What a scan needs once bound and projected: shared by the global and the local scan.
struct ScanPlan {
  std::shared_ptr<MysqlSourceState> state;
  std::string label;
  std::string statement;                    // sent to the server
  std::vector<const MysqlColumn*> outputs;  // per output column; nullptr: row id (NULL)
  std::vector<int> result_index;            // per output column: index in the result row, -1 none
  std::vector<MysqlColumn> columns;         // owns what outputs point to
  workspace::QueryOwner owner = workspace::kNoOwner;
};

class MysqlBoundScan final : public engine::BoundScan {
 public:
  MysqlBoundScan(std::shared_ptr<MysqlSourceState> state, ScanRequest request);

  const std::vector<engine::OutputColumn>& columns() const override { return output_columns_; }
  std::optional<uint64_t> estimated_rows() const override { return request_.estimated_rows; }
  std::unique_ptr<engine::GlobalScan> init(const std::vector<size_t>& projection) override;

  // The statement init(projection) sends to the server.
  std::string statement_for(const std::vector<size_t>& projection) const;

 private:
  std::shared_ptr<MysqlSourceState> state_;
  ScanRequest request_;
  std::vector<engine::OutputColumn> output_columns_;
};

class MysqlGlobalScan final : public engine::GlobalScan {
 public:
  explicit MysqlGlobalScan(std::shared_ptr<const ScanPlan> plan) : plan_(std::move(plan)) {}
  std::unique_ptr<engine::LocalScan> init_local() override;
  const std::string& statement() const { return plan_->statement; }

 private:
  std::shared_ptr<const ScanPlan> plan_;
};

class MysqlLocalScan final : public engine::LocalScan {
 public:
  // Takes a connection and sends the statement; throws pond::Error on failure.
  explicit MysqlLocalScan(std::shared_ptr<const ScanPlan> plan);
  ~MysqlLocalScan() override;
  MysqlLocalScan(const MysqlLocalScan&) = delete;
  MysqlLocalScan& operator=(const MysqlLocalScan&) = delete;

  size_t scan(engine::OutputChunk& out) override;

 private:
  [[noreturn]] void fail_fetch();
  [[noreturn]] void fail_decode(size_t output, std::string_view cell, const char* reason);
  void throw_if_cancelled();

  std::shared_ptr<const ScanPlan> plan_;
  // Declared in this order so that the result is freed, then the registration ended, then
  // the connection returned or closed.
  MysqlConnectionPool::Lease lease_;
  MysqlActiveQueries::Registration registration_;
  MysqlResult result_;
  bool finished_ = false;
  uint64_t rows_read_ = 0;
};

}  // namespace pond::connectors::mysql
