#include "engine/prepared_statement.hpp"

#include <duckdb.h>

#include <utility>

#include "engine/error.hpp"
#include "engine/result_impl.hpp"

namespace pond::engine {

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
  duckdb_result result;
  duckdb_state state = mode == ExecMode::streaming ? duckdb_execute_prepared_streaming(handle_, &result)
                                                   : duckdb_execute_prepared(handle_, &result);
  if (state != DuckDBSuccess) detail::throw_result_error(result, "statement failed");
  return detail::make_result(result);
}

}  // namespace pond::engine
