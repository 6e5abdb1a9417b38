// Two catalogs applied to one workspace: each owns what it created (recorded per catalog
// file), applying one never drops or changes the other's items, and declaring an item the
// other owns is an error naming both catalogs, with nothing changed.

#include <gtest/gtest.h>

#include <filesystem>

#include "catalog/open_workspace.hpp"
#include "engine/database.hpp"
#include "test_support.hpp"

namespace pond::catalog {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

class CatalogOwnershipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("a.csv", "x\n1\n2\n");
    dir_.write("b.csv", "y\n5\n");
  }

  // Applies a catalog and closes the workspace again; returns the plan that was applied.
  Plan apply(const std::string& file, bool dry_run = false) {
    OpenOptions options;
    options.dry_run = dry_run;
    return open_workspace(dir_.file(file), options).plan;
  }

  std::string views_and_sources() {
    workspace::WorkspaceOptions o;
    o.path = dir_.file("ws.duckdb");
    workspace::Workspace ws(o);
    std::string out;
    for (const auto& row :
         ws.connection()
             .query("SELECT string_agg(view_name, ',' ORDER BY view_name) FROM duckdb_views() WHERE "
                    "database_name = current_database() AND NOT internal UNION ALL SELECT string_agg(alias, ',' "
                    "ORDER BY alias) FROM pond_meta.sources UNION ALL SELECT string_agg(catalog || ':' || name, ',' "
                    "ORDER BY catalog, name) FROM pond_meta.catalog_items")
             .fetch_all()) {
      out += row[0].to_string() + "\n";
    }
    return out;
  }

  TempDir dir_;
};

constexpr const char* kA = R"(version: 1
workspace: ws.duckdb
sources:
  a_src: { type: files, path: a.csv }
views:
  a_view: "SELECT count(*) AS n FROM a_src"
)";

constexpr const char* kB = R"(version: 1
workspace: ws.duckdb
sources:
  b_src: { type: files, path: b.csv }
views:
  b_view: "SELECT count(*) AS n FROM b_src"
  b_other: "SELECT 1 AS one"
)";

TEST_F(CatalogOwnershipTest, TwoCatalogsKeepTheirOwnItemsAndNeverDropEachOthers) {
  dir_.write("a.yaml", kA);
  dir_.write("b.yaml", kB);
  apply("a.yaml");
  apply("b.yaml");
  EXPECT_EQ(views_and_sources(),
            "a_src,a_view,b_other,b_src,b_view\na_src,b_src\na.yaml:a_src,a.yaml:a_view,b.yaml:b_other,b.yaml:b_src,"
            "b.yaml:b_view\n");
  EXPECT_FALSE(apply("a.yaml").has_changes());
  EXPECT_FALSE(apply("b.yaml").has_changes());
  // B stops declaring b_other: only B's item goes, A's are untouched.
  std::string b = kB;
  b.erase(b.find("  b_other:"));
  dir_.write("b.yaml", b);
  Plan changed = apply("b.yaml");
  EXPECT_EQ(changed.count(Action::drop), 1u);
  EXPECT_EQ(views_and_sources(),
            "a_src,a_view,b_src,b_view\na_src,b_src\na.yaml:a_src,a.yaml:a_view,b.yaml:b_src,b.yaml:b_view\n");
  // An empty catalog A drops A's items only.
  dir_.write("a.yaml", "version: 1\nworkspace: ws.duckdb\n");
  EXPECT_EQ(apply("a.yaml").count(Action::drop), 2u);
  EXPECT_EQ(views_and_sources(), "b_src,b_view\nb_src\nb.yaml:b_src,b.yaml:b_view\n");
}

TEST_F(CatalogOwnershipTest, DeclaringAnItemAnotherCatalogOwnsIsAnErrorNamingBothAndChangesNothing) {
  dir_.write("a.yaml", kA);
  apply("a.yaml");
  std::string before = views_and_sources();
  // B declares A's view (even with the same SQL) and A's source (with the same definition).
  std::string b = std::string(kB) + "  a_view: \"SELECT count(*) AS n FROM a_src\"\n";
  b.replace(b.find("sources:\n"), 9, "sources:\n  a_src: { type: files, path: a.csv }\n");
  dir_.write("b.yaml", b);
  for (bool dry_run : {false, true}) {
    EXPECT_TRUE(test::throws_error([&] { apply("b.yaml", dry_run); }, ErrorKind::invalid_input,
                                   "b.yaml:9:3: view 'a_view' belongs to catalog 'a.yaml', which applied it to this "
                                   "workspace; catalog 'b.yaml' cannot declare it too"));
    EXPECT_TRUE(test::throws_error([&] { apply("b.yaml", dry_run); }, ErrorKind::invalid_input,
                                   "b.yaml:4:3: source 'a_src' belongs to catalog 'a.yaml'"));
  }
  EXPECT_EQ(views_and_sources(), before);
}

