#pragma once
// What the catalog unit tests share: a temporary folder with DuckDB source files and a CSV, a
// catalog written into it, and the workspace (ws.duckdb) that catalog applies to.

#include <memory>
#include <string>

#include "catalog/catalog_parser.hpp"
#include "engine/database.hpp"
#include "test_support.hpp"
#include "workspace/workspace.hpp"

namespace pond::test {

class CatalogTestBase : public ::testing::Test {
 protected:
  // A DuckDB file `name` in the folder holding table t(x) with `rows` rows.
  void make_duckdb_file(const std::string& name, int rows) {
    engine::DatabaseOptions o;
    o.path = dir_.file(name);
    engine::Database db(o);
    db.connect().query("CREATE TABLE t AS SELECT range AS x FROM range(" + std::to_string(rows) + ")");
  }

  // Writes catalog.yaml (version 1, workspace ws.duckdb, then `body`) and parses it.
  catalog::Catalog catalog(const std::string& body) {
    dir_.write("catalog.yaml", "version: 1\nworkspace: ws.duckdb\n" + body);
    return catalog::parse_catalog_file(dir_.file("catalog.yaml"));
  }

  std::unique_ptr<workspace::Workspace> open() {
    workspace::WorkspaceOptions o;
    o.path = dir_.file("ws.duckdb");
    return std::make_unique<workspace::Workspace>(o);
  }

  TempDir dir_;
};

}  // namespace pond::test
