#include "connectors/postgres/pg_local_scan.hpp"

#include "connectors/postgres/pg_statements.hpp"

namespace pond::connectors::postgres {

namespace {

std::vector<const PgType*> field_types(const FieldPlan& plan) {
  std::vector<const PgType*> types;
  for (const PgColumn* column : plan.columns) types.push_back(&column->type);
  return types;
}

}  // namespace

PgLocalScan::PgLocalScan(std::shared_ptr<ScanState> state)
    : state_(std::move(state)),
      what_(state_->spec().is_query ? "pond_query" : "cannot scan " + state_->spec().label),
      decoder_(field_types(state_->plan()), state_->plan().outputs) {}

PgLocalScan::~PgLocalScan() {
  if (connection_ && !streaming_) {
    try {
      finish();
    } catch (const std::exception&) {
      // Only reached when the scan was abandoned between statements: the connection closes.
    }
  }
}

size_t PgLocalScan::scan(engine::OutputChunk& out) {
  if (done_) return 0;
  size_t rows = 0;
  try {
    check_cancelled();
    decoder_.start_chunk(out);
    while (rows < engine::OutputChunk::kCapacity) {
      if (!streaming_ && tasked_) {
        if (!claimed_) break;  // the claimed range is over: so are these scan() calls
        std::string task = std::move(*claimed_);
        claimed_.reset();
        start_task(task);
      } else if (!streaming_ && !start_next_task()) {
        finish();
        done_ = true;
        break;
      }
      if (read_row(out, rows)) {
        ++rows;
      } else {
        streaming_ = false;
      }
    }
  } catch (const Error& e) {
    throw translate(e);
  }
  return rows;
}

bool PgLocalScan::next_task() {
  tasked_ = true;
  claimed_ = state_->next_task();
  return claimed_.has_value();
}

bool PgLocalScan::start_next_task() {
  std::optional<std::string> task = state_->next_task();
  if (!task) return false;
  start_task(*task);
  return true;
}

void PgLocalScan::start_task(const std::string& task) {
  PgContext& context = state_->context();
  if (!connection_) {
    connection_.emplace(context.pool().acquire());
    {
      std::lock_guard lock(ticket_mutex_);
      ticket_ = context.active().enter(*connection_, state_->spec().owner);
    }
    if (!state_->snapshot_id().empty()) {
      std::string import = statements::set_snapshot(state_->snapshot_id());
      context.observe(statements::kBeginSnapshotTransaction);
      connection_->exec(statements::kBeginSnapshotTransaction, what_);
      in_transaction_ = true;
      connection_->exec(statements::kKeepIdleTransaction, what_);
      context.observe(import);
      connection_->exec(import, what_);
    }
  }
  check_cancelled();
  context.observe(task);
  FetchMode mode = state_->spec().mode;
  if (state_->spec().is_query && mode != FetchMode::copy) {
    connection_->send_single_row_query(task, mode == FetchMode::rows_binary, what_);
  } else {
    connection_->start_copy(task, what_);
    decoder_.restart();
  }
  streaming_ = true;
}

bool PgLocalScan::read_row(engine::OutputChunk& out, size_t row) {
  if (state_->spec().is_query && state_->spec().mode != FetchMode::copy) return read_result_row(out, row);
  return read_copy_row(out, row);
}

bool PgLocalScan::read_copy_row(engine::OutputChunk& out, size_t row) {
  while (std::optional<std::string_view> message = connection_->next_copy_row(what_)) {
    CopyRowDecoder::Message kind;
    try {
      kind = decoder_.decode(*message, row);
    } catch (const MalformedField& e) {
      fail_value(e.field, e);
    } catch (const MalformedValue& e) {
      throw state_->context().settings().error(ErrorKind::internal, what_ + ": malformed COPY data (" + e.what() + ")");
    }
    if (kind != CopyRowDecoder::Message::row) continue;
    write_nulls(out, row);
    return true;
  }
  return false;
}

bool PgLocalScan::read_result_row(engine::OutputChunk& out, size_t row) {
  while (PgResult result = connection_->next_result(what_)) {
    if (result.status() == PGRES_SINGLE_TUPLE) {
      write_result_fields(out, row, result);
      return true;
    }
    if (result.status() == PGRES_COMMAND_OK && state_->spec().mode == FetchMode::command_status) {
      for (size_t output : state_->plan().outputs) out.column(output).set_string(row, PQcmdStatus(result.get()));
      write_nulls(out, row);
      return true;
    }
  }
  return false;
}

void PgLocalScan::write_result_fields(engine::OutputChunk& out, size_t row, const PgResult& result) {
  const FieldPlan& plan = state_->plan();
  bool binary = state_->spec().mode == FetchMode::rows_binary;
  for (size_t i = 0; i < plan.columns.size(); ++i) {
    engine::OutputVector vector = out.column(plan.outputs[i]);
    int column = static_cast<int>(plan.result_columns[i]);
    if (result.is_null(0, column)) {
      vector.set_null(row);
    } else if (!binary) {
      vector.set_string(row, result.value(0, column));
    } else {
      try {
        decode_value(plan.columns[i]->type, result.value(0, column), vector, row);
      } catch (const MalformedValue& e) {
        fail_value(i, e);
      }
    }
  }
  write_nulls(out, row);
}

void PgLocalScan::write_nulls(engine::OutputChunk& out, size_t row) {
  for (size_t output : state_->plan().null_outputs) out.column(output).set_null(row);
}

void PgLocalScan::finish() {
  if (!connection_) return;
  if (in_transaction_) {
    connection_->exec(statements::kCommit, what_);
    in_transaction_ = false;
  }
  // A cancel request may still be on its way to this session: do not lend it to another scan.
  bool cancelled = stopped_.load() || (ticket_ && ticket_->cancelled());
  {
    std::lock_guard lock(ticket_mutex_);
    ticket_.reset();
  }
  if (!cancelled) state_->context().pool().release(std::move(*connection_));
  connection_.reset();
}

void PgLocalScan::stop() {
  stopped_.store(true);
  std::lock_guard lock(ticket_mutex_);
  if (ticket_) ticket_->cancel();
}

void PgLocalScan::check_cancelled() const {
  if (stopped_.load() || (ticket_ && ticket_->cancelled())) throw Error(ErrorKind::cancelled, "cancelled");
}

Error PgLocalScan::translate(const Error& error) const {
  if (ticket_ && ticket_->cancelled()) {
    std::string what = state_->spec().is_query ? "pond_query" : "the scan of " + state_->spec().label;
    return state_->context().settings().error(ErrorKind::cancelled, what + " was cancelled");
  }
  return error;
}

void PgLocalScan::fail_value(size_t field, const MalformedValue& error) const {
  const PgColumn& column = *state_->plan().columns[field];
  std::string where = state_->spec().is_query ? "pond_query" : state_->spec().label;
  throw state_->context().settings().error(
      ErrorKind::invalid_input, "cannot read column '" + column.name + "' (" + column.remote_type + ") of " + where +
                                    ": " + error.what() + "; if the table changed, run the query again");
}

}  // namespace pond::connectors::postgres
