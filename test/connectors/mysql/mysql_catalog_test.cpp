// `pond run catalog.yaml` with a MariaDB source against the fixture's throwaway server: the
// real binary, a secret whose password comes from the environment, a view and a persistent
// materialization over the source, idempotence, and a wrong password that fails naming the
// source without ever printing a password (not with --dry-run or --verbose either).

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "../../e2e/cli_test_support.hpp"
#include "mysql_test_support.hpp"

namespace pond::connectors::mysql::test {
namespace {

namespace fs = std::filesystem;
using e2e::RunResult;

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

class MysqlCatalogTest : public MysqlTest {
 protected:
  void SetUp() override {
    MysqlTest::SetUp();
    if (IsSkipped()) return;
    sql("CREATE TABLE orders (id INT PRIMARY KEY, amount DECIMAL(10,2), note VARCHAR(20))");
    sql("INSERT INTO orders VALUES (1, 5, 'small'), (2, 15, 'mid'), (3, 25, 'big')");
    std::ofstream(dir_ / "catalog.yaml")
        << "version: 1\nworkspace: ws.duckdb\n"
           "secrets:\n"
           "  shop_login: { type: mysql, user: \""
        << server_.user
        << "\", password: \"${POND_CATALOG_MYSQL_PASSWORD}\" }\n"
           "sources:\n"
           "  shop: { type: mariadb, dsn: \"host=127.0.0.1 port="
        << server_.port << " database=" << database_
        << "\", secret: shop_login, connect_timeout: 5, retries: 1, retry_backoff: 0.1 }\n"
           "materializations:\n"
           "  big_orders: { source: shop, query: \"SELECT id, amount FROM orders WHERE amount > 10\", "
           "persistent: true }\n"
           "views:\n"
           "  order_count: \"SELECT count(*) AS n, sum(amount) AS total FROM shop.orders\"\n";
  }

  RunResult run(const std::vector<std::string>& args) { return e2e::run_pond(args, dir_.path()); }

  // Neither the real password nor `wrong` anywhere in `r`.
  void expect_no_password(const RunResult& r, const std::string& wrong = "") {
    EXPECT_FALSE(has(r.out + r.err, server_.password)) << r.out << r.err;
    if (!wrong.empty()) {
      EXPECT_FALSE(has(r.out + r.err, wrong)) << r.out << r.err;
    }
  }

