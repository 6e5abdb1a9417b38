// The catalog file: parsing and validation. Every error names file:line:column.

#include "catalog/catalog_parser.hpp"

#include <gtest/gtest.h>

#include <map>

#include "catalog/catalog_validator.hpp"
#include "catalog/env_interpolation.hpp"
#include "test_support.hpp"

namespace pond::catalog {
namespace {

using test::TempDir;

EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// Parses and validates `catalog.yaml` in `dir`; returns the error text, or "" when valid.
std::string errors_of(const TempDir& dir, const std::string& yaml, std::map<std::string, std::string> env = {}) {
  dir.write("catalog.yaml", yaml);
  try {
    Catalog c = parse_catalog_file(dir.file("catalog.yaml"), ParseOptions{fake_env(std::move(env))});
    validate_catalog(c);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

Catalog parsed(const TempDir& dir, const std::string& yaml, std::map<std::string, std::string> env = {}) {
  dir.write("catalog.yaml", yaml);
  return parse_catalog_file(dir.file("catalog.yaml"), ParseOptions{fake_env(std::move(env))});
}

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

TEST(EnvInterpolation, ReplacesVariablesDefaultsAndDollarEscapes) {
  EnvLookup env = fake_env({{"A", "x"}, {"EMPTY", ""}});
  EXPECT_EQ(interpolate("a${A}b", env), "axb");
  EXPECT_EQ(interpolate("${MISSING:-dflt}", env), "dflt");
  EXPECT_EQ(interpolate("${EMPTY:-dflt}", env), "dflt");
  EXPECT_EQ(interpolate("${A:-dflt}", env), "x");
  EXPECT_EQ(interpolate("cost $$5 and $x", env), "cost $5 and $x");
  EXPECT_TRUE(test::throws_error([&] { interpolate("${MISSING}", env); }, ErrorKind::invalid_input,
                                 "environment variable MISSING is not set"));
  EXPECT_TRUE(test::throws_error([&] { interpolate("${A", env); }, ErrorKind::invalid_input, "closing"));
  EXPECT_TRUE(test::throws_error([&] { interpolate("${A;rm}", env); }, ErrorKind::invalid_input, "not a valid"));
}

TEST(CatalogParser, ReadsEverySectionAndResolvesPathsAgainstTheFile) {
  TempDir dir;
  dir.write("sql.sql", "SELECT 42 AS answer");
  Catalog c = parsed(dir, R"(version: 1
workspace: ./ws.duckdb
settings: { threads: 2, memory_limit: 1GB }
extensions: [parquet, json]
secrets:
  pg_prod: { type: postgres, user: analyst, password: "${PG_PASSWORD}", persistent: false }
sources:
  finance: { type: duckdb, path: ./data/finance.duckdb, read_only: true }
  pg: { type: postgresql, dsn: "host=localhost dbname=shop", secret: pg_prod, connect_timeout: 3, retries: 1 }
  events: { type: files, path: "./data/*.parquet" }
views:
  a: "SELECT 1"
  b: { sql_file: sql.sql }
materializations:
  m: { source: pg, query: "SELECT 1", persistent: true }
)",
                     {{"PG_PASSWORD", "s3cret"}});
  EXPECT_EQ(c.workspace, (dir.path() / "ws.duckdb").string());
  ASSERT_EQ(c.settings.size(), 2u);
  EXPECT_EQ(c.settings[1].name, "memory_limit");
  EXPECT_EQ(c.settings[1].value, "1GB");
  ASSERT_EQ(c.secrets.size(), 1u);
  EXPECT_EQ(c.secrets[0].fields.at("password"), "s3cret");
  ASSERT_EQ(c.sources.size(), 3u);
  EXPECT_EQ(c.sources[0].location, (dir.path() / "data/finance.duckdb").string());
  EXPECT_TRUE(c.sources[0].read_only);
  EXPECT_EQ(c.sources[1].type, "postgres");
  EXPECT_EQ(c.sources[1].options.at("connect_timeout"), "3");
  EXPECT_EQ(c.sources[1].retries, 1);
  EXPECT_EQ(c.sources[2].location, (dir.path() / "data/*.parquet").string());
  ASSERT_EQ(c.views.size(), 2u);
  EXPECT_EQ(c.views[1].sql, "SELECT 42 AS answer");
  ASSERT_EQ(c.materializations.size(), 1u);
  EXPECT_TRUE(c.materializations[0].persistent);
  EXPECT_EQ(c.views[0].sql_at.line, 12);
  EXPECT_EQ(c.views[0].sql_at.column, 6);
}

TEST(CatalogParser, UnknownKeyIsReportedWithItsPlaceAndASuggestion) {
  TempDir dir;
  std::string e = errors_of(dir, "version: 1\nsources:\n  crm: { type: sqlite, pathh: ./crm.sqlite }\n");
  EXPECT_TRUE(contains(e, "catalog.yaml:3:24: unknown key 'pathh' in source 'crm' (sqlite); did you mean 'path'?"))
      << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:3:8: source 'crm' (sqlite) is missing required key 'path'")) << e;
  e = errors_of(dir, "version: 1\nveiws: {}\n");
  EXPECT_TRUE(contains(e, "catalog.yaml:2:1: unknown key 'veiws' in the catalog; did you mean 'views'?")) << e;
}

TEST(CatalogParser, WrongTypesAreReported) {
  TempDir dir;
  std::string e = errors_of(dir, R"(version: 1
sources:
  f: { type: duckdb, path: [a, b], read_only: maybe }
  g: { type: postgres, dsn: "host=x", connect_timeout: soon }
views: [a, b]
)");
  EXPECT_TRUE(contains(e, "catalog.yaml:3:28: source 'f' path must be a text value, not a list")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:3:47: source 'f' read_only must be true or false, not 'maybe'")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:4:56: source 'g' connect_timeout must be a whole number, not 'soon'")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:5:8: 'views' must be a mapping")) << e;
  e = errors_of(dir, "version: 2\n");
  EXPECT_TRUE(contains(e, "catalog.yaml:1:10: unsupported catalog version 2")) << e;
  e = errors_of(dir, "- just\n- a list\n");
  EXPECT_TRUE(contains(e, "catalog.yaml:1:1: the catalog must be a mapping")) << e;
}

TEST(CatalogParser, MissingRequiredFieldsAreReported) {
  TempDir dir;
  std::string e = errors_of(dir, R"(sources:
  a: { path: x.duckdb }
materializations:
  m: { query: "SELECT 1" }
secrets:
  s: { user: u }
views:
  v: {}
)");
  EXPECT_TRUE(contains(e, "catalog.yaml:1:1: the catalog is missing required key 'version'")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:2:3: source 'a' is missing required key 'type'")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:4:6: materialization 'm' is missing required key 'source'")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:6:6: secret 's' is missing required key 'type'")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:8:3: view 'v' needs exactly one of 'sql' and 'sql_file'")) << e;
}

TEST(CatalogParser, DuplicateKeysAndNamesAreReported) {
  TempDir dir;
  std::string e = errors_of(dir, R"(version: 1
views:
  v: "SELECT 1"
  V: "SELECT 2"
sources:
  s: { type: files, path: a.csv, path: b.csv }
)");
  EXPECT_TRUE(contains(e, "catalog.yaml:4:3: duplicate name 'V' in views (first declared at")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:6:34: duplicate key 'path' in source 's' (files)")) << e;
  e = errors_of(dir, "version: 1\nversion: 1\n");
  EXPECT_TRUE(contains(e, "catalog.yaml:2:1: duplicate key 'version' in the catalog")) << e;
}

TEST(CatalogParser, UnsetEnvironmentVariableIsNamedButNeverItsNeighbours) {
  TempDir dir;
  std::string e = errors_of(dir, R"(version: 1
secrets:
  s: { type: postgres, user: "${PG_USER}", password: "${PG_PASSWORD}" }
)",
                            {{"PG_USER", "someone"}});
  EXPECT_TRUE(contains(e, "catalog.yaml:3:54: secret 's' password: environment variable PG_PASSWORD is not set")) << e;
  EXPECT_FALSE(contains(e, "someone")) << e;
  Catalog c = parsed(dir, "version: 1\nworkspace: \"${WS:-./fallback.duckdb}\"\n");
  EXPECT_EQ(c.workspace, (dir.path() / "fallback.duckdb").string());
}

TEST(CatalogParser, IncludesMergeAndCyclesAreReported) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "more");
  dir.write("more/views.yaml", "views:\n  v2: \"SELECT 2\"\ninclude: ../catalog.yaml\n");
  std::string e = errors_of(dir, "version: 1\nviews:\n  v1: \"SELECT 1\"\ninclude: [more/views.yaml]\n");
  EXPECT_TRUE(contains(e, "views.yaml:3:10: include cycle: catalog.yaml -> views.yaml -> catalog.yaml")) << e;

  dir.write("more/views.yaml", "views:\n  v2: \"SELECT 2\"\n");
  Catalog c = parsed(dir, "version: 1\nviews:\n  v1: \"SELECT 1\"\ninclude: [more/views.yaml]\n");
  ASSERT_EQ(c.views.size(), 2u);
  EXPECT_EQ(c.views[1].at.file, (dir.path() / "more/views.yaml").string());

  dir.write("more/views.yaml", "views:\n  v1: \"SELECT 2\"\nworkspace: x.duckdb\n");
  e = errors_of(dir, "version: 1\nviews:\n  v1: \"SELECT 1\"\ninclude: more/views.yaml\n");
  EXPECT_TRUE(contains(e, "views.yaml:2:3: duplicate name 'v1' in views (first declared at")) << e;
  EXPECT_TRUE(contains(e, "views.yaml:3:1: 'workspace' may only be set in the top catalog file")) << e;

  e = errors_of(dir, "version: 1\ninclude: nowhere.yaml\n");
  EXPECT_TRUE(contains(e, "catalog.yaml:2:10: catalog file")) << e;
  EXPECT_TRUE(contains(e, "nowhere.yaml' does not exist")) << e;
}

