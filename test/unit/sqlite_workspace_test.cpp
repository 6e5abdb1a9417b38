// A workspace with a SQLite source: interrupting one connection cancels the remote statements
// of that connection's query only, connector errors keep their kind, SHOW SOURCE lists tables
// and views with their columns, only the used columns are read, and a source that is broken at
// open is listed unavailable and retried later.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "connectors/sqlite/sqlite_connector.hpp"
#include "engine/error.hpp"
#include "sqlite_file.hpp"
#include "test_support.hpp"
#include "workspace/workspace.hpp"

namespace pond::workspace {
namespace {

using namespace std::chrono_literals;

// Counts for minutes inside SQLite: its first row only comes at the end.
constexpr const char* kSlowCount =
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS n FROM (SELECT x FROM c "
    "LIMIT 20000000000)";

// A query running on its own thread; records how it ended.
class Running {
 public:
  template <typename F>
  explicit Running(F run)
      : thread_([this, run] {
          try {
            run();
          } catch (const Error& e) {
            kind_ = e.kind();
            message_ = e.what();
          }
          done_ = true;
        }) {}

  bool done() const { return done_; }
  // Calls `interrupt` until the query ends (an interrupt that lands before the remote
  // statement starts is lost); false when it is still running after `limit`.
  template <typename F>
  bool interrupt_until_done(F interrupt, std::chrono::milliseconds limit = 10s) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (!done_ && std::chrono::steady_clock::now() < until) {
      interrupt();
      std::this_thread::sleep_for(50ms);
    }
    thread_.join();
    return done_;
  }
  std::optional<ErrorKind> kind() const { return kind_; }
  const std::string& message() const { return message_; }

 private:
  std::atomic<bool> done_{false};
  std::optional<ErrorKind> kind_;
  std::string message_;
  std::thread thread_;
};

using pond::test::sqlite_exec;

// crm.sqlite: people(id INTEGER, name TEXT, score INTEGER) where one score does not fit its
// INTEGER column, a view over people, and a view whose only row takes minutes.
class SqliteWorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sqlite_exec(dir_.file("crm.sqlite"),
                "CREATE TABLE people (id INTEGER, name TEXT, score INTEGER);"
                "INSERT INTO people VALUES (1, 'ann', 10), (2, 'bob', 'not a number');"
                "CREATE VIEW named AS SELECT id, upper(name) AS shout FROM people;"
                "CREATE VIEW slow_count AS " +
                    std::string(kSlowCount) + ";");
    ws_.emplace(options());
    ws_->execute("ATTACH '" + dir_.file("crm.sqlite") + "' AS crm (TYPE SQLITE)");
  }

  WorkspaceOptions options() const {
    WorkspaceOptions o;
    o.path = dir_.file("ws.duckdb");
    o.connectors.push_back(std::make_shared<connectors::sqlite::SqliteConnector>());
    return o;
  }

  test::TempDir dir_;
  std::optional<Workspace> ws_;
};

using RemoteCancelTest = SqliteWorkspaceTest;

TEST_F(RemoteCancelTest, InterruptCancelsTheRemoteQueryWithKindCancelled) {
  Running query([&] { ws_->execute(std::string("SELECT * FROM pond_query('crm', '") + kSlowCount + "')"); });
  std::this_thread::sleep_for(300ms);
  auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(query.interrupt_until_done([&] { ws_->interrupt(); }));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(query.kind(), ErrorKind::cancelled) << query.message();
}

TEST_F(RemoteCancelTest, InterruptingOneConnectionLeavesAnotherConnectionsRemoteQueryRunning) {
  engine::Connection other = ws_->open_connection();
  // The primary connection reads the view (the wait is in the scan); the other one runs a
  // native query (the wait is at bind): both kinds of remote statement are owned by their query.
  Running primary([&] { ws_->execute("SELECT * FROM crm.slow_count"); });
  Running second([&] { other.query(std::string("SELECT * FROM pond_query('crm', '") + kSlowCount + "')"); });
  std::this_thread::sleep_for(500ms);
  ASSERT_FALSE(primary.done()) << primary.message();
  ASSERT_FALSE(second.done()) << second.message();

  ASSERT_TRUE(primary.interrupt_until_done([&] { ws_->interrupt(); }));
  EXPECT_EQ(primary.kind(), ErrorKind::cancelled) << primary.message();
  std::this_thread::sleep_for(1s);
  EXPECT_FALSE(second.done()) << "the other connection's query was cancelled too: " << second.message();

  ASSERT_TRUE(second.interrupt_until_done([&] { ws_->interrupt(other); }));
  EXPECT_EQ(second.kind(), ErrorKind::cancelled) << second.message();
  // Both connections still work.
  EXPECT_EQ(ws_->execute("SELECT count(*) FROM crm.people").fetch_all()[0][0].as_int64(), 2);
  EXPECT_EQ(other.query("SELECT name FROM crm.people WHERE id = 1").fetch_all()[0][0].to_string(), "ann");
}

