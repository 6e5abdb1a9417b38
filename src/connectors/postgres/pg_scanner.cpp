#include "connectors/postgres/pg_scanner.hpp"

#include <algorithm>
#include <charconv>
#include <thread>

#include "connectors/postgres/pg_local_scan.hpp"
#include "connectors/postgres/pg_scan_state.hpp"
#include "connectors/postgres/pg_statements.hpp"

namespace pond::connectors::postgres {
namespace {

size_t hardware_threads() { return std::max<size_t>(1, std::thread::hardware_concurrency()); }

// The coordinating connection exports a snapshot, then measures the table inside it so that
// every row the snapshot sees lies in a range (the last range is open-ended anyway).
std::shared_ptr<ScanState> plan_parallel(const std::shared_ptr<PgContext>& context,
                                         const std::shared_ptr<const ScanSpec>& spec, FieldPlan plan,
                                         const std::string& items) {
  const std::string what = "cannot scan " + spec->label;
  PgConnection coordinator = context->pool().acquire();
  context->observe(statements::kBeginSnapshotTransaction);
  coordinator.exec(statements::kBeginSnapshotTransaction, what);
  coordinator.exec(statements::kKeepIdleTransaction, what);
  context->observe(statements::kExportSnapshot);
  std::string snapshot(coordinator.exec(statements::kExportSnapshot, what).value(0, 0));
  PgResult size =
      coordinator.exec(statements::kRelationPages, {statements::qualified_table(spec->schema, spec->table)}, what);
  uint64_t pages = 0;
  std::string_view text = size.value(0, 0);
  std::from_chars(text.data(), text.data() + text.size(), pages);

  const uint64_t per_task = context->settings().options().pages_per_task;
  std::vector<std::string> tasks;
  for (uint64_t first = 0; first == 0 || first < pages; first += per_task) {
    statements::CtidRange range{first, std::nullopt};
    if (first + per_task < pages) range.end = first + per_task;
    tasks.push_back(statements::copy_table(spec->schema, spec->table, items, range));
  }
  auto state = std::make_shared<ScanState>(context, spec, std::move(plan), std::move(tasks));
  state->keep_snapshot(std::move(coordinator), std::move(snapshot));
  return state;
}

}  // namespace

PgBoundScan::PgBoundScan(std::shared_ptr<PgContext> context, ScanSpec spec)
    : context_(std::move(context)), spec_(std::make_shared<const ScanSpec>(std::move(spec))) {
  for (const PgColumn& column : spec_->columns)
    output_.push_back(engine::OutputColumn{column.name, column.type.column});
}

std::unique_ptr<engine::GlobalScan> PgBoundScan::init(const std::vector<size_t>& projection) {
  FieldPlan plan;
  std::vector<std::string> items;
  for (size_t k = 0; k < projection.size(); ++k) {
    size_t index = projection[k];
    if (index >= spec_->columns.size()) {
      plan.null_outputs.push_back(k);
      continue;
    }
    const PgColumn& column = spec_->columns[index];
    plan.columns.push_back(&column);
    plan.outputs.push_back(k);
    plan.result_columns.push_back(index);
    items.push_back(
        statements::select_item(spec_->is_query ? statements::query_column(index) : column.name, column.type.cast));
  }
  std::string list = statements::join_items(items);

  if (spec_->is_query) {
    std::string task =
        spec_->mode == FetchMode::copy ? statements::copy_query(spec_->sql, spec_->columns.size(), list) : spec_->sql;
    return std::make_unique<PgGlobalScan>(
        std::make_shared<ScanState>(context_, spec_, std::move(plan), std::vector<std::string>{task}), 1);
  }
  const PgOptions& options = context_->settings().options();
  bool parallel = spec_->relkind == 'r' && spec_->pages > options.pages_per_task && options.max_connections > 1;
  if (!parallel) {
    std::string task = statements::copy_table(spec_->schema, spec_->table, list, std::nullopt);
    return std::make_unique<PgGlobalScan>(
        std::make_shared<ScanState>(context_, spec_, std::move(plan), std::vector<std::string>{task}), 1);
  }
  std::shared_ptr<ScanState> state = plan_parallel(context_, spec_, std::move(plan), list);
  size_t threads = std::min({state->task_count(), options.max_connections, hardware_threads()});
  return std::make_unique<PgGlobalScan>(std::move(state), threads);
}

ScanState::ScanState(std::shared_ptr<PgContext> context, std::shared_ptr<const ScanSpec> spec, FieldPlan plan,
                     std::vector<std::string> tasks)
    : context_(std::move(context)), spec_(std::move(spec)), plan_(std::move(plan)), tasks_(std::move(tasks)) {}

ScanState::~ScanState() {
  if (!coordinator_) return;
  try {
    coordinator_->exec(statements::kCommit);
    context_->pool().release(std::move(*coordinator_));
  } catch (const std::exception&) {
    // The scan is over and its transaction was read-only: a failed COMMIT loses nothing, and
    // the connection is closed instead of pooled.
  }
}

void ScanState::keep_snapshot(PgConnection coordinator, std::string snapshot_id) {
  coordinator_.emplace(std::move(coordinator));
  snapshot_id_ = std::move(snapshot_id);
}

std::optional<std::string> ScanState::next_task() {
  size_t index = next_.fetch_add(1);
  if (index >= tasks_.size()) return std::nullopt;
  return tasks_[index];
}

std::unique_ptr<engine::LocalScan> PgGlobalScan::init_local() { return std::make_unique<PgLocalScan>(state_); }

}  // namespace pond::connectors::postgres