TEST(CatalogParser, InvalidYamlNamesTheLine) {
  TempDir dir;
  std::string e = errors_of(dir, "version: 1\nviews: {a: 1\n");
  EXPECT_TRUE(contains(e, "catalog.yaml:")) << e;
  EXPECT_TRUE(contains(e, "invalid YAML")) << e;
  EXPECT_TRUE(
      test::throws_error([&] { parse_catalog_file(dir.file("absent.yaml")); }, ErrorKind::not_found, "absent.yaml"));
}

TEST(CatalogValidator, MissingFilesAndEmptyGlobsAreReported) {
  TempDir dir;
  std::string e = errors_of(dir, R"(version: 1
sources:
  a: { type: duckdb, path: missing.duckdb }
  b: { type: sqlite, path: missing.sqlite }
  c: { type: files, path: "nothing/*.csv" }
)");
  EXPECT_TRUE(contains(e, "catalog.yaml:3:28: source 'a': file")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:4:28: source 'b': file")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:5:27: source 'c': no files match")) << e;
  e = errors_of(dir, "version: 1\nviews:\n  v: { sql_file: missing.sql }\n");
  EXPECT_TRUE(contains(e, "catalog.yaml:3:18: view 'v': sql_file 'missing.sql' does not exist")) << e;
}