  e2e::TempDir dir_;
};

TEST_F(MysqlCatalogTest, AMariaDbSourceGetsItsViewAndMaterializationAndASecondRunChangesNothing) {
  setenv("POND_CATALOG_MYSQL_PASSWORD", server_.password.c_str(), 1);
  RunResult first = run({"run", "catalog.yaml", "--query",
                         "SELECT n, total, (SELECT count(*) FROM big_orders) AS big FROM order_count", "-f", "csv"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, "n,total,big\n3,45.00,2\n");
  EXPECT_TRUE(has(first.err, "3 to create")) << first.err;
  expect_no_password(first);
  RunResult again = run({"run", "catalog.yaml", "-v"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(has(again.out, "no changes (3 unchanged, 1 for this session only)")) << again.out;
  expect_no_password(again);
  RunResult provenance =
      run({"-w", "ws.duckdb", "query", "SELECT source, row_count FROM pond_meta.materializations", "-f", "csv"});
  EXPECT_EQ(provenance.out, "source,row_count\nshop,2\n") << provenance.err;
  std::ifstream file(dir_ / "ws.duckdb", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_FALSE(has(bytes, server_.password));
}

TEST_F(MysqlCatalogTest, AChangedQueryRefreshesTheMaterializationFromMariaDb) {
  setenv("POND_CATALOG_MYSQL_PASSWORD", server_.password.c_str(), 1);
  ASSERT_EQ(run({"run", "catalog.yaml"}).exit_code, 0);
  std::string text = e2e::read_file(dir_ / "catalog.yaml");
  text.replace(text.find("amount > 10"), 11, "amount > 1");
  std::ofstream(dir_ / "catalog.yaml") << text;
  RunResult r = run({"run", "catalog.yaml", "--query", "SELECT count(*) AS n FROM big_orders", "-f", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "n\n3\n");
  EXPECT_TRUE(has(r.err, "change   materialization  big_orders")) << r.err;
}

TEST_F(MysqlCatalogTest, AWrongPasswordFailsNamingTheSourceWithoutPrintingAnyPassword) {
  const std::string wrong = "Wr0ng-pass;word'\"";
  setenv("POND_CATALOG_MYSQL_PASSWORD", wrong.c_str(), 1);
  RunResult r = run({"run", "catalog.yaml"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "catalog.yaml:6:3: source 'shop'")) << r.err;
  EXPECT_TRUE(has(r.err, "access denied; check the user and the password in the source's secret")) << r.err;
  // A refused login is not retried (a server that is down would be: "retry 1 of 1").
  EXPECT_FALSE(has(r.err, "retry")) << r.err;
  expect_no_password(r, wrong);
  // Nothing was registered: the workspace holds no source, table or record of the catalog.
  RunResult state = run({"-w", "ws.duckdb", "query",
                         "SELECT (SELECT count(*) FROM pond_meta.sources) AS sources, (SELECT count(*) FROM "
                         "duckdb_tables() WHERE schema_name = 'main' AND database_name = current_database()) AS "
                         "tables",
                         "-f", "csv"});
  EXPECT_EQ(state.out, "sources,tables\n0,0\n") << state.err;
  for (std::vector<std::string> args : {std::vector<std::string>{"run", "catalog.yaml", "--dry-run"},
                                        std::vector<std::string>{"run", "catalog.yaml", "--dry-run", "-v"}}) {
    RunResult dry = run(args);
    EXPECT_EQ(dry.exit_code, 0) << dry.err;
    EXPECT_TRUE(has(dry.out, "secret           shop_login")) << dry.out;
    expect_no_password(dry, wrong);
  }
  setenv("POND_CATALOG_MYSQL_PASSWORD", server_.password.c_str(), 1);
  RunResult fixed = run({"run", "catalog.yaml"});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  expect_no_password(fixed);
}

TEST_F(MysqlCatalogTest, AKeptSourceWhosePasswordChangedFailsAtOnceWithoutTheCatalogsRetries) {
  // Two retries after 1 s and 2 s, as by default: a retried failure would take 3 s.
  std::string text = e2e::read_file(dir_ / "catalog.yaml");
  text.replace(text.find("retries: 1, retry_backoff: 0.1"), 30, "retries: 2, retry_backoff: 1");
  std::ofstream(dir_ / "catalog.yaml") << text;
  setenv("POND_CATALOG_MYSQL_PASSWORD", server_.password.c_str(), 1);
  ASSERT_EQ(run({"run", "catalog.yaml"}).exit_code, 0);
  const std::string wrong = "Changed-Pa55word'\"";
  setenv("POND_CATALOG_MYSQL_PASSWORD", wrong.c_str(), 1);
  auto started = std::chrono::steady_clock::now();
  RunResult r = run({"run", "catalog.yaml"});
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "catalog.yaml:6:3: source 'shop' cannot connect, and retrying will not help")) << r.err;
  EXPECT_TRUE(has(r.err, "fix the source's secret")) << r.err;
  EXPECT_FALSE(has(r.err, "retry 1")) << r.err;
  EXPECT_LT(took, std::chrono::milliseconds(1500));
  expect_no_password(r, wrong);
  // The view over the source is still there; the next run with the right password works.
  setenv("POND_CATALOG_MYSQL_PASSWORD", server_.password.c_str(), 1);
  RunResult fixed = run({"run", "catalog.yaml", "--query", "SELECT n FROM order_count", "-f", "csv"});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_EQ(fixed.out, "n\n3\n");
}

}  // namespace
}  // namespace pond::connectors::mysql::test
