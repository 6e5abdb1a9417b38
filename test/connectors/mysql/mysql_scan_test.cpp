// Scanning: large tables streamed with the server's totals, projection pushdown, abandoned
// scans, native queries, concurrent scans and joins with local DuckDB data.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "connectors/mysql/mysql_scanner.hpp"
#include "mysql_test_support.hpp"

namespace pond::connectors::mysql::test {
namespace {

using Rows = std::vector<std::vector<std::string>>;
constexpr int kLargeRows = 200'000;

class MysqlScan : public MysqlTest {
 protected:
  void create_large_table() {
    sql("CREATE TABLE big (id INT PRIMARY KEY, k INT, price DOUBLE, amount DECIMAL(12,2), name VARCHAR(40), "
        "d DATE, ts DATETIME)");
    sql("INSERT INTO big SELECT seq, seq % 97, seq * 0.5, (seq % 1000) + 0.25, CONCAT('name-', seq, '-', "
        "REPEAT('z', seq % 20)), DATE '2020-01-01' + INTERVAL (seq % 3000) DAY, "
        "TIMESTAMP '2020-01-01 00:00:00' + INTERVAL seq SECOND FROM seq_1_to_" +
        std::to_string(kLargeRows));
  }
  std::string scan(const std::string& table) { return " FROM mysql_scan('" + database_ + "', '" + table + "')"; }
  std::string server_value(const std::string& query) {
    auto rows = admin_.query(query).rows();
    return rows.at(0).at(0).value_or("NULL");
  }
};

TEST_F(MysqlScan, LargeTableTotalsMatchTheServer) {
  create_large_table();
  auto source = open_source();
  DuckWithSource duck(*source);
  Rows totals = duck.rows(
      "SELECT count(*), sum(id), sum(k), sum(amount)::VARCHAR, count(DISTINCT name), min(d)::VARCHAR, "
      "max(ts)::VARCHAR" +
      scan("big"));
  Rows expected = {{server_value("SELECT COUNT(*) FROM big"), server_value("SELECT SUM(id) FROM big"),
                    server_value("SELECT SUM(k) FROM big"), server_value("SELECT SUM(amount) FROM big"),
                    server_value("SELECT COUNT(DISTINCT name) FROM big"), server_value("SELECT MIN(d) FROM big"),
                    server_value("SELECT MAX(ts) FROM big")}};
  EXPECT_EQ(totals, expected);
  EXPECT_EQ(totals[0][0], std::to_string(kLargeRows));
  EXPECT_DOUBLE_EQ(std::stod(duck.value("SELECT sum(price)" + scan("big"))),
                   std::stod(server_value("SELECT SUM(price) FROM big")));
}

TEST_F(MysqlScan, OnlyProjectedColumnsAreFetched) {
  create_large_table();
  auto source = open_source();
  DuckWithSource duck(*source);
  std::string table = "`" + database_ + "`.`big`";
  EXPECT_EQ(duck.value("SELECT max(name)" + scan("big")), server_value("SELECT MAX(name) FROM big"));
  EXPECT_EQ(source->last_statement(), "SELECT `name` FROM " + table);
  duck.rows("SELECT amount, id" + scan("big") + " WHERE id < 3");
  // DuckDB orders the projection (filter columns first).
  EXPECT_THAT(source->last_statement(),
              ::testing::AnyOf("SELECT `amount`, `id` FROM " + table, "SELECT `id`, `amount` FROM " + table));
  // count(*): DuckDB asks for one column, never all of them.
  EXPECT_EQ(duck.value("SELECT count(*)" + scan("big")), std::to_string(kLargeRows));
  EXPECT_EQ(source->last_statement(), "SELECT `id` FROM " + table);

  // The same through the BoundScan directly.
  auto bound = source->scan_table(database_, "big");
  auto* mysql_scan = dynamic_cast<MysqlBoundScan*>(bound.get());
  ASSERT_NE(mysql_scan, nullptr);
  EXPECT_EQ(mysql_scan->statement_for({4, 0}), "SELECT `name`, `id` FROM " + table);
  // No column, or only DuckDB's row id: the server sends one constant per row.
  EXPECT_EQ(mysql_scan->statement_for({}), "SELECT 1 FROM " + table);
  EXPECT_EQ(mysql_scan->statement_for({uint64_t{1} << 63}), "SELECT 1 FROM " + table);
  ASSERT_TRUE(bound->estimated_rows());
  EXPECT_GT(*bound->estimated_rows(), 0u);
}

TEST_F(MysqlScan, StoppingEarlyDoesNotReadTheRestOfTheTable) {
  create_large_table();
  auto source = open_source();
  DuckWithSource duck(*source);
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(duck.rows("SELECT id" + scan("big") + " LIMIT 3").size(), 3u);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  // The abandoned statement is gone from the server soon after.
  std::string running = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT `id` FROM %big%'";
  for (int i = 0; i < 50 && server_value(running) != "0"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(server_value(running), "0");
  // And the source keeps working.
  EXPECT_EQ(duck.value("SELECT count(*)" + scan("big")), std::to_string(kLargeRows));
}

TEST_F(MysqlScan, NativeQueryRunsOnTheServerAsWritten) {
  create_large_table();
  auto source = open_source();
  DuckWithSource duck(*source);
  Rows rows = duck.rows(
      "SELECT * FROM mysql_query('SELECT k, COUNT(*) AS n, SUM(amount) AS total FROM big "
      "WHERE k < 3 GROUP BY k ORDER BY k')");
  auto server = admin_.query("SELECT k, COUNT(*), SUM(amount) FROM big WHERE k < 3 GROUP BY k ORDER BY k").rows();
  ASSERT_EQ(rows.size(), server.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i], (std::vector<std::string>{*server[i][0], *server[i][1], *server[i][2]}));
  }
  EXPECT_EQ(source->last_statement(),
            "SELECT k, COUNT(*) AS n, SUM(amount) AS total FROM big WHERE k < 3 GROUP BY k ORDER BY k");
  // Projection happens in DuckDB; the remote query is unchanged.
  EXPECT_EQ(duck.value("SELECT sum(n) FROM mysql_query('SELECT k, COUNT(*) AS n FROM big GROUP BY k')"),
            std::to_string(kLargeRows));
  EXPECT_EQ(source->last_statement(), "SELECT k, COUNT(*) AS n FROM big GROUP BY k");
}

TEST_F(MysqlScan, NativeQueryColumnNamesAreMadeUnique) {
  auto source = open_source();
  DuckWithSource duck(*source);
  EXPECT_EQ(duck.rows("SELECT column_name FROM (DESCRIBE SELECT * FROM mysql_query('SELECT 1 AS a, 2 AS a, 3 AS a;'))"),
            (Rows{{"a"}, {"a_1"}, {"a_2"}}));
  EXPECT_EQ(duck.rows("SELECT * FROM mysql_query('SELECT 1 AS a, 2 AS a, 3 AS a;')"), (Rows{{"1", "2", "3"}}));
}

TEST_F(MysqlScan, NativeQueryErrorsAreClear) {
  auto source = open_source();
  EXPECT_TRUE(throws_error([&] { source->run_query("SELEKT 1"); }, ErrorKind::invalid_input, "SQL syntax"));
  EXPECT_TRUE(throws_error([&] { source->run_query("DO 1"); }, ErrorKind::invalid_input, "returns no rows"));
  EXPECT_TRUE(
      throws_error([&] { source->run_query("SELECT * FROM no_such_table"); }, ErrorKind::not_found, "no_such_table"));
}

TEST_F(MysqlScan, NativeQueryCannotWriteThroughAReadOnlySource) {
  sql("CREATE TABLE guarded (id INT)");
  auto source = open_source();
  DuckWithSource duck(*source);
  EXPECT_THROW(duck.rows("SELECT * FROM mysql_query('INSERT INTO guarded VALUES (1) RETURNING id')"), Error);
  auto error = duck.last_connector_error();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), ErrorKind::invalid_input) << error->what();
  EXPECT_NE(std::string(error->what()).find("read-only"), std::string::npos) << error->what();
  EXPECT_EQ(server_value("SELECT COUNT(*) FROM guarded"), "0");
}

