#include "engine/prepared_statement.hpp"

#include <duckdb.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

#include "engine/error.hpp"
#include "engine/result_impl.hpp"

namespace pond::engine {
namespace {

// Waits a little for DuckDB's worker threads; the wait grows from a yield to 1 ms while they
// keep every task of the query to themselves.
void wait_for_workers(int idle_rounds) {
  constexpr int kYields = 8;
  if (idle_rounds < kYields) {
    std::this_thread::yield();
    return;
  }
  int doublings = std::min(idle_rounds - kYields, 6);
  auto wait = std::min(std::chrono::microseconds(16 << doublings), std::chrono::microseconds(1000));
  std::this_thread::sleep_for(wait);
}

// Runs the statement to its result through DuckDB's pending API. duckdb_execute_prepared()
// keeps the calling thread asking for work in a tight loop while worker threads hold every task
// of the query — with a single-threaded source such as a remote scan, that burns a core beside
// the one doing the work. Here the calling thread runs tasks while there are any and otherwise
// sleeps briefly. A streaming statement returns as soon as its first rows can be fetched.
duckdb_result execute_pending(duckdb_prepared_statement statement, bool streaming) {
  duckdb_pending_result pending = nullptr;
  duckdb_state state =
      streaming ? duckdb_pending_prepared_streaming(statement, &pending) : duckdb_pending_prepared(statement, &pending);
  duckdb_pending_state progress = DUCKDB_PENDING_ERROR;
  int idle_rounds = 0;
  while (state == DuckDBSuccess) {
    progress = duckdb_pending_execute_task(pending);
    if (progress == DUCKDB_PENDING_RESULT_NOT_READY) {
      idle_rounds = 0;
    } else if (progress == DUCKDB_PENDING_NO_TASKS_AVAILABLE) {
      wait_for_workers(idle_rounds++);
    } else {
      break;
    }
  }
  if (state != DuckDBSuccess || progress == DUCKDB_PENDING_ERROR) {
    // duckdb_execute_pending() would replace the error with "unsuccessful pending result".
    const char* raw = pending ? duckdb_pending_error(pending) : nullptr;
    std::string message = raw && *raw ? raw : "statement failed";
    duckdb_destroy_pending(&pending);
    detail::throw_error_message(message);
  }
  duckdb_result result;
  state = duckdb_execute_pending(pending, &result);
  duckdb_destroy_pending(&pending);
  if (state != DuckDBSuccess) detail::throw_result_error(result, "statement failed");
  return result;
}

}  // namespace

PreparedStatement::PreparedStatement(_duckdb_prepared_statement* handle, std::string sql)
    : handle_(handle), sql_(std::move(sql)) {}

PreparedStatement::PreparedStatement(PreparedStatement&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), sql_(std::move(other.sql_)) {}

PreparedStatement& PreparedStatement::operator=(PreparedStatement&& other) noexcept {
  if (this != &other) {
    if (handle_) duckdb_destroy_prepare(&handle_);
    handle_ = std::exchange(other.handle_, nullptr);
    sql_ = std::move(other.sql_);
  }
  return *this;
}

PreparedStatement::~PreparedStatement() {
  if (handle_) duckdb_destroy_prepare(&handle_);
}

size_t PreparedStatement::parameter_count() const { return duckdb_nparams(handle_); }

StatementKind PreparedStatement::kind() const {
  switch (duckdb_prepared_statement_type(handle_)) {
    case DUCKDB_STATEMENT_TYPE_SELECT:
      return StatementKind::select;
    case DUCKDB_STATEMENT_TYPE_INSERT:
      return StatementKind::insert;
    case DUCKDB_STATEMENT_TYPE_UPDATE:
      return StatementKind::update;
    case DUCKDB_STATEMENT_TYPE_DELETE:
      return StatementKind::delete_rows;
    default:
      return StatementKind::other;  // EXPLAIN too: EXPLAIN ANALYZE runs what it explains
  }
}

void PreparedStatement::bind(std::span<const Param> params) {
  if (params.size() != parameter_count()) {
    throw Error(ErrorKind::invalid_input, "statement expects " + std::to_string(parameter_count()) +
                                              " parameter(s) but " + std::to_string(params.size()) + " were given");
  }
  duckdb_clear_bindings(handle_);
  for (size_t i = 0; i < params.size(); ++i) {
    idx_t index = i + 1;
    duckdb_state state = std::visit(
        [&](const auto& v) -> duckdb_state {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>)
            return duckdb_bind_null(handle_, index);
          else if constexpr (std::is_same_v<T, bool>)
            return duckdb_bind_boolean(handle_, index, v);
          else if constexpr (std::is_same_v<T, int64_t>)
            return duckdb_bind_int64(handle_, index, v);
          else if constexpr (std::is_same_v<T, double>)
            return duckdb_bind_double(handle_, index, v);
          else
            return duckdb_bind_varchar_length(handle_, index, v.data(), v.size());
        },
        params[i]);
    if (state != DuckDBSuccess) {
      const char* err = duckdb_prepare_error(handle_);
      throw Error(ErrorKind::invalid_input,
                  "cannot bind parameter " + std::to_string(index) + (err ? std::string(": ") + err : ""));
    }
  }
}

Result PreparedStatement::execute(std::span<const Param> params, ExecMode mode) {
  bind(params);
  return detail::make_result(execute_pending(handle_, mode == ExecMode::streaming));
}

}  // namespace pond::engine
