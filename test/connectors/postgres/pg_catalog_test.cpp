// A catalog with a PostgreSQL source (secret from the environment), applied through
// pond::catalog::open_workspace against the pg_server fixture's throwaway server.

#include <stdlib.h>

#include <fstream>

#include "catalog/open_workspace.hpp"
#include "connectors/postgres/postgres_connector.hpp"
#include "pg_test_support.hpp"

namespace pond::test::pg {
namespace {

class PgCatalogTest : public PgTest {
 protected:
  std::string write_catalog(const std::string& extra = "") {
    std::string path = dir_.file("catalog.yaml");
    std::ofstream(path) << "version: 1\nworkspace: ws.duckdb\n"
                           "secrets:\n"
                           "  pg_secret: { type: postgres, user: \""
                        << server_.user << "\", password: \"${POND_CATALOG_PG_PASSWORD}\" }\n"
                        << "sources:\n  shop: { type: postgres, dsn: \"host=" << server_.host
                        << " port=" << server_.port << " dbname=" << server_.database
                        << "\", secret: pg_secret, connect_timeout: 5, options: { schema: " << schema_ << " } }\n"
                        << "materializations:\n"
                           "  big_orders: { source: shop, query: \"SELECT id, amount FROM "
                        << schema_ << ".orders WHERE amount > 10\", persistent: true }\n"
                        << "views:\n  order_count: \"SELECT count(*) AS n FROM shop." << schema_ << ".orders\"\n"
                        << extra;
    return path;
  }

  catalog::OpenOptions options() {
    catalog::OpenOptions o;
    o.connectors = {std::make_shared<connectors::postgres::PostgresConnector>()};
    return o;
  }

  TempPath dir_;
};

TEST_F(PgCatalogTest, CatalogWithAPostgresSourceIsAppliedAndSecondRunChangesNothing) {
  admin_->exec("CREATE TABLE " + schema_ + ".orders (id int, amount numeric(10,2))");
  admin_->exec("INSERT INTO " + schema_ + ".orders VALUES (1, 5), (2, 15), (3, 25)");
  setenv("POND_CATALOG_PG_PASSWORD", server_.password.c_str(), 1);
  std::string file = write_catalog();
  {
    catalog::OpenedWorkspace opened = catalog::open_workspace(file, options());
    EXPECT_EQ(opened.plan.count(catalog::Action::create), 3u);
    auto rows =
        opened.workspace->execute("SELECT (SELECT n FROM order_count), (SELECT count(*) FROM big_orders)").fetch_all();
    EXPECT_EQ(rows[0][0].as_int64(), 3);
    EXPECT_EQ(rows[0][1].as_int64(), 2);
  }
  catalog::OpenedWorkspace again = catalog::open_workspace(file, options());
  EXPECT_FALSE(again.plan.has_changes()) << catalog::format_plan(again.plan, true);
  EXPECT_EQ(catalog::format_plan(again.plan, true).find(server_.password), std::string::npos);
}

TEST_F(PgCatalogTest, AWrongPasswordFailsNamingTheSourceAndChangesNothing) {
  setenv("POND_CATALOG_PG_PASSWORD", "not-the-password", 1);
  std::string file = write_catalog();
  auto o = options();
  EXPECT_TRUE(throws_error([&] { catalog::open_workspace(file, o); }, ErrorKind::connector, "source 'shop'"));
  setenv("POND_CATALOG_PG_PASSWORD", server_.password.c_str(), 1);
  catalog::OpenOptions dry = options();
  dry.dry_run = true;
  catalog::OpenedWorkspace plan = catalog::open_workspace(file, dry);
  EXPECT_EQ(plan.plan.count(catalog::Action::create), 3u);
}

}  // namespace
}  // namespace pond::test::pg
