// The PostgreSQL connector inside a workspace: CREATE SECRET, ATTACH ... (TYPE POSTGRES),
// views alias.schema.table over pond_scan, pond_query, joins with local tables, materialize,
// restore on reopen, interrupt. No secret may show in any output or error.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "connectors/postgres/postgres_connector.hpp"
#include "engine/sql_text.hpp"
#include "pg_test_support.hpp"
#include "workspace/workspace.hpp"

namespace pond::test::pg {
namespace {

class PgWorkspaceTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    setenv("POND_PG_TEST_PASSWORD", server_.password.c_str(), 1);
    admin_->exec("CREATE TABLE " + table("orders") +
                 " AS SELECT g AS id, g % 3 AS customer, (g * 1.25)::numeric(10,2) AS total FROM generate_series(1, "
                 "1000) g");
  }
  std::string table(const std::string& name) { return sql::quote_identifier(schema_) + "." + name; }
  workspace::WorkspaceOptions options(const std::string& path = ":memory:") {
    workspace::WorkspaceOptions o;
    o.path = path;
    o.connectors.push_back(std::make_shared<connectors::postgres::PostgresConnector>());
    return o;
  }
  std::string attach_sql(const std::string& secret = "pgs") {
    return "ATTACH 'host=127.0.0.1 port=" + server_.port + " dbname=" + server_.database +
           "' AS pg (TYPE POSTGRES, SECRET " + secret + ", SCHEMA " + sql::quote_literal(schema_) + ")";
  }
  static std::string value(workspace::Workspace& ws, const std::string& sql) {
    auto rows = ws.execute(sql).fetch_all();
    return rows.at(0).at(0).is_null() ? "NULL" : rows.at(0).at(0).to_string();
  }
  static std::string everything(workspace::Workspace& ws, const std::string& sql) {
    std::string out;
    for (const auto& row : ws.execute(sql).fetch_all()) {
      for (const auto& v : row) out += (v.is_null() ? "NULL" : v.to_string()) + "|";
    }
    return out;
  }
};

TEST_F(PgWorkspaceTest, AttachedTablesAreQueryableAndJoinLocalTables) {
  workspace::Workspace ws(options());
  ws.execute("CREATE SECRET pgs (TYPE POSTGRES, USER 'pond', PASSWORD_ENV 'POND_PG_TEST_PASSWORD')");
  ws.execute(attach_sql());
  EXPECT_EQ(value(ws, "SELECT sum(total) FROM pg." + sql::quote_identifier(schema_) + ".orders"), "625625.00");
  EXPECT_EQ(value(ws, "SELECT count(*) FROM pg.orders"), "1000");
  ws.execute("CREATE TABLE customers AS SELECT * FROM (VALUES (0, 'zero'), (1, 'one'), (2, 'two')) t(id, name)");
  EXPECT_EQ(everything(ws,
                       "SELECT c.name, count(*) FROM pg.orders o JOIN customers c ON c.id = o.customer "
                       "GROUP BY c.name ORDER BY c.name"),
            "one|334|two|333|zero|333|");
  EXPECT_EQ(value(ws, "SELECT * FROM pond_query('pg', 'SELECT max(id) FROM " + table("orders") + "')"), "1000");
  EXPECT_EQ(everything(ws, "SELECT column_name, column_type FROM (DESCRIBE pg.orders)"),
            "id|INTEGER|customer|INTEGER|total|DECIMAL(10,2)|");
  std::string sources = everything(ws, "SHOW SOURCES");
  EXPECT_NE(sources.find("pg|"), std::string::npos) << sources;
  EXPECT_EQ(sources.find(server_.password), std::string::npos) << sources;
}

