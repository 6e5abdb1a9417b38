#include "engine/appender.hpp"

#include <duckdb.h>

#include <utility>

#include "engine/error.hpp"

namespace pond::engine {

Appender::Appender(Connection& connection, const std::string& schema, const std::string& table,
                   const std::string& catalog)
    : table_(table) {
  duckdb_appender handle = nullptr;
  duckdb_state state = duckdb_appender_create_ext(connection.handle(), catalog.empty() ? nullptr : catalog.c_str(),
                                                  schema.empty() ? nullptr : schema.c_str(), table.c_str(), &handle);
  if (state != DuckDBSuccess) {
    std::string message = handle ? duckdb_appender_error(handle) : "unknown error";
    duckdb_appender_destroy(&handle);
    throw Error(ErrorKind::not_found, "cannot append to table '" + table + "': " + message);
  }
  handle_ = handle;
}

Appender::Appender(Appender&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), table_(std::move(other.table_)) {}

Appender::~Appender() {
  if (handle_) duckdb_appender_destroy(&handle_);
}

void Appender::check(int state, const char* what) {
  if (state == DuckDBSuccess) return;
  const char* err = duckdb_appender_error(handle_);
  throw Error(ErrorKind::invalid_input,
              std::string(what) + " failed for table '" + table_ + "': " + (err ? err : "unknown error"));
}

Appender& Appender::append(std::nullptr_t) {
  check(duckdb_append_null(handle_), "append");
  return *this;
}
Appender& Appender::append(bool v) {
  check(duckdb_append_bool(handle_, v), "append");
  return *this;
}
Appender& Appender::append(int32_t v) {
  check(duckdb_append_int32(handle_, v), "append");
  return *this;
}
Appender& Appender::append(int64_t v) {
  check(duckdb_append_int64(handle_, v), "append");
  return *this;
}
Appender& Appender::append(double v) {
  check(duckdb_append_double(handle_, v), "append");
  return *this;
}
Appender& Appender::append(std::string_view v) {
  check(duckdb_append_varchar_length(handle_, v.data(), v.size()), "append");
  return *this;
}
Appender& Appender::append_date(int32_t days_since_epoch) {
  check(duckdb_append_date(handle_, duckdb_date{days_since_epoch}), "append");
  return *this;
}
void Appender::end_row() { check(duckdb_appender_end_row(handle_), "end_row"); }
void Appender::flush() { check(duckdb_appender_flush(handle_), "flush"); }
void Appender::close() { check(duckdb_appender_close(handle_), "close"); }

}  // namespace pond::engine
