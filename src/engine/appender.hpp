#pragma once
// Appender — fast row-wise loading into one table through DuckDB's appender. Rows are
// buffered and written on flush()/close() (and by the destructor, which swallows nothing: an
// unflushed error is reported by close()). Move-only; used by one thread.

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/connection.hpp"

struct _duckdb_appender;

namespace pond::engine {

class Appender {
 public:
  Appender(Connection& connection, const std::string& schema, const std::string& table,
           const std::string& catalog = "");
  Appender(Appender&& other) noexcept;
  Appender& operator=(Appender&&) = delete;
  Appender(const Appender&) = delete;
  Appender& operator=(const Appender&) = delete;
  ~Appender();

  Appender& append(std::nullptr_t);
  Appender& append(bool v);
  Appender& append(int32_t v);
  Appender& append(int64_t v);
  Appender& append(double v);
  Appender& append(std::string_view v);
  Appender& append(const char* v) { return append(std::string_view(v)); }
  // A DATE given as days since 1970-01-01.
  Appender& append_date(int32_t days_since_epoch);
  void end_row();
  void flush();
  void close();

 private:
  void check(int state, const char* what);

  _duckdb_appender* handle_ = nullptr;
  std::string table_;
};

}  // namespace pond::engine
