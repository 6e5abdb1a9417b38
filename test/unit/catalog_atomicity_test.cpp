// A catalog run that fails midway leaves the workspace exactly as it was: tables and their
// rows, views, the registry (pond_meta: sources with created_at, secrets, materialization
// provenance, the catalog's records) and SHOW MATERIALIZATIONS — for every kind of change
// before the failure, and whether the failure is a view that does not bind, a materialization
// whose query fails at run time or a source that cannot be attached.

#include <gtest/gtest.h>

#include "catalog/applier.hpp"
#include "catalog/catalog_parser.hpp"
#include "catalog/plan.hpp"
#include "catalog_test_support.hpp"
#include "engine/database.hpp"

namespace pond::catalog {
namespace {

class CatalogAtomicityTest : public test::CatalogTestBase {
 protected:
  void SetUp() override {
    make_duckdb_file("src.duckdb", 4);
    make_duckdb_file("other.duckdb", 7);
    dir_.write("a.csv", "x\n1\n2\n");
  }

  // Applies `body`, expecting success.
  void apply(const std::string& body, bool force = false) {
    auto ws = open();
    Catalog c = catalog(body);
    apply_plan(c, make_plan(c, ws.get(), force), *ws, {});
  }

  // Applies `body`, expecting a pond::Error whose message contains `needle`.
  ::testing::AssertionResult apply_fails(const std::string& body, const std::string& needle, bool force = false) {
    auto ws = open();
    Catalog c = catalog(body);
    Plan plan = make_plan(c, ws.get(), force);
    try {
      apply_plan(c, plan, *ws, {});
    } catch (const Error& e) {
      if (std::string(e.what()).find(needle) != std::string::npos) return ::testing::AssertionSuccess();
      return ::testing::AssertionFailure() << "message lacks '" << needle << "': " << e.what();
    }
    return ::testing::AssertionFailure() << "the catalog was applied";
  }

  // Everything a catalog run may touch, as text.
  static std::string rows_of(workspace::Workspace& ws, const std::string& sql) {
    std::string out;
    for (const auto& row : ws.connection().query(sql).fetch_all()) {
      for (const engine::Value& v : row) out += v.to_string() + "|";
      out += "\n";
    }
    return out;
  }

