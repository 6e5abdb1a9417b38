// workspace::parse_pond_statement: which statements Pond handles itself, how they parse, and
// that everything else is left to DuckDB.

#include "workspace/pond_statement.hpp"

#include <gtest/gtest.h>

#include "engine/error.hpp"
#include "test_support.hpp"

namespace pond::workspace {
namespace {

template <typename T>
T parse_as(std::string_view sql) {
  std::optional<PondStatement> statement = parse_pond_statement(sql);
  EXPECT_TRUE(statement.has_value()) << sql;
  if (!statement) return T{};
  EXPECT_TRUE(std::holds_alternative<T>(*statement)) << sql;
  if (!std::holds_alternative<T>(*statement)) return T{};
  return std::get<T>(*statement);
}

::testing::AssertionResult malformed(std::string_view sql, const std::string& needle) {
  return test::throws_error([&] { parse_pond_statement(sql); }, ErrorKind::invalid_input, needle);
}

TEST(PondStatement, OtherSqlIsNotAPondStatement) {
  for (const char* sql :
       {"SELECT 1", "CREATE TABLE t(i INTEGER)", "USE memory", "USE main.s", "SHOW TABLES", "SHOW ALL TABLES",
        "DROP TABLE t", "CREATE SECRET s3 (TYPE S3, KEY_ID 'k')", "DROP SECRET s3_unknown FROM local", "", "   ",
        "-- just a comment", "SELECT 'unterminated", "REFRESH t", "COPY t TO 'x.parquet'"}) {
    EXPECT_FALSE(parse_pond_statement(sql).has_value()) << sql;
  }
}

TEST(PondStatement, AttachWithAliasAndReadOnly) {
  auto s = parse_as<AttachStatement>("ATTACH 'shop.duckdb' AS shop (READ_ONLY)");
  EXPECT_EQ(s.location, "shop.duckdb");
  EXPECT_EQ(s.alias, "shop");
  EXPECT_TRUE(s.read_only);
  EXPECT_FALSE(s.if_not_exists);
  EXPECT_TRUE(s.type.empty());
  EXPECT_TRUE(s.options.empty());
}

TEST(PondStatement, AttachKeywordsAreCaseInsensitiveAndOptional) {
  auto s = parse_as<AttachStatement>("attach database if not exists '/data/x.duckdb';");
  EXPECT_EQ(s.location, "/data/x.duckdb");
  EXPECT_TRUE(s.alias.empty());
  EXPECT_TRUE(s.if_not_exists);
  EXPECT_FALSE(s.read_only);
}

TEST(PondStatement, AttachReadOnlyValues) {
  EXPECT_TRUE(parse_as<AttachStatement>("ATTACH 'a' AS a (READ_ONLY true)").read_only);
  EXPECT_TRUE(parse_as<AttachStatement>("ATTACH 'a' AS a (READONLY)").read_only);
  EXPECT_FALSE(parse_as<AttachStatement>("ATTACH 'a' AS a (READ_ONLY false)").read_only);
}

TEST(PondStatement, AttachTypeIsUpperCasedAndOtherOptionsKept) {
  auto s = parse_as<AttachStatement>("ATTACH 'crm.sqlite' AS crm (type sqlite, all_varchar true, READ_ONLY)");
  EXPECT_EQ(s.type, "SQLITE");
  EXPECT_TRUE(s.read_only);
  ASSERT_EQ(s.options.size(), 1u);
  EXPECT_EQ(s.options[0].first, "ALL_VARCHAR");
  EXPECT_EQ(s.options[0].second, "true");
}

TEST(PondStatement, AttachHostileAliasesAreUnquoted) {
  EXPECT_EQ(parse_as<AttachStatement>("ATTACH 'a.duckdb' AS \"we\"\"ird\"").alias, "we\"ird");
  EXPECT_EQ(parse_as<AttachStatement>("ATTACH 'a.duckdb' AS \"semi;colon\"").alias, "semi;colon");
  EXPECT_EQ(parse_as<AttachStatement>("ATTACH 'a.duckdb' AS \"with space\"").alias, "with space");
  EXPECT_EQ(parse_as<AttachStatement>("ATTACH 'a.duckdb' AS données").alias, "données");
  EXPECT_EQ(parse_as<AttachStatement>("ATTACH 'it''s.duckdb' AS x").location, "it's.duckdb");
}

TEST(PondStatement, AttachInMemoryIsStillRecognized) {
  EXPECT_EQ(parse_as<AttachStatement>("ATTACH ':memory:' AS scratch").location, ":memory:");
}

TEST(PondStatement, MalformedAttachSaysWhatWasExpected) {
  EXPECT_TRUE(malformed("ATTACH shop", "expected the location as a quoted string"));
  EXPECT_TRUE(malformed("ATTACH 'a' AS", "expected an alias after AS"));
  EXPECT_TRUE(malformed("ATTACH 'a' AS a extra", "unexpected 'extra'"));
  EXPECT_TRUE(malformed("ATTACH 'a' AS a (READ_ONLY", "expected ',' or ')'"));
  EXPECT_TRUE(malformed("ATTACH IF EXISTS 'a'", "NOT"));
}

TEST(PondStatement, Detach) {
  auto s = parse_as<DetachStatement>("DETACH shop");
  EXPECT_EQ(s.alias, "shop");
  EXPECT_FALSE(s.if_exists);
  auto t = parse_as<DetachStatement>("detach database if exists \"semi;colon\";");
  EXPECT_EQ(t.alias, "semi;colon");
  EXPECT_TRUE(t.if_exists);
  EXPECT_TRUE(malformed("DETACH", "expected the alias to detach"));
  EXPECT_TRUE(malformed("DETACH a b", "unexpected 'b'"));
}

TEST(PondStatement, UseFiles) {
  auto s = parse_as<UseFilesStatement>("USE 'sales/*.parquet' AS sales");
  EXPECT_EQ(s.pattern, "sales/*.parquet");
  EXPECT_EQ(s.alias, "sales");
  EXPECT_TRUE(s.format.empty());
  auto t = parse_as<UseFilesStatement>("use 'events.log' as \"my events\" (FORMAT JSON)");
  EXPECT_EQ(t.alias, "my events");
  EXPECT_EQ(t.format, "json");
}

TEST(PondStatement, MalformedUseSaysWhatWasExpected) {
  EXPECT_TRUE(malformed("USE 'x.csv'", "AS"));
  EXPECT_TRUE(malformed("USE 'x.csv' AS", "expected an alias after AS"));
  EXPECT_TRUE(malformed("USE 'x.csv' AS x (COMPRESSION gzip)", "unknown option COMPRESSION"));
}

TEST(PondStatement, ShowSources) {
  parse_as<ShowSourcesStatement>("SHOW SOURCES");
  parse_as<ShowSourcesStatement>("show sources;");
  EXPECT_TRUE(malformed("SHOW SOURCES now", "unexpected 'now'"));
}

TEST(PondStatement, SecretsForConnectorsArePonds) {
  auto s = parse_as<CreateSecretStatement>(
      "CREATE PERSISTENT SECRET pg_prod (TYPE POSTGRES, USER 'analyst', PASSWORD_ENV 'PGPASS')");
  EXPECT_EQ(s.name, "pg_prod");
  EXPECT_EQ(s.type, "postgres");
  EXPECT_TRUE(s.persistent);
  EXPECT_EQ(s.fields.at("user"), "analyst");
  EXPECT_EQ(s.fields.at("password_env"), "PGPASS");
  EXPECT_EQ(s.fields.count("type"), 0u);
  EXPECT_EQ(parse_as<CreateSecretStatement>("CREATE SECRET m (TYPE MARIADB)").type, "mysql");
  EXPECT_EQ(parse_as<DropSecretStatement>("DROP SECRET IF EXISTS pg_prod").name, "pg_prod");
  parse_as<ShowSecretsStatement>("SHOW SECRETS");
}

TEST(PondStatement, Materializations) {
  auto s = parse_as<MaterializeStatement>("MATERIALIZE PERSISTENT orders FROM pg AS 'SELECT * FROM o WHERE x = ''y'''");
  EXPECT_EQ(s.name, "orders");
  EXPECT_EQ(s.source, "pg");
  EXPECT_EQ(s.query, "SELECT * FROM o WHERE x = 'y'");
  EXPECT_TRUE(s.persistent);
  EXPECT_EQ(parse_as<MaterializeStatement>("MATERIALIZE c FROM crm AS $$SELECT ';'$$").query, "SELECT ';'");
  EXPECT_EQ(parse_as<RefreshStatement>("REFRESH MATERIALIZATION orders").name, "orders");
  EXPECT_TRUE(parse_as<DropMaterializationStatement>("DROP MATERIALIZATION IF EXISTS orders").if_exists);
  parse_as<ShowMaterializationsStatement>("SHOW MATERIALIZATIONS");
  EXPECT_TRUE(malformed("MATERIALIZE t FROM pg", "AS"));
}

}  // namespace
}  // namespace pond::workspace
