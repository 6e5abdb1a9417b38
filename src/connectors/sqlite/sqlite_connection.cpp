#include "connectors/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <utility>

#include "engine/error.hpp"

namespace pond::connectors::sqlite {

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), sql_(std::move(other.sql_)) {}

SqliteStatement::~SqliteStatement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

bool SqliteStatement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  if (rc == SQLITE_INTERRUPT) throw Error(ErrorKind::cancelled, "SQLite query cancelled");
  throw Error(ErrorKind::connector, std::string("SQLite error: ") + sqlite3_errmsg(db));
}

void SqliteStatement::bind_text(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
}

SqliteConnection::SqliteConnection(const std::string& path, const std::string& alias) : alias_(alias) {
  int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    if (db_) sqlite3_close(db_);
    db_ = nullptr;
    throw Error(ErrorKind::connector, "source '" + alias + "': cannot open SQLite file '" + path + "': " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
  // Opening is lazy; reading the schema tells a database from a file that is not one.
  char* err = nullptr;
  rc = sqlite3_exec(db_, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string message = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(ErrorKind::connector,
                "source '" + alias + "': '" + path + "' is not a readable SQLite database: " + message);
  }
}

SqliteConnection::SqliteConnection(SqliteConnection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), alias_(std::move(other.alias_)) {}

SqliteConnection::~SqliteConnection() {
  if (db_) sqlite3_close(db_);
}

SqliteStatement SqliteConnection::prepare(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = sqlite3_errmsg(db_);
    if (stmt) sqlite3_finalize(stmt);
    ErrorKind kind =
        message.find("no such table") != std::string::npos ? ErrorKind::not_found : ErrorKind::invalid_input;
    throw Error(kind, "source '" + alias_ + "': SQLite error: " + message);
  }
  return SqliteStatement(stmt, sql);
}

void SqliteConnection::interrupt() { sqlite3_interrupt(db_); }

}  // namespace pond::connectors::sqlite
