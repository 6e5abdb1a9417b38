// pond_query: native SQL run as written — typed columns from the prepared statement, rows
// by binary COPY of the wrapped query (with projection), and single-row mode for statements
// that COPY does not take.

#include <gtest/gtest.h>

#include "engine/sql_text.hpp"
#include "pg_scan_driver.hpp"
#include "pg_test_support.hpp"

namespace pond::test::pg {
namespace {

class PgQueryTest : public PgTest {
 protected:
  std::string query(const std::string& sql) { return "pg_query(" + sql::quote_literal(sql) + ")"; }
  std::string table(const std::string& name) { return sql::quote_identifier(schema_) + "." + name; }
  // Binds without running (DuckDB would run the statement to show its types).
  static std::vector<std::string> bound_types(workspace::RemoteSource& source, const std::string& sql) {
    std::vector<std::string> out;
    auto bound = source.run_query(sql);
    for (const auto& column : bound->columns()) out.push_back(column.type.name());
    return out;
  }
  std::shared_ptr<connectors::postgres::PostgresSource> writable_source() {
    workspace::ConnectionSettings settings = settings_for(server_);
    settings.read_only = false;
    return std::make_shared<connectors::postgres::PostgresSource>(connectors::postgres::PgSettings::from(settings));
  }
};

TEST_F(PgQueryTest, ColumnsAndTypesComeFromThePreparedStatement) {
  std::string q = query(
      "SELECT 1 AS a, 'x'::text AS b, 12.5::numeric(5,2) AS c, DATE '2024-01-02' AS d, ARRAY[1,2] AS e, "
      "'10.0.0.1'::inet AS f, 2::numeric AS g");
  EXPECT_EQ(duck_->types("SELECT * FROM " + q),
            (std::vector<std::string>{"INTEGER", "VARCHAR", "DECIMAL(5,2)", "DATE", "INTEGER[]", "VARCHAR", "DOUBLE"}));
  EXPECT_EQ(duck_->rows("SELECT * FROM " + q),
            (std::vector<std::vector<std::string>>{{"1", "x", "12.50", "2024-01-02", "[1, 2]", "10.0.0.1/32", "2.0"}}));
}

TEST_F(PgQueryTest, RowsStreamByCopyWithOnlyTheProjectedColumns) {
  admin_->exec("CREATE TABLE " + table("t") + " AS SELECT g AS n, g * 2 AS m FROM generate_series(1, 5000) g");
  auto log = std::make_shared<std::vector<std::string>>();
  source_->set_statement_observer([log](const std::string& sql) { log->push_back(sql); });
  std::string q = query("SELECT n, m, 'unused' AS u FROM " + table("t") + " WHERE n <= 4000");
  EXPECT_EQ(duck_->value("SELECT sum(m) FROM " + q), "16004000");
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ(log->back(), "COPY (SELECT \"c1\" FROM (\nSELECT n, m, 'unused' AS u FROM " + table("t") +
                             " WHERE n <= 4000\n) AS pond_query(\"c0\", \"c1\", \"c2\")) TO STDOUT (FORMAT binary)");
}

TEST_F(PgQueryTest, DuplicateAndUnnamedColumnsGetDistinctNames) {
  engine::Result result = duck_->connection().query("SELECT * FROM " + query("SELECT 1, 2, 3 AS a, 4 AS a"));
  std::vector<std::string> names;
  for (const auto& c : result.columns()) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"?column?", "?column?_1", "a", "a_1"}));
  EXPECT_EQ(duck_->rows("SELECT * FROM " + query("SELECT 1, 2, 3 AS a, 4 AS a")),
            (std::vector<std::vector<std::string>>{{"1", "2", "3", "4"}}));
}

TEST_F(PgQueryTest, TrailingSemicolonsAndCommentsAreFine) {
  EXPECT_EQ(duck_->value("SELECT * FROM " + query("SELECT 42 AS x -- the answer\n;\n")), "42");
  EXPECT_EQ(duck_->value("SELECT * FROM " + query("WITH w AS (SELECT 7 AS y) SELECT y FROM w;")), "7");
}

TEST_F(PgQueryTest, StatementsCopyRefusesStreamRowByRow) {
  auto writable = writable_source();
  Duck duck(writable);
  admin_->exec("CREATE TABLE " + table("w") + " (id int, ip inet)");
  std::string returning_id = "INSERT INTO " + table("w") + " VALUES (1, '10.0.0.1'), (2, NULL) RETURNING id";
  EXPECT_EQ(bound_types(*writable, returning_id), (std::vector<std::string>{"INTEGER"}));
  EXPECT_EQ(duck.rows("SELECT * FROM " + query(returning_id) + " ORDER BY 1"),
            (std::vector<std::vector<std::string>>{{"1"}, {"2"}}));
  // inet is not decoded natively, and libpq takes one result format: everything as text.
  std::string returning_all = "UPDATE " + table("w") + " SET id = id + 10 WHERE id < 3 RETURNING id, ip";
  EXPECT_EQ(bound_types(*writable, returning_all), (std::vector<std::string>{"VARCHAR", "VARCHAR"}));
  EXPECT_EQ(duck.rows("SELECT * FROM " + query(returning_all) + " ORDER BY 1"),
            (std::vector<std::vector<std::string>>{{"11", "10.0.0.1"}, {"12", "NULL"}}));
  EXPECT_EQ(duck.value("SELECT * FROM " + query("SHOW server_encoding")), "UTF8");
  EXPECT_NE(duck.value("SELECT * FROM " + query("EXPLAIN SELECT 1")).find("Result"), std::string::npos);
}