TEST(CatalogValidator, NamesCollidingAcrossSourcesViewsAndMaterializationsAreReported) {
  TempDir dir;
  dir.write("a.csv", "x\n1\n");
  std::string e = errors_of(dir, R"(version: 1
sources:
  sales: { type: files, path: a.csv }
views:
  Sales: "SELECT 1"
  main: "SELECT 2"
materializations:
  sales: { source: sales, query: "SELECT 1" }
)");
  EXPECT_TRUE(contains(e, "catalog.yaml:5:3: view 'Sales' has the same name as source 'Sales'")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:6:3: view 'main': 'main' is a reserved name")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:8:3: materialization 'sales' has the same name as source")) << e;
}

TEST(CatalogValidator, ViewsMustBeOneValidSelectOverKnownSources) {
  TempDir dir;
  dir.write("a.csv", "x\n1\n");
  std::string e = errors_of(dir, R"(version: 1
sources:
  finance: { type: files, path: a.csv }
views:
  bad_syntax: "SELECT FROM WHERE x ="
  not_select: "DROP TABLE t"
  two: "SELECT 1; SELECT 2"
  typo: "SELECT * FROM finanse.daily"
  fine: "SELECT * FROM main.t JOIN finance.x ON true"
)");
  EXPECT_TRUE(contains(e, "catalog.yaml:5:15: view 'bad_syntax': syntax error")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:6:15: view 'not_select': a view must be a SELECT statement")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:7:8: view 'two': a view must be exactly one SELECT statement")) << e;
  EXPECT_TRUE(contains(e,
                       "catalog.yaml:8:9: view 'typo' references unknown source 'finanse' (line 1, column 15 of the "
                       "SQL); did you mean 'finance'?"))
      << e;
  EXPECT_FALSE(contains(e, "'fine'")) << e;
}

