// Failures a user meets: wrong password, unknown database, unreachable server, unknown and
// dropped tables, a cancelled query, and the server stopping in the middle of a scan.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "mysql_test_support.hpp"

namespace pond::connectors::mysql::test {
namespace {

using namespace std::chrono_literals;

class MysqlFailure : public MysqlTest {};

TEST_F(MysqlFailure, WrongPasswordIsNamedWithoutThePassword) {
  auto settings = settings_for(server_, database_);
  settings.secret["password"] = "not-the-password-4711";
  try {
    MysqlSource::open(settings);
    FAIL() << "connected with a wrong password";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_EQ(error.kind(), ErrorKind::connector);
    EXPECT_NE(message.find("access denied"), std::string::npos) << message;
    EXPECT_NE(message.find("MySQL source 'shop' (127.0.0.1:" + std::to_string(server_.port) + "/" + database_ + ")"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find("not-the-password-4711"), std::string::npos) << message;
    EXPECT_EQ(message.find(server_.password), std::string::npos) << message;
  }
}

TEST_F(MysqlFailure, UnknownDatabaseIsNamed) {
  auto settings = settings_for(server_, "no_such_database_here");
  EXPECT_TRUE(throws_error([&] { MysqlSource::open(settings); }, ErrorKind::connector, "unknown database"));
  EXPECT_TRUE(throws_error([&] { MysqlSource::open(settings); }, ErrorKind::connector, "/no_such_database_here)"));
}

TEST_F(MysqlFailure, UnreachableServerIsReportedQuickly) {
  auto settings = settings_for(server_, database_);
  settings.location = "host=127.0.0.1 port=1 user=pond";  // nothing listens on port 1
  settings.options["connect_timeout"] = "3";
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(throws_error([&] { MysqlSource::open(settings); }, ErrorKind::connector, "cannot reach the server"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST_F(MysqlFailure, UnknownTableIsNotFoundWithItsFullName) {
  auto source = open_source();
  EXPECT_TRUE(throws_error([&] { source->scan_table(database_, "no_such_table"); }, ErrorKind::not_found,
                           "shop." + database_ + ".no_such_table"));
}

TEST_F(MysqlFailure, DroppedTableIsNotFound) {
  sql("CREATE TABLE doomed (id INT)");
  sql("INSERT INTO doomed VALUES (1)");
  auto source = open_source();
  ASSERT_FALSE(source->tables().empty());
  auto bound = source->scan_table(database_, "doomed");  // bound while it exists
  sql("DROP TABLE doomed");
  DuckWithSource duck(*source);
  EXPECT_THROW(duck.rows("SELECT * FROM mysql_scan('" + database_ + "', 'doomed')"), Error);
  auto error = duck.last_connector_error();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), ErrorKind::not_found) << error->what();
  EXPECT_NE(std::string(error->what()).find("shop." + database_ + ".doomed"), std::string::npos) << error->what();
  // A scan bound before the drop fails the same way when it runs.
  auto global = bound->init({0});
  EXPECT_TRUE(throws_error([&] { global->init_local(); }, ErrorKind::not_found, "doomed"));
  // The catalog no longer lists it.
  for (const auto& table : source->tables()) EXPECT_FALSE(table.schema == database_ && table.name == "doomed");
}

TEST_F(MysqlFailure, CancelStopsASleepingQueryWithinASecond) {
  auto source = open_source();
  DuckWithSource duck(*source);
  std::atomic<bool> done{false};
  std::chrono::steady_clock::time_point first_cancel{};
  std::jthread canceller([&](std::stop_token stop) {
    std::this_thread::sleep_for(500ms);
    first_cancel = std::chrono::steady_clock::now();
    // A cancel that lands before the statement starts has nothing to stop; repeat until done.
    while (!stop.stop_requested() && !done) {
      source->cancel();
      std::this_thread::sleep_for(100ms);
    }
  });
  auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(duck.rows("SELECT * FROM mysql_query('SELECT SLEEP(30) AS slept')"), Error);
  auto finished = std::chrono::steady_clock::now();
  done = true;
  canceller.join();
  EXPECT_LT(finished - started, 3s);
  EXPECT_LT(finished - first_cancel, 1500ms);
  auto error = duck.last_connector_error();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), ErrorKind::cancelled) << error->what();
  EXPECT_NE(std::string(error->what()).find("cancelled"), std::string::npos) << error->what();
  // The source still works afterwards.
  EXPECT_EQ(duck.value("SELECT * FROM mysql_query('SELECT 41 + 1')"), "42");
}

TEST_F(MysqlFailure, CancelForOneQueryLeavesAnotherQueryOnTheSourceRunning) {
  auto source = open_source();
  DuckWithSource duck(*source);
  engine::Connection other = duck.connect();
  std::string other_result;
  std::string other_error;
  std::jthread second([&] {
    try {
      // SLEEP returns 1 when KILL QUERY interrupts it, 0 when it sleeps its time.
      other_result = other.query("SELECT * FROM mysql_query('SELECT SLEEP(2) AS slept')").fetch_all()[0][0].to_string();
    } catch (const std::exception& e) {
      other_error = e.what();
    }
  });
  std::atomic<bool> done{false};
  const uint64_t owner = duck.connection().id();
  std::jthread canceller([&](std::stop_token stop) {
    std::this_thread::sleep_for(300ms);
    while (!stop.stop_requested() && !done) {
      source->cancel_for(owner);
      std::this_thread::sleep_for(100ms);
    }
  });
  auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(duck.rows("SELECT * FROM mysql_query('SELECT SLEEP(30) AS slept')"), Error);
  done = true;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  auto error = duck.last_connector_error();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), ErrorKind::cancelled) << error->what();
  second.join();
  EXPECT_EQ(other_error, "");
  EXPECT_EQ(other_result, "0");
}

TEST_F(MysqlFailure, ServerStoppedMidScanIsAConnectorError) {
  // A private server: this test stops it.
  std::string dir = server_.dir + "-private";
  TestServer own = TestServer::start(dir);
  struct StopAtEnd {
    std::string dir;
    ~StopAtEnd() { TestServer::stop(dir); }
  } stop_at_end{dir};

  auto settings = settings_for(own, "pond_test");
  auto admin_settings = settings;
  admin_settings.read_only = false;
  MysqlConnection admin = MysqlConnection::open(MysqlSettings::parse(admin_settings));
  admin.execute("CREATE TABLE wide (id INT PRIMARY KEY, pad CHAR(200))");
  admin.execute("INSERT INTO wide SELECT seq, REPEAT('p', 200) FROM seq_1_to_200000");
  auto source = MysqlSource::open(settings);
  DuckWithSource duck(*source);
  std::atomic<int> chunks{0};
  duck.after_each_chunk([&] {
    if (chunks++ == 0) TestServer::stop(dir);  // after the first chunk
  });
  try {
    duck.rows("SELECT count(pad) FROM mysql_scan('pond_test', 'wide')");
    FAIL() << "the scan finished although the server stopped";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("lost the connection to the server"), std::string::npos) << message;
  }
  auto error = duck.last_connector_error();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), ErrorKind::connector) << error->what();
  EXPECT_NE(std::string(error->what()).find("shop.pond_test.wide"), std::string::npos) << error->what();
  EXPECT_EQ(std::string(error->what()).find(own.password), std::string::npos);
  EXPECT_TRUE(throws_error([&] { source->ping(); }, ErrorKind::connector, "MySQL source 'shop'"));
}

}  // namespace
}  // namespace pond::connectors::mysql::test
