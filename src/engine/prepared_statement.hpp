#pragma once
// PreparedStatement — a parsed and planned statement with '?' / '$n' placeholders. Owns its
// DuckDB handle; move-only. Belongs to one Connection and, like it, is not thread-safe.

#include <memory>
#include <span>
#include <string>

#include "engine/result.hpp"
#include "engine/value.hpp"

struct _duckdb_prepared_statement;

namespace pond::engine {

enum class ExecMode {
  materialized,  // the whole result is computed before execute() returns
  streaming,     // rows are computed as chunks are fetched; bounded memory
};

// What kind of statement was prepared, as far as callers need to tell: statements that only
// read or change rows (and cannot change a session's settings, transaction or temporary
// objects) apart from every other kind.
enum class StatementKind { select, insert, update, delete_rows, other };

class PreparedStatement {
 public:
  PreparedStatement(_duckdb_prepared_statement* handle, std::string sql);
  PreparedStatement(PreparedStatement&& other) noexcept;
  PreparedStatement& operator=(PreparedStatement&& other) noexcept;
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;
  ~PreparedStatement();

  size_t parameter_count() const;
  const std::string& sql() const { return sql_; }
  StatementKind kind() const;

  // Binds `params` in order (replacing earlier bindings) and runs the statement.
  Result execute(std::span<const Param> params = {}, ExecMode mode = ExecMode::materialized);

 private:
  void bind(std::span<const Param> params);

  _duckdb_prepared_statement* handle_ = nullptr;
  std::string sql_;
};

}  // namespace pond::engine
