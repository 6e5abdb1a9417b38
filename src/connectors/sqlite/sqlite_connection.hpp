#pragma once
// SqliteConnection and SqliteStatement — RAII over sqlite3* and sqlite3_stmt*. A connection
// is used by one thread at a time (opened with SQLITE_OPEN_NOMUTEX); interrupt() may be
// called from any thread.

#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace pond::connectors::sqlite {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3_stmt* stmt, std::string sql) : stmt_(stmt), sql_(std::move(sql)) {}
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  // Next row: true when there is one. Throws pond::Error on failure (cancelled on interrupt).
  bool step();
  void bind_text(int index, std::string_view value);
  sqlite3_stmt* get() const { return stmt_; }
  const std::string& sql() const { return sql_; }

 private:
  sqlite3_stmt* stmt_;
  std::string sql_;
};

class SqliteConnection {
 public:
  // Opens `path` read-only; throws pond::Error naming `alias` when it cannot.
  SqliteConnection(const std::string& path, const std::string& alias);
  SqliteConnection(SqliteConnection&& other) noexcept;
  SqliteConnection& operator=(SqliteConnection&&) = delete;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection();

  SqliteStatement prepare(const std::string& sql);
  void interrupt();
  sqlite3* get() const { return db_; }
  const std::string& alias() const { return alias_; }

 private:
  sqlite3* db_ = nullptr;
  std::string alias_;
};

}  // namespace pond::connectors::sqlite