TEST(CatalogValidator, SourceReferencesAreFoundByDuckDBsParserNotByGuessing) {
  TempDir dir;
  dir.write("a.csv", "x\n1\n");
  std::string e = errors_of(dir, R"yaml(version: 1
sources:
  finance: { type: files, path: a.csv }
views:
  comma_join: "SELECT * FROM finance.a, ledger.b"
  nested: "SELECT 1 WHERE 1 IN (SELECT x FROM (SELECT x FROM audit.t) s)"
  in_cte: "WITH c AS (SELECT * FROM budgets.plan) SELECT * FROM c"
  multi_line: "SELECT *\n  from\n    finance.a\n  JOIN\n      crmm.people USING (x)"
  three_part: "SELECT * FROM warehouse.main.t UNION ALL SELECT * FROM finance.main.t"
  not_tables: "SELECT 'FROM ghost.t' AS s, x.y FROM (SELECT {'y': 1} AS x) WHERE 'JOIN ghost2.t' <> ''"
  cte_name: "WITH finance2 AS (SELECT 1 AS x) SELECT * FROM finance2"
)yaml");
  EXPECT_TRUE(contains(e, "catalog.yaml:5:15: view 'comma_join' references unknown source 'ledger' (line 1")) << e;
  EXPECT_TRUE(contains(e, "view 'nested' references unknown source 'audit' (line 1, column 51 of the SQL)")) << e;
  EXPECT_TRUE(contains(e, "view 'in_cte' references unknown source 'budgets'")) << e;
  EXPECT_TRUE(contains(e, "view 'multi_line' references unknown source 'crmm' (line 5, column 7 of the SQL)")) << e;
  EXPECT_TRUE(contains(e, "view 'three_part' references unknown source 'warehouse'")) << e;
  EXPECT_FALSE(contains(e, "ghost")) << e;
  EXPECT_FALSE(contains(e, "'cte_name'")) << e;
  EXPECT_FALSE(contains(e, "unknown source 'finance'")) << e;
}

