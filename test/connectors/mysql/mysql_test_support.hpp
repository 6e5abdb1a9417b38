#pragma once
// Helpers for the MySQL connector tests. The server is the throwaway MariaDB that the CTest
// fixture starts (scripts/mariadb-test-server.sh start $POND_MARIADB_DIR); tests skip when
// POND_MARIADB_DIR is not set. Each test works in its own database (MysqlTest), so that tests
// may run in parallel.
//
// Until the workspace exposes sources through pond_scan/pond_query, DuckDB reaches them
// through two test-only table functions: mysql_scan(schema, table) and mysql_query(sql).

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/mysql/mysql_connection.hpp"
#include "connectors/mysql/mysql_source.hpp"
#include "engine/connection.hpp"
#include "engine/database.hpp"
#include "engine/error.hpp"
#include "engine/table_function.hpp"
#include "throws_error.hpp"

namespace pond::connectors::mysql::test {

struct TestServer {
  std::string dir;
  unsigned port = 0;
  std::string user;
  std::string password;

  // The fixture's server, or nullopt when POND_MARIADB_DIR is unset.
  static std::optional<TestServer> from_environment();
  // Starts a private server in `dir` (for tests that stop it).
  static TestServer start(const std::string& dir);
  static void stop(const std::string& dir);
};

// Settings for the test server: location with host/port/database/user, password in the secret.
workspace::ConnectionSettings settings_for(const TestServer& server, const std::string& database,
                                           const std::string& alias = "shop");

using ::pond::test::throws_error;

// DuckDB with the test table functions bound to one source.
class DuckWithSource {
 public:
  explicit DuckWithSource(workspace::RemoteSource& source);
  ~DuckWithSource();
  // Every row as text; NULL as "NULL".
  std::vector<std::vector<std::string>> rows(const std::string& sql);
  // The single value of a one-row, one-column query.
  std::string value(const std::string& sql);
  engine::Connection& connection() { return connection_; }
  // Another connection to the same DuckDB database (one per thread).
  engine::Connection connect() const { return database_.connect(); }
  // The pond::Error the connector threw last inside a DuckDB query (DuckDB keeps only its
  // message); nullopt when none.
  std::optional<Error> last_connector_error() const;
  // Called after every chunk a connector scan produces (on the scanning thread).
  void after_each_chunk(std::function<void()> hook);

  struct ErrorLog;

 private:
  engine::Database database_;
  engine::Connection connection_;
  std::shared_ptr<ErrorLog> errors_;
  std::vector<std::unique_ptr<engine::TableFunction>> functions_;
};

// A fixture giving each test its own database on the fixture server (dropped afterwards), an
// admin connection to fill it, and a source attached to it.
class MysqlTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Runs SQL on the test database as the admin connection.
  void sql(const std::string& statement);
  // A source on the test database (options go to ATTACH (...)).
  std::unique_ptr<MysqlSource> open_source(const std::map<std::string, std::string>& options = {});

  TestServer server_;
  std::string database_;
  MysqlConnection admin_;
};

}  // namespace pond::connectors::mysql::test
