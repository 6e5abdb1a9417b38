#pragma once
// Helpers for the PostgreSQL connector tests: the throwaway server started by the pg_server
// CTest fixture (scripts/pg-test-server.sh), an admin connection to prepare data, a fixture
// that gives each test its own schema, and a DuckDB database with test-only table functions
// pg_scan(schema, table) and pg_query(sql) over one source (the workspace wires the real
// pond_scan/pond_query the same way).

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "connectors/postgres/pg_connection.hpp"
#include "connectors/postgres/postgres_source.hpp"
#include "engine/database.hpp"
#include "engine/error.hpp"
#include "engine/table_function.hpp"
#include "throws_error.hpp"

namespace pond::test::pg {

struct ServerInfo {
  std::string dir;  // the fixture's DIR
  std::string host;
  std::string port;
  std::string user;
  std::string password;
  std::string database;
};

// The fixture's server (POND_PG_TEST_DIR, else the build tree's); fails the test when it has
// not been started.
ServerInfo fixture_server();
// A directory next to the fixture's for a server of a test's own.
std::string scratch_dir(const std::string& name);
// Starts / stops a server of its own in `dir` (for tests that stop it).
ServerInfo start_server(const std::string& dir);
void stop_server(const std::string& dir);

// Settings for `server` with the password in the secret, as the workspace passes them.
workspace::ConnectionSettings settings_for(const ServerInfo& server, std::map<std::string, std::string> options = {},
                                           const std::string& alias = "pg");

// A read-write connection for preparing data.
class Admin {
 public:
  explicit Admin(const ServerInfo& server);
  void exec(const std::string& sql);
  std::string value(const std::string& sql);  // first column of the first row

 private:
  std::unique_ptr<connectors::postgres::PgConnection> connection_;
};

// DuckDB with pg_scan(schema, table) and pg_query(sql) over `source`.
class Duck {
 public:
  explicit Duck(std::shared_ptr<workspace::RemoteSource> source);
  ~Duck();
  // Every row, each value in DuckDB's text form ("NULL" for NULL).
  std::vector<std::vector<std::string>> rows(const std::string& sql);
  std::string value(const std::string& sql);
  // DuckDB's type names of the result columns.
  std::vector<std::string> types(const std::string& sql);
  engine::Connection& connection() { return connection_; }

 private:
  std::vector<std::unique_ptr<engine::TableFunction>> functions_;  // outlive the database
  engine::Database database_;
  engine::Connection connection_;
};

// A temporary folder, removed with its contents at scope exit.
class TempPath {
 public:
  TempPath();
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  ~TempPath();
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Each test gets the schema "t_<test name>" (dropped first), the source `pg` and a Duck.
class PgTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  std::shared_ptr<connectors::postgres::PostgresSource> open_source(std::map<std::string, std::string> options = {});

  ServerInfo server_;
  std::unique_ptr<Admin> admin_;
  std::string schema_;
  std::shared_ptr<connectors::postgres::PostgresSource> source_;
  std::unique_ptr<Duck> duck_;
};

// "pg_scan('schema', 'table')", quoted.
std::string scan_sql(const std::string& schema, const std::string& table);

}  // namespace pond::test::pg