TEST(CatalogValidator, ViewsThatReadEachOtherInACircleAreReported) {
  TempDir dir;
  std::string e = errors_of(dir, R"yaml(version: 1
views:
  a: "SELECT * FROM b"
  b: "SELECT * FROM main.c"
  c: "SELECT x FROM (SELECT * FROM a) s"
  self: "SELECT * FROM self"
  e: "WITH f AS (SELECT 1 AS x) SELECT * FROM f"
  f: "SELECT * FROM e"
  g: "SELECT * FROM a"
)yaml");
  EXPECT_TRUE(contains(e, "catalog.yaml:3:6: view 'a' reads itself through a -> b -> c -> a; break the cycle")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:6:9: view 'self' reads itself through self -> self")) << e;
  EXPECT_FALSE(contains(e, "view 'e'")) << e;
  EXPECT_FALSE(contains(e, "view 'f'")) << e;
  EXPECT_FALSE(contains(e, "view 'g'")) << e;
}

TEST(CatalogValidator, SettingsAndExtensionsAreChecked) {
  TempDir dir;
  std::string e = errors_of(dir, R"(version: 1
settings: { memory_limt: 1GB, threads: lots, timezone: UTC }
extensions: [parquet, spatial, jsn]
)");
  EXPECT_TRUE(contains(e, "catalog.yaml:2:13: unknown DuckDB setting 'memory_limt'; did you mean 'memory_limit'?"))
      << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:2:31: invalid value for DuckDB setting 'threads'")) << e;
  EXPECT_FALSE(contains(e, "lots")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:3:23: extension 'spatial' is not built into")) << e;
  EXPECT_TRUE(contains(e,
                       "catalog.yaml:3:32: extension 'jsn' is not built into Pond's DuckDB and cannot be "
                       "installed here; did you mean 'json'?"))
      << e;
  EXPECT_FALSE(contains(e, "timezone")) << e;
}

TEST(CatalogValidator, SecretsNeverStoreAPasswordAndReferencesMustResolve) {
  TempDir dir;
  std::string e = errors_of(dir, R"(version: 1
secrets:
  kept: { type: postgres, password: "${PW}", persistent: true }
  both: { type: mysql, password: x, password_env: PW }
sources:
  pg: { type: postgres, dsn: "host=h password=hunter2", secret: keptt }
  my: { type: mysql, dsn: "host=h", secret: kept }
  materialized: { type: postgres, dsn: "postgresql://u:pw@h/db" }
materializations:
  m: { source: nowhere, query: "SELECT 1" }
)",
                            {{"PW", "hunter2"}});
  EXPECT_TRUE(contains(e, "catalog.yaml:3:37: secret 'kept': a persistent secret never stores a password")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:4:3: secret 'both': give only one of password")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:6:30: source 'pg': the dsn contains a password")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:6:65: source 'pg': unknown secret 'keptt'; did you mean 'kept'?")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:7:45: source 'my': secret 'kept' is a postgres secret, not mysql")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:8:40: source 'materialized': the dsn contains a password")) << e;
  EXPECT_TRUE(contains(e, "catalog.yaml:10:16: materialization 'm': unknown source 'nowhere'")) << e;
  // The error text may show a dsn, but never the secret's value.
  EXPECT_EQ(e.find("hunter2\""), std::string::npos);
}

TEST(CatalogValidator, HostileNamesAreDataNotSql) {
  TempDir dir;
  dir.write("a.csv", "x\n1\n");
  std::string e = errors_of(dir, R"(version: 1
sources:
  "we\"ird; DROP TABLE x": { type: files, path: a.csv }
views:
  "v'; --": "SELECT * FROM \"we\"\"ird; DROP TABLE x\".t"
)");
  EXPECT_EQ(e, "");
}

TEST(CatalogParser, OversizedFilesAndWronglyTypedIncludesAreRefused) {
  TempDir dir;
  std::string big = "version: 1\n# " + std::string(17 * 1024 * 1024, 'x') + "\n";
  dir.write("big.yaml", big);
  std::string e = errors_of(dir, "version: 1\ninclude: big.yaml\n");
  EXPECT_TRUE(contains(e, "catalog.yaml:2:10: catalog file")) << e.substr(0, 300);
  EXPECT_TRUE(contains(e, "is larger than 16 MiB")) << e.substr(0, 300);
  e = errors_of(dir, "version: 1\ninclude: { a: b }\n");
  EXPECT_TRUE(contains(e, "catalog.yaml:2:10: include must be a text value, not a mapping")) << e;
  e = errors_of(dir, "version: 1\nsources:\n  s: { type: files, path: a.csv, format: xlsx }\n");
  EXPECT_TRUE(contains(e, "catalog.yaml:3:42: source 's': format must be csv, parquet or json, not 'xlsx'")) << e;
}

}  // namespace
}  // namespace pond::catalog