TEST_F(PgWorkspaceTest, MaterializeCopiesRowsAndRefreshSeesNewOnes) {
  workspace::Workspace ws(options());
  ws.execute("CREATE SECRET pgs (TYPE POSTGRES, USER 'pond', PASSWORD_ENV 'POND_PG_TEST_PASSWORD')");
  ws.execute(attach_sql());
  ws.execute("MATERIALIZE big_orders FROM pg AS 'SELECT * FROM " + table("orders") + " WHERE total > 1000'");
  EXPECT_EQ(value(ws, "SELECT count(*) FROM big_orders"), "200");
  admin_->exec("INSERT INTO " + table("orders") + " VALUES (5000, 0, 6250.00)");
  ws.execute("REFRESH MATERIALIZATION big_orders");
  EXPECT_EQ(value(ws, "SELECT count(*) FROM big_orders"), "201");
  std::string shown = everything(ws, "SHOW MATERIALIZATIONS");
  EXPECT_NE(shown.find("big_orders|pg|"), std::string::npos) << shown;
  EXPECT_NE(shown.find("|201|"), std::string::npos) << shown;
}

TEST_F(PgWorkspaceTest, SourceIsRestoredWhenTheWorkspaceReopens) {
  TempPath dir;
  std::string path = dir.file("ws.duckdb");
  {
    workspace::Workspace ws(options(path));
    ws.execute("CREATE PERSISTENT SECRET pgs (TYPE POSTGRES, USER 'pond', PASSWORD_ENV 'POND_PG_TEST_PASSWORD')");
    ws.execute(attach_sql());
  }
  workspace::Workspace reopened(options(path));
  EXPECT_EQ(value(reopened, "SELECT count(*) FROM pg.orders"), "1000");
}

TEST_F(PgWorkspaceTest, WrongPasswordFailsAttachWithoutShowingIt) {
  workspace::Workspace ws(options());
  ws.execute("CREATE SECRET bad (TYPE POSTGRES, USER 'pond', PASSWORD 'Sup3r-Wr0ng')");
  try {
    ws.execute(attach_sql("bad"));
    FAIL() << "no error";
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::connector) << message;
    EXPECT_NE(message.find("authentication failed"), std::string::npos) << message;
    EXPECT_EQ(message.find("Sup3r-Wr0ng"), std::string::npos) << message;
  }
}

TEST_F(PgWorkspaceTest, UnknownTableInPondScanNamesIt) {
  workspace::Workspace ws(options());
  ws.execute("CREATE SECRET pgs (TYPE POSTGRES, USER 'pond', PASSWORD_ENV 'POND_PG_TEST_PASSWORD')");
  ws.execute(attach_sql());
  try {
    ws.execute("SELECT * FROM pond_scan('pg', " + sql::quote_literal(schema_) + ", 'nope')");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("pg." + schema_ + ".nope does not exist"), std::string::npos) << e.what();
  }
}

