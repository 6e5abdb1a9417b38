// Table scans: empty and large tables, identifiers, projection pushdown, views, parallel
// ctid-range scans over one snapshot, and scans of tables that are missing or dropped.

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "engine/sql_text.hpp"
#include "pg_scan_driver.hpp"
#include "pg_test_support.hpp"

namespace pond::test::pg {
namespace {

class PgScanTest : public PgTest {
 protected:
  std::string table(const std::string& name) {
    return sql::quote_identifier(schema_) + "." + sql::quote_identifier(name);
  }
  std::string scan(const std::string& name) { return scan_sql(schema_, name); }
  void create_big(int rows) {
    admin_->exec("CREATE TABLE " + table("big") +
                 " AS SELECT g::bigint AS id, g % 97 AS k, g * 1.5 AS price, (g % 1000 + 0.25)::numeric(12,2) AS "
                 "amount, md5(g::text) AS name FROM generate_series(1, " +
                 std::to_string(rows) + ") g");
  }
  // Records the statements scans send.
  std::shared_ptr<std::vector<std::string>> record(connectors::postgres::PostgresSource& source) {
    auto log = std::make_shared<std::vector<std::string>>();
    source.set_statement_observer([log](const std::string& sql) { log->push_back(sql); });
    return log;
  }
  static size_t count_containing(const std::vector<std::string>& log, const std::string& needle) {
    size_t n = 0;
    for (const std::string& s : log) n += s.find(needle) != std::string::npos;
    return n;
  }
};

TEST_F(PgScanTest, EmptyTableGivesNoRows) {
  admin_->exec("CREATE TABLE " + table("empty") + " (a int, b text)");
  EXPECT_TRUE(duck_->rows("SELECT * FROM " + scan("empty")).empty());
  EXPECT_EQ(duck_->value("SELECT count(*) FROM " + scan("empty")), "0");
}

TEST_F(PgScanTest, LargeTableMatchesPostgresOwnAggregates) {
  create_big(300000);
  admin_->exec("ANALYZE " + table("big"));
  std::string expected = admin_->value(
      "SELECT count(*) || ' ' || sum(id) || ' ' || sum(amount) || ' ' || sum(k) || "
      "' ' || sum(length(name)) FROM " +
      table("big"));
  std::string query =
      "SELECT count(*) || ' ' || sum(id) || ' ' || sum(amount) || ' ' || sum(k) || ' ' || "
      "sum(length(name)) FROM " +
      scan("big");
  EXPECT_EQ(duck_->value(query), expected);
  // The same through one connection (no ctid ranges).
  Duck serial(open_source({{"pages_per_task", "1000000"}}));
  EXPECT_EQ(serial.value(query), expected);
  EXPECT_EQ(duck_->value("SELECT count(*) FROM " + scan("big")), "300000");
}

TEST_F(PgScanTest, QuotedMixedCaseAndSpaceIdentifiersWork) {
  std::string odd_schema = schema_ + " Odd \"S\"";
  admin_->exec("DROP SCHEMA IF EXISTS " + sql::quote_identifier(odd_schema) + " CASCADE");
  admin_->exec("CREATE SCHEMA " + sql::quote_identifier(odd_schema));
  std::string t = sql::quote_identifier(odd_schema) + ".\"My Table\"";
  admin_->exec("CREATE TABLE " + t + " (\"Col With Space\" int, \"UPPER\" text, \"quo\"\"te\" text, lower int)");
  admin_->exec("INSERT INTO " + t + " VALUES (1, 'a', 'q', 10), (2, 'b', NULL, 20)");
  std::string s = scan_sql(odd_schema, "My Table");
  EXPECT_EQ(duck_->rows("SELECT \"Col With Space\", \"UPPER\", \"quo\"\"te\", lower FROM " + s + " ORDER BY 1"),
            (std::vector<std::vector<std::string>>{{"1", "a", "q", "10"}, {"2", "b", "NULL", "20"}}));
  EXPECT_EQ(duck_->value("SELECT sum(lower) FROM " + s), "30");
  bool listed = false;
  for (const auto& table : source_->tables()) listed |= table.schema == odd_schema && table.name == "My Table";
  EXPECT_TRUE(listed);
  admin_->exec("DROP SCHEMA " + sql::quote_identifier(odd_schema) + " CASCADE");
}

TEST_F(PgScanTest, ProjectionPushdownFetchesOnlyTheUsedColumns) {
  admin_->exec("CREATE TABLE " + table("wide") + " (a int, b text, c float8, d inet)");
  admin_->exec("INSERT INTO " + table("wide") + " VALUES (1, 'x', 1.5, '10.0.0.1'), (2, 'y', 2.5, NULL)");
  auto log = record(*source_);
  EXPECT_EQ(duck_->value("SELECT string_agg(b, ',' ORDER BY b) FROM " + scan("wide")), "x,y");
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ(log->back(), "COPY (SELECT \"b\" FROM " + table("wide") + ") TO STDOUT (FORMAT binary)");

  // DuckDB asks table functions for their first column when a query needs none.
  EXPECT_EQ(duck_->value("SELECT count(*) FROM " + scan("wide")), "2");
  EXPECT_EQ(log->back(), "COPY (SELECT \"a\" FROM " + table("wide") + ") TO STDOUT (FORMAT binary)");

  // Asked for the row id only, the scan fetches no column but still counts the rows.
  auto bound = source_->scan_table(schema_, "wide");
  ScanDriver driver(*bound, {bound->columns().size()});
  auto local = driver.local();
  EXPECT_EQ(driver.drain(*local).rows, 2u);
  EXPECT_EQ(log->back(), "COPY (SELECT  FROM " + table("wide") + ") TO STDOUT (FORMAT binary)");

  EXPECT_EQ(duck_->value("SELECT max(d) || c FROM " + scan("wide") + " GROUP BY c ORDER BY c LIMIT 1"),
            "10.0.0.1/321.5");
  EXPECT_NE(log->back().find("\"d\"::text"), std::string::npos) << log->back();
  EXPECT_EQ(log->back().find("\"a\""), std::string::npos) << log->back();
  EXPECT_EQ(log->back().find("\"b\""), std::string::npos) << log->back();
}

TEST_F(PgScanTest, ViewsAndMaterializedViewsAreListedAndScanned) {
  admin_->exec("CREATE TABLE " + table("base") + " AS SELECT g AS n FROM generate_series(1, 10) g");
  admin_->exec("CREATE VIEW " + table("evens") + " AS SELECT n FROM " + table("base") + " WHERE n % 2 = 0");
  admin_->exec("CREATE MATERIALIZED VIEW " + table("odds") + " AS SELECT n FROM " + table("base") + " WHERE n % 2 = 1");
  EXPECT_EQ(duck_->value("SELECT sum(n) FROM " + scan("evens")), "30");
  EXPECT_EQ(duck_->value("SELECT sum(n) FROM " + scan("odds")), "25");
  int views = 0;
  for (const auto& t : source_->tables()) {
    if (t.schema == schema_ && (t.name == "evens" || t.name == "odds")) views += t.is_view;
  }
  EXPECT_EQ(views, 2);
}

TEST_F(PgScanTest, SchemaOptionFiltersTheCatalogAndSetsTheDefault) {
  admin_->exec("CREATE TABLE " + table("only_here") + " (a int)");
  auto filtered = open_source({{"schema", schema_}});
  EXPECT_EQ(filtered->default_schema(), schema_);
  auto tables = filtered->tables();
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].name, "only_here");
  EXPECT_EQ(source_->default_schema(), "public");
}

