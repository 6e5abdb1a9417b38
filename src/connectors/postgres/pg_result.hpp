#pragma once
// PgResult — owns one libpq PGresult (PQclear on destruction). Move-only; used by one thread.

#include <libpq-fe.h>

#include <string>
#include <string_view>

namespace pond::connectors::postgres {

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* result) : result_(result) {}
  PgResult(PgResult&& other) noexcept : result_(other.release()) {}
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult();

  PGresult* get() const { return result_; }
  explicit operator bool() const { return result_ != nullptr; }
  PGresult* release();

  ExecStatusType status() const;
  bool failed() const;  // no result, or an error status
  int rows() const { return PQntuples(result_); }
  int columns() const { return PQnfields(result_); }
  bool is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
  std::string_view value(int row, int column) const {
    return {PQgetvalue(result_, row, column), static_cast<size_t>(PQgetlength(result_, row, column))};
  }
  // Five-character SQLSTATE of an error result, empty when there is none.
  std::string sqlstate() const;
  // The server's primary message (or libpq's text), without trailing newlines.
  std::string message() const;

 private:
  PGresult* result_ = nullptr;
};

}  // namespace pond::connectors::postgres
