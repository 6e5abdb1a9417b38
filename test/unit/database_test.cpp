// engine::Database: opening, settings, files.

#include "engine/database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <thread>
#include <vector>

#include "engine/error.hpp"
#include "test_support.hpp"

namespace pond::engine {
namespace {

DatabaseOptions file_options(const std::string& path) {
  DatabaseOptions options;
  options.path = path;
  return options;
}

std::string setting(Connection& connection, const std::string& name) {
  auto rows = connection.query("SELECT current_setting('" + name + "')::VARCHAR").fetch_all();
  return rows.at(0).at(0).to_string();
}

TEST(Database, OpensInMemoryByDefault) {
  Database db;
  EXPECT_TRUE(db.in_memory());
  EXPECT_EQ(db.path(), ":memory:");
  Connection connection = db.connect();
  EXPECT_EQ(connection.query("SELECT 41 + 1").fetch_all().at(0).at(0).as_int64(), 42);
}

TEST(Database, UnknownSettingIsInvalidInputNamingTheSetting) {
  DatabaseOptions options;
  options.settings = {{"no_such_setting_xyz", "1"}};
  try {
    Database db(options);
    FAIL() << "expected pond::Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
    EXPECT_NE(std::string(error.what()).find("no_such_setting_xyz"), std::string::npos) << error.what();
  }
}

TEST(Database, InvalidSettingValueIsInvalidInput) {
  DatabaseOptions options;
  options.settings = {{"threads", "many"}};
  try {
    Database db(options);
    FAIL() << "expected pond::Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::invalid_input) << error.what();
    EXPECT_NE(std::string(error.what()).find("threads"), std::string::npos) << error.what();
  }
}

TEST(Database, SettingsAreAppliedAtOpen) {
  DatabaseOptions options;
  options.settings = {{"threads", "1"}, {"memory_limit", "1GiB"}, {"default_order", "DESC"}};
  Database db(options);
  Connection connection = db.connect();
  EXPECT_EQ(setting(connection, "threads"), "1");
  EXPECT_EQ(setting(connection, "memory_limit"), "1.0 GiB");
  auto rows = connection.query("SELECT i FROM range(3) t(i) ORDER BY i").fetch_all();
  EXPECT_EQ(rows.at(0).at(0).as_int64(), 2);
}

TEST(Database, NetworkExtensionsAreNeverAutoInstalled) {
  Database db;
  Connection connection = db.connect();
  EXPECT_EQ(setting(connection, "autoinstall_known_extensions"), "false");
}

TEST(Database, FileDatabaseKeepsDataAcrossOpens) {
  test::TempDir dir;
  std::string path = dir.file("data.duckdb");
  {
    Database db(file_options(path));
    EXPECT_FALSE(db.in_memory());
    Connection connection = db.connect();
    connection.query("CREATE TABLE t AS SELECT 7 AS x");
  }
  Database db(file_options(path));
  Connection connection = db.connect();
  EXPECT_EQ(connection.query("SELECT x FROM t").fetch_all().at(0).at(0).as_int64(), 7);
}

TEST(Database, ReadOnlyRefusesWrites) {
  test::TempDir dir;
  std::string path = dir.file("ro.duckdb");
  { Database(file_options(path)).connect().query("CREATE TABLE t(i INTEGER)"); }
  DatabaseOptions options = file_options(path);
  options.read_only = true;
  Database db(options);
  Connection connection = db.connect();
  EXPECT_THROW(connection.query("INSERT INTO t VALUES (1)"), Error);
  EXPECT_EQ(connection.query("SELECT count(*) FROM t").fetch_all().at(0).at(0).as_int64(), 0);
}

TEST(Database, MissingFolderIsAnIoErrorNamingThePath) {
  try {
    Database db(file_options("/nonexistent-folder-pond/x.duckdb"));
    FAIL() << "expected pond::Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::io) << error.what();
    EXPECT_NE(std::string(error.what()).find("/nonexistent-folder-pond/x.duckdb"), std::string::npos);
  }
}

// Two instances on one file would each keep their own state and overwrite each other's
// writes. A second open in the same process must share the instance or be refused.
TEST(Database, SecondOpenOfTheSameFileInOneProcessIsSharedOrRefused) {
  test::TempDir dir;
  std::string path = dir.file("twice.duckdb");
  Database first(file_options(path));
  Connection a = first.connect();
  a.query("CREATE TABLE t(i INTEGER)");
  std::optional<Database> second;
  try {
    second.emplace(file_options(path));
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::io) << error.what();
    return;
  }
  Connection b = second->connect();
  b.query("INSERT INTO t VALUES (1)");
  EXPECT_EQ(a.query("SELECT count(*) FROM t").fetch_all().at(0).at(0).as_int64(), 1)
      << "the second instance's write is invisible to the first, and lost when the first checkpoints";
}

TEST(Database, CorruptFileIsAnIoErrorNamingThePath) {
  test::TempDir dir;
  std::string path = dir.write("corrupt.duckdb", std::string(16384, 'x'));
  try {
    Database db(file_options(path));
    FAIL() << "expected pond::Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::io) << error.what();
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
  }
}

TEST(Database, MovedFromDatabaseLeavesTheTargetUsable) {
  Database a;
  Database b(std::move(a));
  Connection connection = b.connect();
  EXPECT_EQ(connection.query("SELECT 1").fetch_all().size(), 1u);
  Database c;
  c = std::move(b);
  EXPECT_EQ(c.connect().query("SELECT 2").fetch_all().at(0).at(0).as_int64(), 2);
}

TEST(Database, ManyThreadsMayConnectAtOnce) {
  Database db;
  std::vector<std::jthread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&db, &ok] {
      Connection connection = db.connect();
      if (connection.query("SELECT 1").fetch_all().size() == 1) ++ok;
    });
  }
  threads.clear();
  EXPECT_EQ(ok.load(), 4);
}

}  // namespace
}  // namespace pond::engine
