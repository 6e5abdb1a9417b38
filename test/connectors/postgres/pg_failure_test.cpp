// Failures: wrong password, unknown database or user, unreachable server, a server stopped in
// the middle of a scan, cancel of a running query or scan. No message may contain the password.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "connectors/postgres/postgres_connector.hpp"
#include "engine/sql_text.hpp"
#include "pg_scan_driver.hpp"
#include "pg_test_support.hpp"

namespace pond::test::pg {
namespace {

using Clock = std::chrono::steady_clock;

class PgFailureTest : public PgTest {
 protected:
  std::string table(const std::string& name) { return sql::quote_identifier(schema_) + "." + name; }
  // open() through the connector, as the workspace does; returns the error.
  static Error open_error(const workspace::ConnectionSettings& settings) {
    try {
      connectors::postgres::PostgresConnector().open(settings);
    } catch (const Error& e) {
      return e;
    }
    return Error(ErrorKind::internal, "no error");
  }
};

TEST_F(PgFailureTest, WrongPasswordIsRejectedWithoutEchoingIt) {
  workspace::ConnectionSettings settings = settings_for(server_);
  settings.secret["password"] = "Wr0ng-Secret!";
  Error e = open_error(settings);
  std::string message = e.what();
  EXPECT_EQ(e.kind(), ErrorKind::connector);
  EXPECT_NE(message.find("authentication failed for user 'pond'"), std::string::npos) << message;
  EXPECT_NE(message.find("postgres source 'pg' (127.0.0.1:" + server_.port + "/pond_test)"), std::string::npos)
      << message;
  EXPECT_EQ(message.find("Wr0ng-Secret!"), std::string::npos) << message;
}

TEST_F(PgFailureTest, MissingPasswordSaysSo) {
  workspace::ConnectionSettings settings = settings_for(server_);
  settings.secret.erase("password");
  Error e = open_error(settings);
  EXPECT_EQ(e.kind(), ErrorKind::connector);
  EXPECT_NE(std::string(e.what()).find("none was given"), std::string::npos) << e.what();
}

TEST_F(PgFailureTest, UnknownDatabaseIsNamed) {
  workspace::ConnectionSettings settings = settings_for(server_);
  settings.location = "host=127.0.0.1 port=" + server_.port + " dbname=no_such_db";
  Error e = open_error(settings);
  std::string message = e.what();
  EXPECT_EQ(e.kind(), ErrorKind::connector);
  EXPECT_NE(message.find("database 'no_such_db' does not exist"), std::string::npos) << message;
  EXPECT_EQ(message.find(server_.password), std::string::npos) << message;
}

TEST_F(PgFailureTest, UnknownUserIsNamed) {
  workspace::ConnectionSettings settings = settings_for(server_);
  settings.secret["user"] = "nobody_here";
  Error e = open_error(settings);
  EXPECT_EQ(e.kind(), ErrorKind::connector);
  // PostgreSQL answers an unknown user like a wrong password, so as not to reveal users.
  EXPECT_NE(std::string(e.what()).find("authentication failed for user 'nobody_here'"), std::string::npos) << e.what();
}

TEST_F(PgFailureTest, UnreachableServerIsAConnectorError) {
  workspace::ConnectionSettings settings = settings_for(server_);
  settings.location = "host=127.0.0.1 port=1 dbname=pond_test";
  auto started = Clock::now();
  Error e = open_error(settings);
  EXPECT_EQ(e.kind(), ErrorKind::connector);
  EXPECT_NE(std::string(e.what()).find("cannot reach the server"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("127.0.0.1:1/pond_test"), std::string::npos) << e.what();
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(5));
}

TEST_F(PgFailureTest, CancelStopsASlowQueryWithinASecond) {
  auto bound = source_->run_query("SELECT pg_sleep(30)");
  ScanDriver driver(*bound, {0});
  auto local = driver.local();
  std::jthread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    source_->cancel();
  });
  auto started = Clock::now();
  EXPECT_TRUE(throws_error([&] { driver.drain(*local); }, ErrorKind::cancelled, "pond_query was cancelled"));
  EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(1500));
  // The source keeps working.
  EXPECT_EQ(duck_->value("SELECT * FROM pg_query('SELECT 5')"), "5");
}

TEST_F(PgFailureTest, CancelStopsATableScanAndLaterScansRun) {
  admin_->exec("CREATE TABLE " + table("big") + " AS SELECT g::bigint AS id FROM generate_series(1, 200000) g");
  auto bound = source_->scan_table(schema_, "big");
  ScanDriver driver(*bound, {0});
  auto local = driver.local();
  EXPECT_EQ(driver.next(*local).rows, 2048u);
  source_->cancel();
  EXPECT_TRUE(throws_error([&] { driver.drain(*local); }, ErrorKind::cancelled,
                           "the scan of pg." + schema_ + ".big was cancelled"));
  EXPECT_EQ(duck_->value("SELECT count(*) FROM " + scan_sql(schema_, "big")), "200000");
}

TEST_F(PgFailureTest, CancelReachesAQueryRunningInsideDuckDb) {
  std::string message;
  auto started = Clock::now();
  std::jthread query([&] {
    try {
      duck_->rows("SELECT * FROM pg_query('SELECT pg_sleep(30)')");
    } catch (const std::exception& e) {
      message = e.what();
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  source_->cancel();
  query.join();
  EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(2000));
  EXPECT_NE(message.find("pond_query was cancelled"), std::string::npos) << message;
}

// Uses a server of its own, which it stops.
TEST_F(PgFailureTest, ServerStoppedMidScanIsAConnectorError) {
  std::string dir = scratch_dir("stopped");
  ServerInfo own = start_server(dir);
  Admin own_admin(own);
  own_admin.exec(
      "CREATE TABLE big AS SELECT g::bigint AS id, repeat('x', 200) AS pad FROM generate_series(1, 300000) g");
  auto source = std::make_shared<connectors::postgres::PostgresSource>(
      connectors::postgres::PgSettings::from(settings_for(own, {{"pages_per_task", "1000000"}})));
  auto bound = source->scan_table("public", "big");
  ScanDriver driver(*bound, {0, 1});
  auto local = driver.local();
  EXPECT_EQ(driver.next(*local).rows, 2048u);
  stop_server(dir);
  Error e(ErrorKind::internal, "no error");
  try {
    driver.drain(*local);
  } catch (const Error& error) {
    e = error;
  }
  std::string message = e.what();
  EXPECT_EQ(e.kind(), ErrorKind::connector) << message;
  EXPECT_NE(message.find("cannot scan pg.public.big"), std::string::npos) << message;
  EXPECT_TRUE(message.find("terminating connection") != std::string::npos ||
              message.find("lost the connection") != std::string::npos)
      << message;
  EXPECT_EQ(message.find(own.password), std::string::npos) << message;
  EXPECT_TRUE(throws_error([&] { source->ping(); }, ErrorKind::connector, "cannot reach the server"));
  EXPECT_TRUE(throws_error([&] { source->scan_table("public", "big"); }, ErrorKind::connector, "cannot reach"));
}

}  // namespace
}  // namespace pond::test::pg
