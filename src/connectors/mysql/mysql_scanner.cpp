#include "connectors/mysql/mysql_scanner.hpp"

#include "connectors/mysql/mysql_utils.hpp"
#include "connectors/mysql/value_decoder.hpp"
#include "engine/error.hpp"

namespace pond::connectors::mysql {
namespace {

std::shared_ptr<ScanPlan> make_plan(const std::shared_ptr<MysqlSourceState>& state, const ScanRequest& request,
                                    const std::vector<size_t>& projection) {
  auto plan = std::make_shared<ScanPlan>();
  plan->state = state;
  plan->label = request.label;
  plan->owner = request.owner;
  plan->columns = request.columns;
  bool table_scan = !request.table_sql.empty();
  std::string select;
  int selected = 0;
  for (size_t index : projection) {
    if (index >= plan->columns.size()) {  // DuckDB's row id: the scan leaves it NULL
      plan->outputs.push_back(nullptr);
      plan->result_index.push_back(-1);
      continue;
    }
    plan->outputs.push_back(&plan->columns[index]);
    if (table_scan) {
      if (selected > 0) select += ", ";
      select += quote_identifier(plan->columns[index].name);
      plan->result_index.push_back(selected++);
    } else {
      plan->result_index.push_back(static_cast<int>(index));
    }
  }
  // With no column wanted (count(*)), one constant per row is all the server has to send.
  plan->statement = table_scan ? "SELECT " + (select.empty() ? std::string("1") : select) + " FROM " + request.table_sql
                               : request.query_sql;
  return plan;
}

std::string excerpt(std::string_view cell) {
  constexpr size_t kMax = 64;
  return cell.size() <= kMax ? std::string(cell) : std::string(cell.substr(0, kMax)) + "...";
}

}  // namespace

MysqlBoundScan::MysqlBoundScan(std::shared_ptr<MysqlSourceState> state, ScanRequest request)
    : state_(std::move(state)), request_(std::move(request)) {
  for (const MysqlColumn& column : request_.columns) output_columns_.push_back({column.name, column.type});
}

std::unique_ptr<engine::GlobalScan> MysqlBoundScan::init(const std::vector<size_t>& projection) {
  return std::make_unique<MysqlGlobalScan>(make_plan(state_, request_, projection));
}

std::string MysqlBoundScan::statement_for(const std::vector<size_t>& projection) const {
  return make_plan(state_, request_, projection)->statement;
}

std::unique_ptr<engine::LocalScan> MysqlGlobalScan::init_local() { return std::make_unique<MysqlLocalScan>(plan_); }

MysqlLocalScan::MysqlLocalScan(std::shared_ptr<const ScanPlan> plan)
    : plan_(std::move(plan)), lease_(plan_->state->pool.acquire()) {
  registration_ = plan_->state->active.add(*lease_, plan_->owner);
  plan_->state->record_statement(plan_->statement);
  try {
    result_ = lease_->stream(plan_->statement, "reading " + plan_->label);
  } catch (const Error& error) {
    throw_if_cancelled();
    if (error.kind() == ErrorKind::not_found) plan_->state->catalog_stale = true;
    throw;
  }
  throw_if_cancelled();
  if (!result_) finished_ = true;
}

MysqlLocalScan::~MysqlLocalScan() {
  if (!finished_ && lease_->valid()) {
    // Freeing a half-read streamed result would read every remaining row first.
    lease_->abort_io();
    lease_.discard();
  }
}

size_t MysqlLocalScan::scan(engine::OutputChunk& out) {
  if (finished_) return 0;
  const ScanPlan& plan = *plan_;
  const size_t width = plan.outputs.size();
  std::vector<engine::OutputVector> vectors;
  vectors.reserve(width);
  for (size_t i = 0; i < width; ++i) vectors.push_back(out.column(i));

  size_t rows = 0;
  while (rows < engine::OutputChunk::kCapacity) {
    MYSQL_ROW row = result_.fetch_row();
    if (!row) {
      if (mysql_errno(lease_->handle()) != 0) fail_fetch();
      throw_if_cancelled();
      finished_ = true;
      break;
    }
    const unsigned long* lengths = result_.lengths();
    for (size_t i = 0; i < width; ++i) {
      int index = plan.result_index[i];
      if (index < 0 || !row[index]) {
        vectors[i].set_null(rows);
        continue;
      }
      std::string_view cell(row[index], lengths[index]);
      if (const char* reason = decode_cell(*plan.outputs[i], cell, vectors[i], rows)) fail_decode(i, cell, reason);
    }
    ++rows;
    ++rows_read_;
  }
  throw_if_cancelled();
  if (finished_) {
    // Done: free the result and hand the connection back now, not when DuckDB drops the state.
    result_ = MysqlResult();
    registration_.end();
    MysqlConnectionPool::Lease done = std::move(lease_);
  }
  return rows;
}

void MysqlLocalScan::throw_if_cancelled() {
  if (registration_.cancelled()) {
    throw Error(ErrorKind::cancelled, plan_->state->settings.describe() + ": query cancelled while reading " +
                                          plan_->label + " (after " + std::to_string(rows_read_) + " rows)");
  }
}

void MysqlLocalScan::fail_fetch() {
  throw_if_cancelled();
  lease_->throw_last_error("reading " + plan_->label + " (after " + std::to_string(rows_read_) + " rows)");
}

void MysqlLocalScan::fail_decode(size_t output, std::string_view cell, const char* reason) {
  const MysqlColumn& column = *plan_->outputs[output];
  throw Error(ErrorKind::invalid_input, plan_->state->settings.describe() + ": cannot read column '" + column.name +
                                            "' (" + column.remote_type + ") of " + plan_->label + ", row " +
                                            std::to_string(rows_read_ + 1) + ", as " + column.type.name() + ": " +
                                            reason + " (value '" + excerpt(cell) + "')");
}

}  // namespace pond::connectors::mysql