TEST_F(PgScanTest, CatalogIsCachedUntilRefresh) {
  auto has = [&](const std::string& name) {
    for (const auto& t : source_->tables()) {
      if (t.schema == schema_ && t.name == name) return true;
    }
    return false;
  };
  EXPECT_FALSE(has("later"));
  admin_->exec("CREATE TABLE " + table("later") + " (a int)");
  EXPECT_FALSE(has("later"));
  source_->refresh();
  EXPECT_TRUE(has("later"));
}

TEST_F(PgScanTest, ParallelScanMatchesSerialAndSeesOneSnapshot) {
  create_big(200000);
  std::string expected = admin_->value("SELECT count(*) || ' ' || sum(id) FROM " + table("big"));
  auto parallel = open_source({{"pages_per_task", "100"}, {"max_connections", "3"}});
  auto log = record(*parallel);
  // Changes committed after the scan started (a worker is about to COPY its first range) must
  // stay invisible to every range: updated rows move to new pages, new rows land at the end.
  std::once_flag changed;
  Admin writer(server_);
  parallel->set_statement_observer([&](const std::string& sql) {
    log->push_back(sql);
    if (sql.rfind("COPY", 0) == 0) {
      std::call_once(changed, [&] {
        writer.exec("UPDATE " + table("big") + " SET id = id + 1000000000 WHERE id % 2 = 0");
        writer.exec("INSERT INTO " + table("big") + " SELECT g, 0, 0, 0, 'new' FROM generate_series(1, 5000) g");
      });
    }
  });
  Duck duck(parallel);
  EXPECT_EQ(duck.value("SELECT count(*) || ' ' || sum(id) FROM " + scan("big")), expected);
  EXPECT_GT(count_containing(*log, "ctid >= "), 10u);
  EXPECT_EQ(count_containing(*log, "pg_export_snapshot"), 1u);
  EXPECT_GE(count_containing(*log, "SET TRANSACTION SNAPSHOT"), 1u);
  EXPECT_LE(count_containing(*log, "SET TRANSACTION SNAPSHOT"), 3u);
  // A new scan sees the changes.
  parallel->set_statement_observer(nullptr);
  EXPECT_NE(duck.value("SELECT count(*) || ' ' || sum(id) FROM " + scan("big")), expected);
  EXPECT_EQ(duck.value("SELECT count(*) FROM " + scan("big")), "205000");
}