TEST_F(PgWorkspaceTest, InterruptCancelsTheRemoteQuery) {
  workspace::Workspace ws(options());
  ws.execute("CREATE SECRET pgs (TYPE POSTGRES, USER 'pond', PASSWORD_ENV 'POND_PG_TEST_PASSWORD')");
  ws.execute(attach_sql());
  std::jthread interrupter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ws.interrupt();
  });
  auto started = std::chrono::steady_clock::now();
  try {
    ws.execute("SELECT * FROM pond_query('pg', 'SELECT pg_sleep(30)')");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::cancelled) << e.what();
    EXPECT_NE(std::string(e.what()).find("pond_query was cancelled"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

TEST_F(PgWorkspaceTest, InterruptingOneConnectionLeavesAnotherConnectionsRemoteQueryRunning) {
  workspace::Workspace ws(options());
  ws.execute("CREATE SECRET pgs (TYPE POSTGRES, USER 'pond', PASSWORD_ENV 'POND_PG_TEST_PASSWORD')");
  ws.execute(attach_sql());
  engine::Connection other = ws.open_connection();
  std::string other_result;
  std::string other_error;
  std::jthread second([&] {
    try {
      other_result = other.query("SELECT * FROM pond_query('pg', 'SELECT 42 AS answer FROM pg_sleep(2.5)')")
                         .fetch_all()
                         .at(0)
                         .at(0)
                         .to_string();
    } catch (const std::exception& e) {
      other_error = e.what();
    }
  });
  std::jthread interrupter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ws.interrupt();
  });
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(throws_error([&] { ws.execute("SELECT * FROM pond_query('pg', 'SELECT pg_sleep(30)')"); },
                           ErrorKind::cancelled, "cancelled"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  second.join();
  EXPECT_EQ(other_error, "");
  EXPECT_EQ(other_result, "42");
}

TEST_F(PgWorkspaceTest, BackendTerminatedMidQueryIsAConnectorError) {
  workspace::Workspace ws(options());
  ws.execute("CREATE SECRET pgs (TYPE POSTGRES, USER 'pond', PASSWORD_ENV 'POND_PG_TEST_PASSWORD')");
  ws.execute(attach_sql());
  // Other tests share the server: only the backend running this test's query is terminated.
  std::jthread terminator([&] {
    for (int i = 0; i < 50; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (admin_->value("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE "
                        "'%pg_sleep(29.75)%' AND pid <> pg_backend_pid()") != "0") {
        return;
      }
    }
  });
  try {
    ws.execute("SELECT * FROM pond_query('pg', 'SELECT pg_sleep(29.75)')");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::connector) << e.what();
    EXPECT_NE(std::string(e.what()).find("terminating connection"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find(server_.password), std::string::npos) << e.what();
  }
  // The source recovers with a fresh connection.
  EXPECT_EQ(value(ws, "SELECT count(*) FROM pg.orders"), "1000");
}

TEST_F(PgWorkspaceTest, StatementTimeoutOptionOfAttachStopsSlowQueries) {
  workspace::Workspace ws(options());
  ws.execute("CREATE SECRET pgs (TYPE POSTGRES, USER 'pond', PASSWORD_ENV 'POND_PG_TEST_PASSWORD')");
  std::string sql = attach_sql();
  ws.execute(sql.substr(0, sql.size() - 1) + ", STATEMENT_TIMEOUT 300)");
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(throws_error([&] { ws.execute("SELECT * FROM pond_query('pg', 'SELECT pg_sleep(5)')"); },
                           ErrorKind::cancelled, "statement timeout"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  EXPECT_EQ(value(ws, "SELECT count(*) FROM pg.orders"), "1000");
  ws.execute("DETACH pg");
  EXPECT_TRUE(throws_error([&] { ws.execute(sql.substr(0, sql.size() - 1) + ", STATEMENT_TIMEOUT 'soon')"); },
                           ErrorKind::invalid_input, "statement_timeout"));
}

TEST_F(PgWorkspaceTest, ConnectTimeoutOptionOfAttachBoundsTheWaitForASilentServer) {
  // A socket that accepts TCP connections (the kernel's backlog) but never answers.
  int silent = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(silent, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(silent, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(silent, 8), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(getsockname(silent, reinterpret_cast<sockaddr*>(&address), &length), 0);
  std::string port = std::to_string(ntohs(address.sin_port));

  workspace::Workspace ws(options());
  ws.execute("CREATE SECRET pgs (TYPE POSTGRES, USER 'pond', PASSWORD_ENV 'POND_PG_TEST_PASSWORD')");
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(throws_error(
      [&] {
        ws.execute("ATTACH 'host=127.0.0.1 port=" + port +
                   " dbname=pond_test' AS silent (TYPE POSTGRES, SECRET pgs, CONNECT_TIMEOUT 2)");
      },
      ErrorKind::connector, "connect_timeout=2"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(8));
  close(silent);
  EXPECT_TRUE(ws.sources().empty());
}

TEST_F(PgWorkspaceTest, UnknownDatabaseFailsAttachNamingItWithoutThePassword) {
  workspace::Workspace ws(options());
  ws.execute("CREATE SECRET pgs (TYPE POSTGRES, USER 'pond', PASSWORD_ENV 'POND_PG_TEST_PASSWORD')");
  try {
    ws.execute("ATTACH 'host=127.0.0.1 port=" + server_.port + " dbname=no_such_db' AS pg (TYPE POSTGRES, SECRET pgs)");
    FAIL() << "no error";
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("no_such_db"), std::string::npos) << message;
    EXPECT_EQ(message.find(server_.password), std::string::npos) << message;
  }
  EXPECT_TRUE(ws.sources().empty());
}

// Uses a server of its own, which it stops.
TEST_F(PgWorkspaceTest, ServerDownAtOpenIsListedUnavailableAndTheWorkspaceOpens) {
  std::string dir = scratch_dir("down-at-open");
  ServerInfo own = start_server(dir);
  setenv("POND_PG_OWN_PASSWORD", own.password.c_str(), 1);
  TempPath files;
  std::string path = files.file("ws.duckdb");
  {
    workspace::Workspace ws(options(path));
    ws.execute("CREATE PERSISTENT SECRET own (TYPE POSTGRES, USER 'pond', PASSWORD_ENV 'POND_PG_OWN_PASSWORD')");
    ws.execute("ATTACH 'host=127.0.0.1 port=" + own.port + " dbname=" + own.database +
               "' AS down (TYPE POSTGRES, SECRET own, CONNECT_TIMEOUT 2)");
    ws.execute("CREATE TABLE local_t AS SELECT 7 AS x");
  }
  stop_server(dir);
  workspace::Workspace ws(options(path));
  EXPECT_EQ(value(ws, "SELECT x FROM local_t"), "7");
  std::vector<workspace::SourceInfo> sources = ws.sources();
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_FALSE(sources[0].available);
  EXPECT_NE(sources[0].reason.find("cannot reach the server"), std::string::npos) << sources[0].reason;
  EXPECT_EQ(sources[0].reason.find(own.password), std::string::npos) << sources[0].reason;
  std::string shown = everything(ws, "SHOW SOURCES");
  EXPECT_NE(shown.find("unavailable: "), std::string::npos) << shown;
  EXPECT_EQ(shown.find(own.password), std::string::npos) << shown;
  EXPECT_TRUE(throws_error([&] { ws.execute("SELECT * FROM down.anything"); }, ErrorKind::not_found,
                           "source 'down' is unavailable"));
  EXPECT_TRUE(throws_error([&] { ws.execute("MATERIALIZE m FROM down AS 'SELECT 1'"); }, ErrorKind::not_found,
                           "source 'down' is unavailable"));
}

TEST_F(PgWorkspaceTest, ViewsAreListedWithTheirColumnsAndQueryable) {
  admin_->exec("CREATE VIEW " + table("big_orders") + " AS SELECT id, total FROM " + table("orders") +
               " WHERE total > 1000");
  workspace::Workspace ws(options());
  ws.execute("CREATE SECRET pgs (TYPE POSTGRES, USER 'pond', PASSWORD_ENV 'POND_PG_TEST_PASSWORD')");
  ws.execute(attach_sql());
  EXPECT_EQ(value(ws, "SELECT count(*) FROM pg.big_orders"), "200");
  EXPECT_EQ(value(ws, "SELECT min(o.id) FROM pg.big_orders b JOIN pg.orders o USING (id)"), "801");
  std::vector<workspace::SourceInfo> sources = ws.sources();
  ASSERT_EQ(sources.size(), 1u);
  const std::vector<std::string>& tables = sources[0].tables;
  EXPECT_NE(std::find(tables.begin(), tables.end(), schema_ + ".big_orders"), tables.end());
  EXPECT_NE(std::find(tables.begin(), tables.end(), schema_ + ".orders"), tables.end());
  std::string columns;
  for (const auto& row : ws.execute("SHOW SOURCE pg").fetch_all()) {
    if (row.at(1).to_string() != "big_orders") continue;
    for (size_t i : {2, 3, 4, 5}) columns += row.at(i).to_string() + "|";
  }
  EXPECT_EQ(columns, "view|id|INTEGER|integer|view|total|DECIMAL(10,2)|numeric(10,2)|") << columns;
}

}  // namespace
}  // namespace pond::test::pg
