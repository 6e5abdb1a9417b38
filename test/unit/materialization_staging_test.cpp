// Staging tables of materializations left behind by a process killed between the build and the
// swap: a read-write open drops them (and only them), a read-only open works around them.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/database.hpp"
#include "engine/sql_text.hpp"
#include "test_support.hpp"
#include "workspace/materializations.hpp"
#include "workspace/workspace.hpp"

namespace pond::workspace {
namespace {

class MaterializationStagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine::DatabaseOptions o;
    o.path = dir_.file("src.duckdb");
    engine::Database db(o);
    db.connect().query("CREATE TABLE t AS SELECT range AS x FROM range(5)");
  }

  WorkspaceOptions options(bool read_only = false) const {
    WorkspaceOptions o;
    o.path = dir_.file("ws.duckdb");
    o.read_only = read_only;
    return o;
  }

  // A workspace holding persistent materialization `name` (5 rows from src.t).
  void make_workspace(const std::string& name = "m") {
    Workspace ws(options());
    AttachRequest request;
    request.location = dir_.file("src.duckdb");
    request.alias = "src";
    ws.attach(request);
    ASSERT_EQ(ws.materialize(name, "src", "SELECT * FROM src.t", true), 5);
  }

  // Runs `sql` on the workspace file directly, as a process that died would have left it.
  void plant(const std::string& sql) {
    engine::DatabaseOptions o;
    o.path = dir_.file("ws.duckdb");
    engine::Database db(o);
    db.connect().query(sql);
  }

  static std::string marked(const std::string& table) {
    std::string name = sql::quote_identifier(table);
    return "CREATE TABLE " + name + " AS SELECT 1 AS half; COMMENT ON TABLE " + name + " IS " +
           sql::quote_literal(Materializations::kStagingMarker) + ";";
  }

  static std::vector<std::string> tables(Workspace& ws) {
    std::vector<std::string> out;
    for (const auto& row : ws.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = "
                                      "current_database() AND schema_name = 'main' ORDER BY table_name")
                               .fetch_all()) {
      out.push_back(row[0].to_string());
    }
    return out;
  }

  static int64_t scalar(Workspace& ws, const std::string& sql) {
    return ws.execute(sql).fetch_all().at(0).at(0).as_int64();
  }

  test::TempDir dir_;
};

TEST_F(MaterializationStagingTest, OpeningDropsStagingTablesOfMaterializationsAndKeepsEverythingElse) {
  make_workspace();
  plant(
      // a refresh of m killed before its swap (no marker: as Pond before the marker left it)
      "CREATE TABLE m__pond_staging AS SELECT 42 AS x;" +
      // a first MATERIALIZE PERSISTENT killed before its provenance was written
      marked("fresh__pond_staging") +
      // the user's own tables: one that merely ends in the suffix, and others
      "CREATE TABLE mine__pond_staging AS SELECT 1 AS y; CREATE TABLE keep AS SELECT 7 AS k;"
      "CREATE VIEW fresh_view AS SELECT * FROM keep;");
  Workspace ws(options());
  EXPECT_EQ(tables(ws), (std::vector<std::string>{"keep", "m", "mine__pond_staging"}));
  EXPECT_EQ(scalar(ws, "SELECT count(*) FROM m"), 5);
  EXPECT_EQ(scalar(ws, "SELECT sum(x) FROM m"), 10);
  EXPECT_EQ(scalar(ws, "SELECT y FROM mine__pond_staging"), 1);
  EXPECT_EQ(scalar(ws, "SELECT k FROM fresh_view"), 7);
  auto shown = ws.execute("SHOW MATERIALIZATIONS").fetch_all();
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0][0].to_string(), "m");
  EXPECT_EQ(shown[0][3].as_int64(), 5);
  // The materialization still refreshes, and a refresh leaves no staging table or marker.
  EXPECT_EQ(ws.refresh("m"), 5);
  EXPECT_EQ(tables(ws), (std::vector<std::string>{"keep", "m", "mine__pond_staging"}));
  EXPECT_EQ(scalar(ws, "SELECT count(*) FROM duckdb_tables() WHERE comment IS NOT NULL"), 0);
}

TEST_F(MaterializationStagingTest, StagingNamesAreMatchedWithoutRegardToCase) {
  make_workspace("Orders");
  plant("CREATE TABLE ORDERS__POND_STAGING AS SELECT 1 AS x;");
  Workspace ws(options());
  EXPECT_EQ(tables(ws), (std::vector<std::string>{"Orders"}));
}

TEST_F(MaterializationStagingTest, HostileNamesAreQuotedWhenTheirStagingTableIsDropped) {
  const std::string name = "we\"ird'; DROP TABLE keep; --";
  make_workspace(name);
  plant("CREATE TABLE keep AS SELECT 1 AS k; CREATE TABLE " + sql::quote_identifier(name + "__pond_staging") +
        " AS SELECT 1 AS x;");
  Workspace ws(options());
  EXPECT_EQ(tables(ws), (std::vector<std::string>{"keep", name}));
}

TEST_F(MaterializationStagingTest, AReadOnlyOpenWorksBesideALeftoverAndTheNextWritableOpenDropsIt) {
  make_workspace();
  plant("CREATE TABLE m__pond_staging AS SELECT 42 AS x;");
  {
    Workspace ws(options(true));
    EXPECT_EQ(scalar(ws, "SELECT count(*) FROM m"), 5);
    EXPECT_EQ(ws.execute("SHOW MATERIALIZATIONS").fetch_all().size(), 1u);
    EXPECT_EQ(tables(ws), (std::vector<std::string>{"m", "m__pond_staging"}));
  }
  Workspace ws(options());
  EXPECT_EQ(tables(ws), (std::vector<std::string>{"m"}));
}

TEST_F(MaterializationStagingTest, AStagingTableWithoutARecordOrTheMarkerIsTheUsersAndStays) {
  make_workspace();
  // Named like a staging table, but for no recorded materialization and without the marker;
  // and a table with the marker whose name lacks the suffix.
  plant(
      "CREATE TABLE gone__pond_staging AS SELECT 1 AS x; CREATE TABLE notes AS SELECT 2 AS x; COMMENT ON TABLE "
      "notes IS " +
      sql::quote_literal(Materializations::kStagingMarker) + ";");
  Workspace ws(options());
  EXPECT_EQ(tables(ws), (std::vector<std::string>{"gone__pond_staging", "m", "notes"}));
}

TEST_F(MaterializationStagingTest, DropLeftoverStagingReportsWhatItDropped) {
  make_workspace();
  plant("CREATE TABLE m__pond_staging AS SELECT 1 AS x;" + marked("new__pond_staging"));
  engine::DatabaseOptions o;
  o.path = dir_.file("ws.duckdb");
  engine::Database db(o);
  engine::Connection c = db.connect();
  EXPECT_EQ(Materializations::drop_leftover_staging(c),
            (std::vector<std::string>{"m__pond_staging", "new__pond_staging"}));
  EXPECT_TRUE(Materializations::drop_leftover_staging(c).empty());
}

}  // namespace
}  // namespace pond::workspace
