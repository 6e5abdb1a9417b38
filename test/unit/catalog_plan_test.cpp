// Planning and applying a catalog against a workspace through the C++ API.

#include <gtest/gtest.h>

#include "catalog/applier.hpp"
#include "catalog/catalog_parser.hpp"
#include "catalog/open_workspace.hpp"
#include "catalog/plan.hpp"
#include "catalog_test_support.hpp"
#include "engine/database.hpp"

namespace pond::catalog {
namespace {

class CatalogPlanTest : public test::CatalogTestBase {
 protected:
  void SetUp() override {
    make_duckdb_file("src.duckdb", 4);
    dir_.write("a.csv", "x\n1\n2\n");
  }

  static Action action_of(const Plan& plan, ItemKind kind, const std::string& name) {
    for (const PlanItem& item : plan.items) {
      if (item.kind == kind && item.name == name) return item.action;
    }
    ADD_FAILURE() << "no plan item " << name;
    return Action::keep;
  }
};

constexpr const char* kBase = R"(sources:
  src: { type: duckdb, path: src.duckdb, read_only: true }
  csv: { type: files, path: a.csv }
views:
  v: "SELECT sum(x) AS s FROM src.t"
materializations:
  m: { source: src, query: "SELECT * FROM src.t", persistent: true }
)";

TEST_F(CatalogPlanTest, ANewWorkspaceCreatesEverythingAndASecondPlanKeepsEverything) {
  Catalog c = catalog(kBase);
  Plan first = make_plan(c, nullptr, false);
  EXPECT_EQ(first.count(Action::create), 4u);
  auto ws = open();
  apply_plan(c, make_plan(c, ws.get(), false), *ws, {});
  EXPECT_EQ(ws->execute("SELECT s FROM v").fetch_all()[0][0].as_int64(), 6);
  Plan second = make_plan(c, ws.get(), false);
  EXPECT_FALSE(second.has_changes());
  EXPECT_EQ(second.count(Action::keep), 4u);
  Plan forced = make_plan(c, ws.get(), true);
  EXPECT_EQ(forced.count(Action::change), 4u);
}

TEST_F(CatalogPlanTest, ContentChangesAreChangesAndRemovedItemsAreDrops) {
  auto ws = open();
  Catalog c = catalog(kBase);
  apply_plan(c, make_plan(c, ws.get(), false), *ws, {});
  Catalog changed = catalog(R"(sources:
  src: { type: duckdb, path: src.duckdb, read_only: false }
views:
  v: "SELECT max(x) AS s FROM src.t"
)");
  Plan plan = make_plan(changed, ws.get(), false);
  EXPECT_EQ(action_of(plan, ItemKind::source, "src"), Action::change);
  EXPECT_EQ(action_of(plan, ItemKind::view, "v"), Action::change);
  EXPECT_EQ(action_of(plan, ItemKind::source, "csv"), Action::drop);
  EXPECT_EQ(action_of(plan, ItemKind::materialization, "m"), Action::drop);
  apply_plan(changed, plan, *ws, {});
  EXPECT_EQ(ws->execute("SELECT s FROM v").fetch_all()[0][0].as_int64(), 3);
  EXPECT_EQ(ws->sources().size(), 1u);
  EXPECT_TRUE(ws->execute("SHOW MATERIALIZATIONS").fetch_all().empty());
  EXPECT_FALSE(make_plan(changed, ws.get(), false).has_changes());
}

TEST_F(CatalogPlanTest, AnItemRemovedBehindTheCatalogsBackIsCreatedAgain) {
  auto ws = open();
  Catalog c = catalog(kBase);
  apply_plan(c, make_plan(c, ws.get(), false), *ws, {});
  ws->execute("DROP VIEW v");
  Plan plan = make_plan(c, ws.get(), false);
  EXPECT_EQ(action_of(plan, ItemKind::view, "v"), Action::create);
}

TEST_F(CatalogPlanTest, AForeignItemWithADeclaredNameIsAConflictWithItsLocation) {
  auto ws = open();
  ws->execute("CREATE VIEW v AS SELECT 1");
  Catalog c = catalog(kBase);
  EXPECT_TRUE(test::throws_error([&] { make_plan(c, ws.get(), false); }, ErrorKind::invalid_input,
                                 "catalog.yaml:7:3: view 'v': a view or source of that name already exists"));
}

TEST_F(CatalogPlanTest, AFailingViewUndoesTheSourcesAndMaterializationsAppliedBeforeIt) {
  auto ws = open();
  Catalog c = catalog(R"(sources:
  src: { type: duckdb, path: src.duckdb, read_only: true }
materializations:
  m: { source: src, query: "SELECT * FROM src.t", persistent: true }
views:
  bad: "SELECT missing_column FROM src.t"
)");
  EXPECT_TRUE(test::throws_error([&] { apply_plan(c, make_plan(c, ws.get(), false), *ws, {}); },
                                 ErrorKind::invalid_input, "catalog.yaml:8:8: view 'bad'"));
  EXPECT_TRUE(ws->sources().empty());
  EXPECT_TRUE(ws->execute("SHOW MATERIALIZATIONS").fetch_all().empty());
  EXPECT_EQ(make_plan(c, ws.get(), false).count(Action::create), 3u);
}

TEST_F(CatalogPlanTest, DefinitionsAndHashesAreStableAndHoldNoPassword) {
  EXPECT_EQ(content_hash("abc"), content_hash("abc"));
  EXPECT_NE(content_hash("abc"), content_hash("abd"));
  EXPECT_EQ(content_hash("").size(), 16u);
  Catalog c = catalog(R"(secrets:
  s: { type: postgres, user: u, password: hunter2 }
  p: { type: postgres, user: u, password_env: PW, persistent: true }
)");
  Plan plan = make_plan(c, nullptr, false);
  for (const PlanItem& item : plan.items) {
    EXPECT_EQ(item.definition.find("hunter2"), std::string::npos);
    EXPECT_EQ(item.detail.find("hunter2"), std::string::npos);
  }
  EXPECT_EQ(action_of(plan, ItemKind::secret, "s"), Action::session);
  EXPECT_EQ(action_of(plan, ItemKind::secret, "p"), Action::create);
  EXPECT_EQ(format_plan(plan, true).find("hunter2"), std::string::npos);
}

TEST_F(CatalogPlanTest, OpenWorkspaceDryRunCreatesNoFile) {
  catalog(kBase);
  OpenOptions options;
  options.dry_run = true;
  OpenedWorkspace opened = open_workspace(dir_.file("catalog.yaml"), options);
  EXPECT_EQ(opened.workspace, nullptr);
  EXPECT_EQ(opened.plan.count(Action::create), 4u);
  EXPECT_FALSE(std::filesystem::exists(dir_.file("ws.duckdb")));
  OpenedWorkspace applied = open_workspace(dir_.file("catalog.yaml"));
  ASSERT_NE(applied.workspace, nullptr);
  EXPECT_EQ(applied.workspace->execute("SELECT count(*) FROM m").fetch_all()[0][0].as_int64(), 4);
}

TEST_F(CatalogPlanTest, ViewsAreCreatedAfterTheCatalogViewsTheyReadWhateverTheirOrder) {
  Catalog c = catalog(R"(sources:
  src: { type: duckdb, path: src.duckdb, read_only: true }
views:
  top: "SELECT total * 2 AS doubled FROM middle"
  middle: "WITH s AS (SELECT * FROM main.base) SELECT sum(x) AS total FROM s"
  base: "SELECT x FROM src.t"
)");
  auto ws = open();
  apply_plan(c, make_plan(c, ws.get(), false), *ws, {});
  EXPECT_EQ(ws->execute("SELECT doubled FROM top").fetch_all()[0][0].as_int64(), 12);
  EXPECT_FALSE(make_plan(c, ws.get(), false).has_changes());
}

}  // namespace
}  // namespace pond::catalog