TEST_F(RemoteCancelTest, ErrorsRaisedByTheConnectorKeepTheirKind) {
  try {
    ws_->execute("SELECT * FROM pond_scan('crm', 'main', 'no_such_table')");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::not_found) << e.what();
    EXPECT_NE(std::string(e.what()).find("no_such_table"), std::string::npos) << e.what();
  }
  try {
    ws_->execute("SELECT * FROM pond_query('crm', '  ')");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input) << e.what();
    EXPECT_NE(std::string(e.what()).find("needs a SQL statement"), std::string::npos) << e.what();
  }
}

TEST_F(SqliteWorkspaceTest, OnlyTheColumnsAQueryUsesAreRead) {
  // bob's score does not fit its INTEGER column: reading it fails, naming table, column and row.
  EXPECT_EQ(ws_->execute("SELECT string_agg(name, ',' ORDER BY id) FROM crm.people").fetch_all()[0][0].to_string(),
            "ann,bob");
  EXPECT_EQ(ws_->execute("SELECT count(*) FROM crm.people").fetch_all()[0][0].as_int64(), 2);
  try {
    ws_->execute("SELECT sum(score) FROM crm.people");
    FAIL() << "no error";
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input) << message;
    EXPECT_NE(message.find("score"), std::string::npos) << message;
    EXPECT_NE(message.find("people"), std::string::npos) << message;
  }
}

TEST_F(SqliteWorkspaceTest, ShowSourceListsTablesAndViewsWithTheirColumns) {
  std::string listed;
  for (const auto& row : ws_->execute("SHOW SOURCE crm").fetch_all()) {
    if (row[1].to_string() == "slow_count") continue;
    for (const auto& v : row) listed += v.to_string() + "|";
    listed += "\n";
  }
  EXPECT_EQ(listed,
            "main|named|view|id|BIGINT|INTEGER|\n"
            "main|named|view|shout|VARCHAR||\n"
            "main|people|table|id|BIGINT|INTEGER|\n"
            "main|people|table|name|VARCHAR|TEXT|\n"
            "main|people|table|score|BIGINT|INTEGER|\n");
  EXPECT_EQ(ws_->execute("SELECT shout FROM crm.named WHERE id = 2").fetch_all()[0][0].to_string(), "BOB");
  std::vector<SourceInfo> sources = ws_->sources();
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].tables, (std::vector<std::string>{"main.named", "main.people", "main.slow_count"}));
}

TEST_F(SqliteWorkspaceTest, ShowSourceCoversDuckdbAndFileSourcesToo) {
  ws_->execute("CREATE TABLE local_t (a INTEGER, b VARCHAR)");
  std::string csv = dir_.file("cities.csv");
  std::ofstream(csv) << "city,pop\nOslo,700000\n";
  ws_->execute("USE '" + csv + "' AS cities");
  auto rows = ws_->execute("SHOW SOURCE cities").fetch_all();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1].to_string() + "|" + rows[0][2].to_string() + "|" + rows[0][3].to_string(), "cities|view|city");
  EXPECT_EQ(rows[1][3].to_string() + "|" + rows[1][4].to_string(), "pop|BIGINT");
}

TEST_F(SqliteWorkspaceTest, ShowSourceOfAnUnknownOrHostileAliasIsNotFound) {
  EXPECT_TRUE(test::throws_error([&] { ws_->execute("SHOW SOURCE nosuch"); }, ErrorKind::not_found,
                                 "no source named 'nosuch'"));
  EXPECT_TRUE(test::throws_error([&] { ws_->execute("SHOW SOURCE \"x'); DROP TABLE t; --\""); }, ErrorKind::not_found,
                                 "no source named 'x'); DROP TABLE t; --'"));
  EXPECT_TRUE(test::throws_error([&] { ws_->execute("SHOW SOURCE"); }, ErrorKind::invalid_input, "alias"));
  EXPECT_TRUE(test::throws_error([&] { ws_->execute("SHOW SOURCE crm extra"); }, ErrorKind::invalid_input, "extra"));
}

TEST_F(SqliteWorkspaceTest, SourceBrokenAtOpenIsListedAndRetriedWhenUsed) {
  ws_.reset();
  std::filesystem::rename(dir_.file("crm.sqlite"), dir_.file("away.sqlite"));
  ws_.emplace(options());  // opens although the source is broken
  std::vector<SourceInfo> sources = ws_->sources();
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_FALSE(sources[0].available);
  EXPECT_NE(sources[0].reason.find("crm.sqlite"), std::string::npos) << sources[0].reason;
  EXPECT_TRUE(test::throws_error([&] { ws_->execute("SELECT * FROM crm.people"); }, ErrorKind::not_found,
                                 "source 'crm' is unavailable"));
  EXPECT_TRUE(test::throws_error([&] { ws_->execute("SHOW SOURCE crm"); }, ErrorKind::not_found,
                                 "source 'crm' is unavailable"));

  std::filesystem::rename(dir_.file("away.sqlite"), dir_.file("crm.sqlite"));
  // Retries wait 1 s, then 2, 4 ... between attempts: the next use after the wait reconnects.
  std::this_thread::sleep_for(2100ms);
  EXPECT_EQ(ws_->execute("SELECT count(*) FROM crm.people").fetch_all()[0][0].as_int64(), 2);
  EXPECT_TRUE(ws_->sources()[0].available);
}

}  // namespace
}  // namespace pond::workspace
