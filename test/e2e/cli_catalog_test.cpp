// `pond run catalog.yaml` end to end: fixtures from test/e2e/catalog copied into a fresh
// folder with generated data (DuckDB, SQLite, CSV, Parquet), applied by the real binary.

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "cli_test_support.hpp"

namespace pond::e2e {
namespace {

namespace fs = std::filesystem;

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

void replace_in(const fs::path& file, const std::string& from, const std::string& to) {
  std::string text = read_file(file);
  size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  write(file, text);
}

// A folder holding the fixture catalogs and their data.
class CatalogFixture {
 public:
  CatalogFixture() {
    fs::copy(POND_CATALOG_FIXTURES, dir_.path(), fs::copy_options::recursive);
    fs::create_directories(dir_ / "data/events");
    RunResult r = run_pond({"-w", "data/finance.duckdb", "query",
                            "CREATE TABLE finance_daily AS SELECT 'r' || (i % 3) AS region, i * 1.5 AS revenue "
                            "FROM range(10) t(i); COPY (SELECT i AS id, CASE WHEN i % 2 = 0 THEN 'click' ELSE 'view' "
                            "END AS kind FROM range(5) t(i)) TO 'data/events/part1.parquet' (FORMAT parquet)"},
                           dir_.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    write(dir_ / "data/orders.csv", "id,amount\n1,10\n2,20\n3,12\n");
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((dir_ / "data/crm.sqlite").c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db,
                           "CREATE TABLE customers(id INTEGER, name TEXT, active INTEGER);"
                           "INSERT INTO customers VALUES (1, 'ada', 1), (2, 'bob', 0), (3, 'cy', 1);",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    setenv("PG_PASSWORD", "hunter2-not-printed", 1);
  }
  const TempDir& dir() const { return dir_; }
  fs::path operator/(const std::string& name) const { return dir_ / name; }
  RunResult run(const std::vector<std::string>& args) const { return run_pond(args, dir_.path()); }

 private:
  TempDir dir_;
};

TEST(CliCatalog, SimpleCatalogIsAppliedAndQueried) {
  CatalogFixture f;
  RunResult r = f.run({"run", "simple.yaml", "--query", "SELECT * FROM revenue_by_region", "-f", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "region,revenue\nr0,27.0\nr1,18.0\nr2,22.5\n");
  EXPECT_TRUE(has(r.err, "create   source")) << r.err;
  // The workspace keeps what the catalog made: a plain `pond query` sees it.
  RunResult later = f.run({"-w", "ws.duckdb", "query", "SELECT count(*) AS n FROM revenue_by_region", "-f", "csv"});
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_EQ(later.out, "n\n3\n");
}

TEST(CliCatalog, MultiSourceCatalogWithSecretsAndIncludesNeverPrintsThePassword) {
  CatalogFixture f;
  RunResult dry = f.run({"run", "multi_source.yaml", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_TRUE(has(dry.out, "dry run: nothing was changed")) << dry.out;
  EXPECT_TRUE(has(dry.out, "session  secret           pg_prod")) << dry.out;
  EXPECT_TRUE(has(dry.out, "9 to create, 0 to change, 0 to drop, 0 unchanged, 2 for this session only")) << dry.out;
  EXPECT_FALSE(fs::exists(f / "ws.duckdb"));

  RunResult r = f.run({"run", "multi_source.yaml"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "create   view             events_per_kind")) << r.out;
  RunResult q = f.run({"run", "multi_source.yaml", "--query",
                       "SELECT (SELECT count(*) FROM active_customers) AS active, (SELECT total FROM order_total) AS "
                       "total, (SELECT n FROM events_per_kind WHERE kind = 'click') AS clicks, (SELECT count(*) FROM "
                       "crm_customers) AS crm, (SELECT count(*) FROM orders_snapshot) AS snap, "
                       "current_setting('TimeZone') AS tz",
                       "-f", "csv"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_EQ(q.out, "active,total,clicks,crm,snap,tz\n2,42,3,3,3,UTC\n");
  RunResult secrets = f.run({"run", "multi_source.yaml", "--query", "SHOW SECRETS", "-f", "csv"});
  ASSERT_EQ(secrets.exit_code, 0) << secrets.err;
  EXPECT_TRUE(has(secrets.out, "pg_prod,postgres,false")) << secrets.out;
  for (const RunResult* out : {&dry, &r, &q, &secrets}) {
    EXPECT_FALSE(has(out->out + out->err, "hunter2")) << out->out << out->err;
  }
  EXPECT_FALSE(has(read_file(f / "ws.duckdb"), "hunter2"));
}

TEST(CliCatalog, SecondRunChangesNothing) {
  CatalogFixture f;
  ASSERT_EQ(f.run({"run", "multi_source.yaml"}).exit_code, 0);
  RunResult again = f.run({"run", "multi_source.yaml"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(has(again.out, "no changes (9 unchanged, 2 for this session only)")) << again.out;
  EXPECT_FALSE(has(again.out, "create ")) << again.out;
}

TEST(CliCatalog, ChangedViewAndSourceAreDetectedByContent) {
  CatalogFixture f;
  ASSERT_EQ(f.run({"run", "simple.yaml"}).exit_code, 0);
  replace_in(f / "simple.yaml", "sum(revenue)", "max(revenue)");
  replace_in(f / "simple.yaml", "read_only: true", "read_only: false");
  RunResult r = f.run({"run", "simple.yaml", "--query", "SELECT revenue FROM revenue_by_region LIMIT 1", "-f", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "change   view             revenue_by_region")) << r.err;
  EXPECT_TRUE(has(r.err, "change   source           finance")) << r.err;
  EXPECT_EQ(r.out, "revenue\n13.5\n");
  RunResult sources = f.run({"-w", "ws.duckdb", "sources", "--json"});
  EXPECT_TRUE(has(sources.out, "\"read_only\": false")) << sources.out;
}

TEST(CliCatalog, RemovedItemsAreDroppedAndForeignItemsAreLeftAlone) {
  CatalogFixture f;
  ASSERT_EQ(f.run({"run", "multi_source.yaml"}).exit_code, 0);
  ASSERT_EQ(f.run({"-w", "data/other.duckdb", "query", "CREATE TABLE t AS SELECT 1 AS one"}).exit_code, 0);
  ASSERT_EQ(f.run({"-w", "ws.duckdb", "attach", "data/other.duckdb", "--as", "by_hand"}).exit_code, 0);
  ASSERT_EQ(f.run({"-w", "ws.duckdb", "query", "CREATE VIEW my_view AS SELECT 1 AS one"}).exit_code, 0);
  replace_in(f / "multi_source.yaml", "  crm:     { type: sqlite, path: ./data/crm.sqlite }\n", "");
  replace_in(f / "multi_source.yaml", "  active_customers: { sql_file: sql/active_customers.sql }\n", "");
  replace_in(f / "multi_source.yaml", "  crm_customers:   { source: crm, query: \"SELECT * FROM customers\" }\n", "");
  RunResult r = f.run({"run", "multi_source.yaml"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "drop     source           crm")) << r.out;
  EXPECT_TRUE(has(r.out, "drop     view             active_customers")) << r.out;
  RunResult check = f.run({"-w", "ws.duckdb", "query",
                           "SELECT (SELECT count(*) FROM duckdb_views() WHERE view_name IN ('my_view', "
                           "'active_customers')) AS views, (SELECT count(*) FROM duckdb_databases() WHERE "
                           "database_name IN ('crm', 'by_hand')) AS dbs",
                           "-f", "csv"});
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out, "views,dbs\n1,1\n");
}

TEST(CliCatalog, DeclaringAnItemTheCatalogDidNotCreateIsAnError) {
  CatalogFixture f;
  ASSERT_EQ(f.run({"-w", "ws.duckdb", "query", "CREATE VIEW revenue_by_region AS SELECT 1 AS x"}).exit_code, 0);
  RunResult r = f.run({"run", "simple.yaml"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "simple.yaml:7:3: view 'revenue_by_region': a view or source of that name already exists"))
      << r.err;
  // An identical source registered by hand is adopted instead.
  CatalogFixture g;
  ASSERT_EQ(g.run({"-w", "ws.duckdb", "attach", "data/finance.duckdb", "--as", "finance", "--read-only"}).exit_code, 0);
  RunResult adopt = g.run({"run", "simple.yaml"});
  ASSERT_EQ(adopt.exit_code, 0) << adopt.err;
  EXPECT_TRUE(has(adopt.out, "(already registered: adopted)")) << adopt.out;
  EXPECT_TRUE(has(g.run({"run", "simple.yaml"}).out, "no changes"));
}

TEST(CliCatalog, ForceRebuildRecreatesEverythingTheCatalogOwns) {
  CatalogFixture f;
  ASSERT_EQ(f.run({"run", "multi_source.yaml"}).exit_code, 0);
  RunResult r = f.run({"run", "multi_source.yaml", "--force-rebuild"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "0 to create, 9 to change, 0 to drop, 0 unchanged")) << r.out;
  EXPECT_TRUE(has(f.run({"run", "multi_source.yaml"}).out, "no changes"));
}

TEST(CliCatalog, FailureMidwayLeavesTheWorkspaceAsItWas) {
  CatalogFixture f;
  ASSERT_EQ(f.run({"run", "simple.yaml"}).exit_code, 0);
  replace_in(f / "simple.yaml", "views:\n",
             "  crm: { type: sqlite, path: ./data/crm.sqlite }\n  orders: { type: files, path: data/orders.csv }\n"
             "views:\n  bad: \"SELECT no_such_column FROM crm.customers\"\n");
  replace_in(f / "simple.yaml", "sum(revenue)", "min(revenue)");
  RunResult r = f.run({"run", "simple.yaml"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "simple.yaml:9:8: view 'bad': Binder Error")) << r.err;
  RunResult state = f.run({"-w", "ws.duckdb", "query",
                           "SELECT (SELECT string_agg(alias, ',') FROM pond_meta.sources) AS sources, (SELECT sql LIKE "
                           "'%sum(revenue)%' FROM duckdb_views() WHERE view_name = 'revenue_by_region') AS old_view, "
                           "(SELECT count(*) FROM duckdb_views() WHERE view_name IN ('bad', 'orders')) AS new_views",
                           "-f", "csv"});
  ASSERT_EQ(state.exit_code, 0) << state.err;
  EXPECT_EQ(state.out, "sources,old_view,new_views\nfinance,true,0\n");
}

TEST(CliCatalog, ValidationErrorsNameFileLineColumnAndCreateNothing) {
  CatalogFixture f;
  write(f / "bad.yaml",
        "version: 1\nworkspace: ./ws.duckdb\nsources:\n  crm: { type: sqlite, pth: ./data/crm.sqlite }\n"
        "views:\n  v: \"SELECT * FROM crn.customers\"\nextensions: [spatial]\n");
  RunResult r = f.run({"run", "bad.yaml"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "bad.yaml:4:24: unknown key 'pth' in source 'crm' (sqlite); did you mean 'path'?")) << r.err;
  EXPECT_FALSE(fs::exists(f / "ws.duckdb"));
  write(f / "bad.yaml",
        "version: 1\nworkspace: ./ws.duckdb\nsources:\n  crm: { type: sqlite, path: ./data/crm.sqlite }\n"
        "views:\n  v: \"SELECT * FROM crn.customers\"\nextensions: [spatial]\n");
  r = f.run({"run", "bad.yaml"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(
      has(r.err,
          "bad.yaml:6:6: view 'v' references unknown source 'crn' (line 1, column 15 of the SQL); did you mean 'crm'?"))
      << r.err;
  EXPECT_TRUE(has(r.err, "bad.yaml:7:14: extension 'spatial' is not built into")) << r.err;
  EXPECT_FALSE(fs::exists(f / "ws.duckdb"));
  RunResult missing = f.run({"run", "nowhere.yaml"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(has(missing.err, "catalog file 'nowhere.yaml' does not exist")) << missing.err;
}

TEST(CliCatalog, ConflictingFlagsAreUsageErrors) {
  CatalogFixture f;
  RunResult both = f.run({"run", "simple.yaml", "--query", "SELECT 1", "--interactive"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_TRUE(has(both.err, "not both")) << both.err;
  RunResult dry = f.run({"run", "simple.yaml", "--dry-run", "--query", "SELECT 1"});
  EXPECT_EQ(dry.exit_code, 2);
  EXPECT_EQ(f.run({"run"}).exit_code, 2);
}

TEST(CliCatalog, ReadOnlyRunQueriesAnUpToDateWorkspaceButRefusesChanges) {
  CatalogFixture f;
  ASSERT_EQ(f.run({"run", "simple.yaml"}).exit_code, 0);
  RunResult q = f.run(
      {"--read-only", "run", "simple.yaml", "--query", "SELECT count(*) AS n FROM revenue_by_region", "-f", "csv"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_EQ(q.out, "n\n3\n");
  replace_in(f / "simple.yaml", "sum(revenue)", "avg(revenue)");
  RunResult r = f.run({"run", "simple.yaml", "--read-only"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "read-only but differs from the catalog (0 to create, 1 to change")) << r.err;
}

TEST(CliCatalog, ConcurrentRunOnTheSameWorkspaceSaysItIsInUse) {
  CatalogFixture f;
  ASSERT_EQ(f.run({"run", "simple.yaml"}).exit_code, 0);
  PtySession first({"run", "simple.yaml", "--interactive"}, f.dir().path());
  ASSERT_TRUE(first.wait_for("pond> ")) << first.transcript();
  RunResult second = f.run({"run", "simple.yaml"});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_TRUE(has(second.err, "is in use by another process")) << second.err;
  first.send(".quit\n");
  EXPECT_EQ(first.wait_exit(), 0);
  EXPECT_TRUE(has(f.run({"run", "simple.yaml"}).out, "no changes"));
}

TEST(CliCatalog, KeepGoingSkipsAnUnreachableSourceAndWhatReadsIt) {
  CatalogFixture f;
  write(f / "flaky.yaml", R"(version: 1
workspace: ./ws.duckdb
secrets:
  pg: { type: postgres, user: nobody, password: "${PG_PASSWORD}" }
sources:
  finance: { type: duckdb, path: ./data/finance.duckdb, read_only: true }
  down: { type: postgres, dsn: "host=127.0.0.1 port=1 dbname=x", secret: pg, connect_timeout: 1, retries: 1, retry_backoff: 0.1 }
views:
  from_down: "SELECT * FROM down.public.t"
  fine: "SELECT count(*) AS n FROM finance.finance_daily"
)");
  RunResult strict = f.run({"run", "flaky.yaml"});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_TRUE(has(strict.err, "flaky.yaml:7:3: source 'down'")) << strict.err;
  EXPECT_TRUE(has(strict.err, "retry 1 of 1")) << strict.err;
  EXPECT_FALSE(has(strict.err, "hunter2")) << strict.err;
  RunResult relaxed = f.run({"run", "flaky.yaml", "--keep-going", "--query", "SELECT n FROM fine", "-f", "csv"});
  ASSERT_EQ(relaxed.exit_code, 0) << relaxed.err;
  EXPECT_EQ(relaxed.out, "n\n10\n");
  EXPECT_TRUE(has(relaxed.err, "skipped: flaky.yaml:7:3: source 'down'")) << relaxed.err;
  EXPECT_TRUE(has(relaxed.err, "view 'from_down' skipped: it reads source 'down'")) << relaxed.err;
  EXPECT_FALSE(has(relaxed.err, "hunter2")) << relaxed.err;
}

TEST(CliCatalog, HostileNamesAreQuotedNotExecuted) {
  CatalogFixture f;
  write(f / "hostile.yaml", R"(version: 1
workspace: ./ws.duckdb
sources:
  "we\"ird; DROP TABLE x": { type: files, path: data/orders.csv }
views:
  "v'); DROP VIEW y; --": "SELECT count(*) AS n FROM \"we\"\"ird; DROP TABLE x\""
)");
  RunResult r = f.run({"run", "hostile.yaml", "--query", "SELECT n FROM \"v'); DROP VIEW y; --\"", "-f", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "n\n3\n");
  EXPECT_TRUE(has(f.run({"run", "hostile.yaml"}).out, "no changes"));
}

TEST(CliCatalog, PersistentSecretsKeepReferencesAndFollowTheCatalog) {
  CatalogFixture f;
  write(f / "secrets.yaml",
        "version: 1\nworkspace: ./ws.duckdb\nsecrets:\n  kept: { type: postgres, user: u, password_env: "
        "PG_PASSWORD, persistent: true }\n");
  ASSERT_EQ(f.run({"run", "secrets.yaml"}).exit_code, 0);
  EXPECT_TRUE(has(f.run({"run", "secrets.yaml"}).out, "no changes"));
  replace_in(f / "secrets.yaml", "user: u", "user: someone_else");
  EXPECT_TRUE(has(f.run({"run", "secrets.yaml"}).out, "change   secret           kept"));
  RunResult shown = f.run({"-w", "ws.duckdb", "query", "SHOW SECRETS", "-f", "csv"});
  EXPECT_EQ(shown.out, "name,type,persistent,fields\nkept,postgres,true,\"password_env, user\"\n");
  EXPECT_FALSE(has(read_file(f / "ws.duckdb"), "hunter2"));
  write(f / "secrets.yaml", "version: 1\nworkspace: ./ws.duckdb\n");
  EXPECT_TRUE(has(f.run({"run", "secrets.yaml"}).out, "drop     secret           kept"));
  EXPECT_EQ(f.run({"-w", "ws.duckdb", "query", "SHOW SECRETS", "-f", "csv"}).out, "name,type,persistent,fields\n");
}

TEST(CliCatalog, TwoCatalogsShareAWorkspaceAndCannotDeclareEachOthersItems) {
  CatalogFixture f;
  ASSERT_EQ(f.run({"run", "simple.yaml"}).exit_code, 0);
  write(f / "team_b.yaml",
        "version: 1\nworkspace: ./ws.duckdb\nsources:\n  orders: { type: files, path: data/orders.csv }\n"
        "views:\n  order_total: \"SELECT sum(amount) AS total FROM orders\"\n");
  RunResult b = f.run({"run", "team_b.yaml", "--query",
                       "SELECT total, (SELECT count(*) FROM revenue_by_region) AS "
                       "regions FROM order_total",
                       "-f", "csv"});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(b.out, "total,regions\n42,3\n");
  EXPECT_TRUE(has(f.run({"run", "simple.yaml"}).out, "no changes")) << "team B's items are not simple.yaml's to drop";
  replace_in(f / "team_b.yaml", "views:\n", "views:\n  revenue_by_region: \"SELECT 1 AS x\"\n");
  for (bool dry_run : {false, true}) {
    RunResult clash = dry_run ? f.run({"run", "team_b.yaml", "--dry-run"}) : f.run({"run", "team_b.yaml"});
    EXPECT_EQ(clash.exit_code, 1);
    EXPECT_TRUE(has(clash.err,
                    "team_b.yaml:6:3: view 'revenue_by_region' belongs to catalog 'simple.yaml', which "
                    "applied it to this workspace; catalog 'team_b.yaml' cannot declare it too"))
        << clash.err;
  }
  RunResult still =
      f.run({"run", "simple.yaml", "--query", "SELECT count(*) AS n FROM revenue_by_region", "-f", "csv"});
  EXPECT_EQ(still.out, "n\n3\n") << still.err;
}

}  // namespace
}  // namespace pond::e2e