TEST_F(MysqlScan, ManyThreadsScanAtOnce) {
  create_large_table();
  auto source = open_source();
  DuckWithSource duck(*source);
  constexpr int kThreads = 6;
  std::vector<std::string> counts(kThreads);
  std::vector<std::jthread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        // Each thread has its own DuckDB connection to the same database.
        engine::Connection connection = duck.connect();
        counts[t] =
            connection
                .query("SELECT count(*) FROM (SELECT id, name" + scan("big") + " WHERE k = " + std::to_string(t) + ")")
                .fetch_all()
                .at(0)
                .at(0)
                .to_string();
      } catch (const std::exception& e) {
        counts[t] = e.what();
      }
    });
  }
  threads.clear();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(counts[t], server_value("SELECT COUNT(*) FROM big WHERE k = " + std::to_string(t)));
  }
}

TEST_F(MysqlScan, RemoteRowsJoinLocalTables) {
  sql("CREATE TABLE customers (id INT, name VARCHAR(20))");
  sql("INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace'), (3, 'Edsger')");
  auto source = open_source();
  DuckWithSource duck(*source);
  duck.rows("CREATE TABLE orders AS SELECT * FROM (VALUES (1, 10.0), (1, 5.0), (3, 7.5)) o(customer, total)");
  EXPECT_EQ(duck.rows("SELECT c.name, sum(o.total)::VARCHAR FROM orders o JOIN mysql_scan('" + database_ +
                      "', 'customers') c ON c.id = o.customer GROUP BY c.name ORDER BY c.name"),
            (Rows{{"Ada", "15.0"}, {"Edsger", "7.5"}}));
}

TEST_F(MysqlScan, PingAnswersWhileTheServerRuns) {
  auto source = open_source();
  EXPECT_NO_THROW(source->ping());
}

}  // namespace
}  // namespace pond::connectors::mysql::test