  std::string snapshot() {
    auto ws = open();
    std::string out = "tables:\n";
    for (const auto& row : ws->connection()
                               .query("SELECT table_name FROM duckdb_tables() WHERE database_name = "
                                      "current_database() AND schema_name = 'main' ORDER BY 1")
                               .fetch_all()) {
      std::string table = row[0].to_string();
      out += table + ": " + rows_of(*ws, "SELECT * FROM main.\"" + table + "\" ORDER BY ALL");
    }
    out += "views:\n" + rows_of(*ws,
                                "SELECT view_name, sql FROM duckdb_views() WHERE database_name = current_database() "
                                "AND NOT internal ORDER BY 1");
    out += "sources:\n" + rows_of(*ws, "SELECT * FROM pond_meta.sources ORDER BY ALL");
    out += "secrets:\n" + rows_of(*ws, "SELECT * FROM pond_meta.secrets ORDER BY ALL");
    out += "provenance:\n" + rows_of(*ws, "SELECT * FROM pond_meta.materializations ORDER BY ALL");
    out += "records:\n" + rows_of(*ws, "SELECT * FROM pond_meta.catalog_items ORDER BY ALL");
    out += "show:\n";
    for (const auto& row : ws->execute("SHOW MATERIALIZATIONS").fetch_all()) {
      for (const engine::Value& v : row) out += v.to_string() + "|";
      out += "\n";
    }
    out += "attached:\n" + rows_of(*ws,
                                   "SELECT database_name, path FROM duckdb_databases() WHERE NOT internal AND "
                                   "database_name NOT IN ('pond_ephemeral', current_database()) ORDER BY 1");
    return out;
  }
};

// The catalog every test starts from: a source of each local kind, a persistent secret, a
// persistent materialization and two views.
constexpr const char* kBefore = R"(secrets:
  keep_secret: { type: postgres, user: alice, password_env: SOME_VAR, persistent: true }
  old_secret: { type: mysql, user: bob, host: db1, persistent: true }
sources:
  src: { type: duckdb, path: src.duckdb, read_only: true }
  other: { type: duckdb, path: other.duckdb, read_only: true }
  csv: { type: files, path: a.csv }
materializations:
  m: { source: src, query: "SELECT x FROM src.t", persistent: true }
  gone: { source: other, query: "SELECT x FROM other.t", persistent: true }
views:
  v: "SELECT sum(x) AS s FROM src.t"
  w: "SELECT count(*) AS n FROM csv"
)";

// A later item that passes validation but fails when applied.
constexpr const char* kFailingView = "  zz_bad: \"SELECT no_such_column FROM src.t\"\n";

TEST_F(CatalogAtomicityTest, AChangedMaterializationKeepsItsOldRowsAndProvenanceWhenALaterViewFails) {
  setenv("SOME_VAR", "x", 1);
  apply(kBefore);
  std::string before = snapshot();
  std::string changed = kBefore;
  changed.replace(changed.find("SELECT x FROM src.t"), 19, "SELECT x * 100 AS x FROM other.t");
  EXPECT_TRUE(apply_fails(changed + kFailingView, "view 'zz_bad'"));
  EXPECT_EQ(snapshot(), before);
}

TEST_F(CatalogAtomicityTest, ADroppedMaterializationAndAChangedViewComeBackWhenALaterViewFails) {
  setenv("SOME_VAR", "x", 1);
  apply(kBefore);
  std::string before = snapshot();
  std::string changed = kBefore;
  changed.erase(changed.find("  gone:"), changed.find("views:") - changed.find("  gone:"));
  changed.replace(changed.find("sum(x)"), 6, "max(x)");
  EXPECT_TRUE(apply_fails(changed + kFailingView, "view 'zz_bad'"));
  EXPECT_EQ(snapshot(), before);
}

TEST_F(CatalogAtomicityTest, ChangedDroppedAndNewSourcesAreRegisteredExactlyAsBeforeWhenALaterViewFails) {
  setenv("SOME_VAR", "x", 1);
  apply(kBefore);
  std::string before = snapshot();
  std::string changed = kBefore;
  // src now points at the other file, csv is dropped, a new source appears.
  changed.replace(changed.find("path: src.duckdb"), 16, "path: other.duckdb");
  changed.erase(changed.find("  csv:"), changed.find("materializations:") - changed.find("  csv:"));
  changed.replace(changed.find("  w: \"SELECT count(*) AS n FROM csv\"\n"), 37, "");
  changed.replace(changed.find("materializations:"), 0, "  extra: { type: files, path: a.csv }\n");
  EXPECT_TRUE(apply_fails(changed + kFailingView, "view 'zz_bad'"));
  EXPECT_EQ(snapshot(), before);
  auto ws = open();
  EXPECT_EQ(ws->execute("SELECT s FROM v").fetch_all()[0][0].as_int64(), 6);  // still src.duckdb's rows
}

TEST_F(CatalogAtomicityTest, ChangedAndDroppedSecretsAreStoredExactlyAsBeforeWhenALaterViewFails) {
  setenv("SOME_VAR", "x", 1);
  apply(kBefore);
  std::string before = snapshot();
  std::string changed = kBefore;
  changed.replace(changed.find("user: alice"), 11, "user: carol");
  changed.erase(changed.find("  old_secret:"), changed.find("sources:") - changed.find("  old_secret:"));
  EXPECT_TRUE(apply_fails(changed + kFailingView, "view 'zz_bad'"));
  EXPECT_EQ(snapshot(), before);
}

TEST_F(CatalogAtomicityTest, AMaterializationFailingAtRunTimeRollsBackTheOnesBuiltBeforeIt) {
  setenv("SOME_VAR", "x", 1);
  apply(kBefore);
  std::string before = snapshot();
  std::string changed = kBefore;
  changed.replace(changed.find("SELECT x FROM src.t"), 19, "SELECT x + 1 AS x FROM src.t");
  // Parses and binds; fails only while it runs.
  changed.replace(changed.find("views:"), 0,
                  "  zz_fails: { source: src, query: \"SELECT CAST('not a number ' || x AS INTEGER) FROM src.t\", "
                  "persistent: true }\n");
  EXPECT_TRUE(apply_fails(changed, "catalog.yaml:13:3: materialization 'zz_fails'"));
  EXPECT_EQ(snapshot(), before);
}

TEST_F(CatalogAtomicityTest, ForceRebuildThatFailsLeavesEverythingAsItWas) {
  setenv("SOME_VAR", "x", 1);
  apply(kBefore);
  std::string before = snapshot();
  EXPECT_TRUE(apply_fails(std::string(kBefore) + kFailingView, "view 'zz_bad'", true));
  EXPECT_EQ(snapshot(), before);
  // The same run without the bad view succeeds and rebuilds the materialization.
  apply(kBefore, true);
  auto ws = open();
  EXPECT_EQ(ws->execute("SELECT count(*) FROM m").fetch_all()[0][0].as_int64(), 4);
}

TEST_F(CatalogAtomicityTest, ASourceThatCannotBeAttachedUndoesTheChangesBeforeIt) {
  setenv("SOME_VAR", "x", 1);
  apply(kBefore);
  std::string before = snapshot();
  std::string changed = kBefore;
  changed.replace(changed.find("sum(x)"), 6, "max(x)");
  changed.replace(changed.find("user: alice"), 11, "user: carol");
  // No connector for PostgreSQL in this process: attaching fails.
  changed.replace(changed.find("materializations:"), 0,
                  "  zz_pg: { type: postgres, dsn: \"host=127.0.0.1 port=1 dbname=x\", secret: keep_secret, "
                  "retries: 0 }\n");
  EXPECT_TRUE(apply_fails(changed, "source 'zz_pg'"));
  EXPECT_EQ(snapshot(), before);
}

TEST_F(CatalogAtomicityTest, TheSameChangeAppliesCleanlyAfterTheFailureIsFixed) {
  setenv("SOME_VAR", "x", 1);
  apply(kBefore);
  std::string changed = kBefore;
  changed.replace(changed.find("SELECT x FROM src.t"), 19, "SELECT x * 100 AS x FROM other.t");
  EXPECT_TRUE(apply_fails(changed + kFailingView, "view 'zz_bad'"));
  apply(changed);
  auto ws = open();
  EXPECT_EQ(ws->execute("SELECT sum(x) FROM m").fetch_all()[0][0].as_int64(), 2100);
  Catalog c = catalog(changed);
  EXPECT_FALSE(make_plan(c, ws.get(), false).has_changes());
}

}  // namespace
}  // namespace pond::catalog