TEST_F(PgScanTest, ParallelLocalScansShareTheWorkAndTheSnapshot) {
  create_big(100000);
  auto parallel = open_source({{"pages_per_task", "50"}, {"max_connections", "2"}});
  auto bound = parallel->scan_table(schema_, "big");
  ScanDriver driver(*bound, {0});
  EXPECT_EQ(driver.global().max_threads(), std::min<size_t>(2, std::max(1u, std::thread::hardware_concurrency())));
  auto first = driver.local();
  auto second = driver.local();
  ScanDriver::Chunk a = driver.next(*first);
  ScanDriver::Chunk b = driver.next(*second);
  admin_->exec("DELETE FROM " + table("big") + " WHERE id > 50000");
  ScanDriver::Chunk rest_a = driver.drain(*first);
  ScanDriver::Chunk rest_b = driver.drain(*second);
  EXPECT_EQ(a.rows + b.rows + rest_a.rows + rest_b.rows, 100000u);
  EXPECT_EQ(a.sum + b.sum + rest_a.sum + rest_b.sum, int64_t{100000} * 100001 / 2);
  EXPECT_GT(rest_a.rows, 0u);
  EXPECT_GT(rest_b.rows, 0u);
}

TEST_F(PgScanTest, SnapshotOutlivesTheServersIdleTransactionTimeout) {
  create_big(50000);
  workspace::ConnectionSettings settings = settings_for(server_, {{"pages_per_task", "20"}, {"max_connections", "2"}});
  settings.location += " options='-c idle_in_transaction_session_timeout=100'";
  auto source =
      std::make_shared<connectors::postgres::PostgresSource>(connectors::postgres::PgSettings::from(settings));
  auto bound = source->scan_table(schema_, "big");
  ScanDriver driver(*bound, {0});
  auto first = driver.local();
  ScanDriver::Chunk a = driver.next(*first);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  auto second = driver.local();  // imports the snapshot only now
  ScanDriver::Chunk b = driver.drain(*second);
  ScanDriver::Chunk rest = driver.drain(*first);
  EXPECT_EQ(a.rows + b.rows + rest.rows, 50000u);
}

TEST_F(PgScanTest, LimitStopsTheScanAndTheSourceStaysUsable) {
  create_big(100000);
  EXPECT_EQ(duck_->rows("SELECT id FROM " + scan("big") + " LIMIT 3").size(), 3u);
  EXPECT_EQ(duck_->value("SELECT count(*) FROM " + scan("big")), "100000");
}

TEST_F(PgScanTest, UnknownTableIsNotFoundNamingAliasSchemaAndTable) {
  EXPECT_TRUE(throws_error([&] { source_->scan_table(schema_, "missing"); }, ErrorKind::not_found,
                           "pg." + schema_ + ".missing"));
}

TEST_F(PgScanTest, TableDroppedAfterBindIsNotFound) {
  admin_->exec("CREATE TABLE " + table("doomed") + " (a int)");
  admin_->exec("INSERT INTO " + table("doomed") + " VALUES (1)");
  auto bound = source_->scan_table(schema_, "doomed");
  ScanDriver driver(*bound, {0});
  admin_->exec("DROP TABLE " + table("doomed"));
  auto local = driver.local();
  EXPECT_TRUE(
      throws_error([&] { driver.next(*local); }, ErrorKind::not_found, "cannot scan pg." + schema_ + ".doomed"));
}

TEST_F(PgScanTest, LargeTableDroppedAfterBindIsNotFoundAtInit) {
  create_big(20000);
  auto parallel = open_source({{"pages_per_task", "10"}});
  auto bound = parallel->scan_table(schema_, "big");
  admin_->exec("DROP TABLE " + table("big"));
  EXPECT_TRUE(throws_error([&] { ScanDriver driver(*bound, {0}); }, ErrorKind::not_found, "pg." + schema_ + ".big"));
}

}  // namespace
}  // namespace pond::test::pg