TEST_F(PgQueryTest, CommandsWithoutResultGiveTheirStatus) {
  auto writable = writable_source();
  Duck duck(writable);
  EXPECT_EQ(duck.rows("SELECT * FROM " + query("CREATE TABLE " + table("c") + " (a int)")),
            (std::vector<std::vector<std::string>>{{"CREATE TABLE"}}));
  EXPECT_EQ(duck.value("SELECT status FROM " + query("INSERT INTO " + table("c") + " VALUES (1), (2)")), "INSERT 0 2");
  EXPECT_EQ(admin_->value("SELECT count(*) FROM " + table("c")), "2");
}

TEST_F(PgQueryTest, ReadOnlySourcesRefuseWrites) {
  admin_->exec("CREATE TABLE " + table("ro") + " (a int)");
  try {
    duck_->rows("SELECT * FROM " + query("INSERT INTO " + table("ro") + " VALUES (1)"));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("read-only transaction"), std::string::npos) << e.what();
  }
  EXPECT_EQ(admin_->value("SELECT count(*) FROM " + table("ro")), "0");
}

TEST_F(PgQueryTest, SqlErrorsAreInvalidInputAndUnknownTablesNotFound) {
  EXPECT_TRUE(throws_error([&] { source_->run_query("SELEC 1"); }, ErrorKind::invalid_input, "syntax error"));
  EXPECT_TRUE(
      throws_error([&] { source_->run_query("SELECT * FROM no_such_table"); }, ErrorKind::not_found, "no_such_table"));
  EXPECT_TRUE(
      throws_error([&] { source_->run_query("SELECT 1; SELECT 2"); }, ErrorKind::invalid_input, "multiple commands"));
  EXPECT_TRUE(throws_error([&] { source_->run_query("  ;  "); }, ErrorKind::invalid_input, "needs a SQL statement"));
}

TEST_F(PgQueryTest, ErrorsWhileStreamingNameTheQuery) {
  auto bound = source_->run_query("SELECT 1 / (g - 3) FROM generate_series(1, 5) g");
  ScanDriver driver(*bound, {0});
  auto local = driver.local();
  EXPECT_TRUE(throws_error([&] { driver.drain(*local); }, ErrorKind::invalid_input, "pond_query: division by zero"));
}

TEST_F(PgQueryTest, StatementTimeoutCancelsSlowQueries) {
  auto limited = open_source({{"statement_timeout", "200"}});
  auto bound = limited->run_query("SELECT pg_sleep(5)");
  ScanDriver driver(*bound, {0});
  auto local = driver.local();
  EXPECT_TRUE(throws_error([&] { driver.drain(*local); }, ErrorKind::cancelled, "statement timeout"));
}

// SELECT * FROM a large table is read like a scan of the table: by ctid ranges on several
// connections in one exported snapshot, delivered in range order, so CREATE TABLE AS gets
// exactly the rows, in the order, of the same query read by one statement.
TEST_F(PgQueryTest, PlainSelectStarOfALargeTableIsReadByCtidRangesInOrder) {
  admin_->exec("CREATE TABLE " + table("big") +
               " AS SELECT g::bigint AS id, md5(g::text) AS name FROM generate_series(1, 100000) g");
  auto source = open_source({{"pages_per_task", "50"}, {"max_connections", "3"}});
  auto log = std::make_shared<std::vector<std::string>>();
  source->set_statement_observer([log](const std::string& sql) { log->push_back(sql); });
  Duck duck(source);
  duck.connection()
      .prepare("CREATE TABLE par AS SELECT * FROM " + query("select * from " + table("big") + " ;"))
      .execute();
  size_t ranges = 0, snapshots = 0;
  for (const std::string& sql : *log) {
    ranges += sql.find("ctid >= ") != std::string::npos;
    snapshots += sql.find("pg_export_snapshot") != std::string::npos;
  }
  EXPECT_GT(ranges, 5u);
  EXPECT_EQ(snapshots, 1u);
  duck.connection()
      .prepare("CREATE TABLE ser AS SELECT * FROM " + query("SELECT * FROM " + table("big") + " WHERE true"))
      .execute();
  EXPECT_EQ(duck.value("SELECT count(*) FROM par"), "100000");
  EXPECT_EQ(duck.value("SELECT count(*) FROM par p FULL JOIN ser s ON p.rowid = s.rowid "
                       "WHERE p.id IS DISTINCT FROM s.id OR p.name IS DISTINCT FROM s.name"),
            "0");
  EXPECT_EQ(duck.types("SELECT * FROM par"), (std::vector<std::string>{"BIGINT", "VARCHAR"}));
}

// Views, filtered queries and unknown names stay one statement with the query's own errors.
TEST_F(PgQueryTest, OtherQueriesOfALargeTableStayOneStatement) {
  admin_->exec("CREATE TABLE " + table("big") +
               " AS SELECT g::bigint AS id, md5(g::text) AS name FROM generate_series(1, 50000) g");
  admin_->exec("CREATE VIEW " + table("big_view") + " AS SELECT * FROM " + table("big"));
  auto source = open_source({{"pages_per_task", "20"}, {"max_connections", "3"}});
  auto log = std::make_shared<std::vector<std::string>>();
  source->set_statement_observer([log](const std::string& sql) { log->push_back(sql); });
  Duck duck(source);
  EXPECT_EQ(duck.value("SELECT count(*) FROM " + query("SELECT * FROM " + table("big_view"))), "50000");
  EXPECT_EQ(duck.value("SELECT count(*) FROM " + query("SELECT * FROM " + table("big") + " WHERE id > 10")), "49990");
  for (const std::string& sql : *log) EXPECT_EQ(sql.find("ctid"), std::string::npos) << sql;
  EXPECT_THROW(duck.value("SELECT count(*) FROM " + query("SELECT * FROM " + table("no_such_table"))), Error);
}

}  // namespace
}  // namespace pond::test::pg