TEST_F(CatalogOwnershipTest, AnItemMovesFromOneCatalogToAnotherByRemovingItFirst) {
  dir_.write("a.yaml", kA);
  apply("a.yaml");
  dir_.write("a.yaml", "version: 1\nworkspace: ws.duckdb\nsources:\n  a_src: { type: files, path: a.csv }\n");
  apply("a.yaml");
  dir_.write("b.yaml", std::string(kB) + "  a_view: \"SELECT count(*) AS n FROM a_src\"\n");
  EXPECT_EQ(apply("b.yaml").count(Action::create), 4u);
  EXPECT_EQ(views_and_sources(),
            "a_src,a_view,b_other,b_src,b_view\na_src,b_src\na.yaml:a_src,b.yaml:a_view,b.yaml:b_other,b.yaml:b_src,"
            "b.yaml:b_view\n");
}

TEST_F(CatalogOwnershipTest, MovingTheCatalogWithItsWorkspaceKeepsOwnership) {
  fs::create_directories(dir_.path() / "one");
  dir_.write("one/a.yaml", std::string(kA).replace(std::string(kA).find("a.csv"), 5, "../a.csv"));
  OpenOptions options;
  open_workspace(dir_.file("one/a.yaml"), options);
  fs::rename(dir_.path() / "one", dir_.path() / "two");
  EXPECT_FALSE(open_workspace(dir_.file("two/a.yaml"), options).plan.has_changes());
}

TEST_F(CatalogOwnershipTest, ARenamedCatalogTakesOverTheItemsOfItsOldNameButACopyDoesNot) {
  dir_.write("a.yaml", kA);
  apply("a.yaml");
  dir_.write("copy.yaml", kA);
  EXPECT_TRUE(test::throws_error([&] { apply("copy.yaml"); }, ErrorKind::invalid_input,
                                 "view 'a_view' belongs to catalog 'a.yaml'"));
  fs::remove(dir_.path() / "copy.yaml");
  fs::rename(dir_.path() / "a.yaml", dir_.path() / "renamed.yaml");
  Plan taken = apply("renamed.yaml");
  EXPECT_FALSE(taken.has_changes());
  std::string shown = format_plan(taken, false);
  EXPECT_NE(shown.find("SELECT count(*) AS n FROM a_src  (taken over from catalog 'a.yaml', whose file is gone)"),
            std::string::npos)
      << shown;
  EXPECT_EQ(shown.find("adopted"), std::string::npos) << shown;
  EXPECT_EQ(views_and_sources(), "a_src,a_view\na_src\nrenamed.yaml:a_src,renamed.yaml:a_view\n");
  EXPECT_EQ(format_plan(apply("renamed.yaml"), false), "no changes (2 unchanged)\n");
}

TEST_F(CatalogOwnershipTest, RecordsOfAnOlderPondWithoutOwnersAreClaimedByTheNextCatalog) {
  dir_.write("a.yaml", kA);
  apply("a.yaml");
  {
    // The table as Pond wrote it before owners were recorded.
    engine::DatabaseOptions o;
    o.path = dir_.file("ws.duckdb");
    engine::Database db(o);
    db.connect().query("ALTER TABLE pond_meta.catalog_items DROP COLUMN catalog");
  }
  Plan again = apply("a.yaml");
  EXPECT_FALSE(again.has_changes());
  dir_.write("a.yaml", "version: 1\nworkspace: ws.duckdb\nviews:\n  a_view: \"SELECT 2 AS n\"\n");
  Plan changed = apply("a.yaml");
  EXPECT_EQ(changed.count(Action::change), 1u);
  EXPECT_EQ(changed.count(Action::drop), 1u);
  EXPECT_EQ(views_and_sources(), "a_view\nNULL\na.yaml:a_view\n");
}

}  // namespace
}  // namespace pond::catalog
