#pragma once
// Runs SQLite SQL against a file (created when missing) for a test's fixtures; a failure is a
// test failure with SQLite's message. Header-only: the test links libsqlite3 itself.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

namespace pond::test {

inline void sqlite_exec(const std::string& file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK) << file;
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

}  // namespace pond::test
