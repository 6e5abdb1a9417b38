#include "engine/connection.hpp"

#include <duckdb.h>

#include <utility>

#include "engine/error.hpp"
#include "engine/error_transport.hpp"
#include "engine/result_impl.hpp"

namespace pond::engine {

Connection::Connection(_duckdb_connection* handle) : handle_(handle) {}

Connection::Connection(Connection&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), cache_(std::move(other.cache_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    cache_.clear();
    if (handle_) duckdb_disconnect(&handle_);
    handle_ = std::exchange(other.handle_, nullptr);
    cache_ = std::move(other.cache_);
  }
  return *this;
}

Connection::~Connection() {
  // Prepared statements must go before the connection they belong to.
  cache_.clear();
  if (handle_) duckdb_disconnect(&handle_);
}

Result Connection::query(std::string_view sql, ExecMode mode) {
  std::string text(sql);
  if (mode == ExecMode::streaming) return prepare(text).execute({}, ExecMode::streaming);
  duckdb_result result;
  if (duckdb_query(handle_, text.c_str(), &result) != DuckDBSuccess) {
    detail::throw_result_error(result, "query failed");
  }
  return detail::make_result(result);
}

Result Connection::execute(const std::string& sql, std::span<const Param> params, ExecMode mode) {
  return prepare_cached(sql)->execute(params, mode);
}

PreparedStatement Connection::prepare(const std::string& sql) {
  duckdb_prepared_statement stmt = nullptr;
  if (duckdb_prepare(handle_, sql.c_str(), &stmt) != DuckDBSuccess) {
    std::string message = stmt ? duckdb_prepare_error(stmt) : "cannot prepare statement";
    duckdb_destroy_prepare(&stmt);
    ErrorKind kind =
        message.find("Catalog Error") != std::string::npos ? ErrorKind::not_found : ErrorKind::invalid_input;
    throw detail::error_from_duckdb(std::move(message), kind);
  }
  return PreparedStatement(stmt, sql);
}

std::shared_ptr<PreparedStatement> Connection::prepare_cached(const std::string& sql) {
  return cache_.get(sql, [this](const std::string& text) { return prepare(text); });
}

bool Connection::table_exists(const std::string& schema, const std::string& table) const {
  duckdb_table_description description = nullptr;
  bool exists = duckdb_table_description_create(handle_, schema.c_str(), table.c_str(), &description) == DuckDBSuccess;
  duckdb_table_description_destroy(&description);
  return exists;
}

void Connection::interrupt() const { duckdb_interrupt(handle_); }

uint64_t Connection::id() const {
  duckdb_client_context context = nullptr;
  duckdb_connection_get_client_context(handle_, &context);
  uint64_t id = duckdb_client_context_get_connection_id(context);
  duckdb_destroy_client_context(&context);
  return id;
}

double Connection::progress() const { return duckdb_query_progress(handle_).percentage; }

}  // namespace pond::engine
