// `pond attach` as a first-time user meets it: what its errors say about --type.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "cli_test_support.hpp"

namespace pond::e2e {
namespace {

constexpr int kExitUsage = 2;

void make_sqlite(const TempDir& dir, const std::string& file) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / file).c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(a INTEGER); INSERT INTO t VALUES (1)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
}

TEST(CliAttach, UnknownTypeListsTheValuesTheFlagTakesInLowercase) {
  TempDir dir;
  make_sqlite(dir, "crm.sqlite");
  RunResult r = run_pond({"-w", "ws.duckdb", "attach", "crm.sqlite", "--as", "crm", "--type", "oracle"}, dir.path());
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
  EXPECT_NE(r.err.find("unknown --type 'oracle'; use duckdb, files, sqlite, postgres or mysql"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("SQLITE"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("POSTGRES"), std::string::npos) << r.err;
}

TEST(CliAttach, UnknownTypeIsEchoedAsTypedAndRegistersNothing) {
  TempDir dir;
  make_sqlite(dir, "crm.sqlite");
  RunResult r = run_pond({"-w", "ws.duckdb", "attach", "crm.sqlite", "--as", "crm", "--type", "x'; DROP TABLE t; --"},
                         dir.path());
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
  EXPECT_NE(r.err.find("unknown --type 'x'; DROP TABLE t; --'"), std::string::npos) << r.err;
  RunResult sources = run_pond({"-w", "ws.duckdb", "sources", "--json"}, dir.path());
  ASSERT_EQ(sources.exit_code, 0) << sources.err;
  EXPECT_EQ(sources.out, "[]\n");
}

TEST(CliAttach, TypeIsCaseInsensitive) {
  TempDir dir;
  make_sqlite(dir, "crm.sqlite");
  RunResult r = run_pond({"-w", "ws.duckdb", "attach", "crm.sqlite", "--as", "crm", "--type", "SQLite"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  RunResult q = run_pond({"-w", "ws.duckdb", "query", "SELECT a FROM crm.t", "-f", "csv"}, dir.path());
  EXPECT_EQ(q.out, "a\n1\n") << q.err;
}

TEST(CliAttach, SqliteFileGivenAsDuckdbSaysHowToAttachItWithoutSqlSpelling) {
  TempDir dir;
  make_sqlite(dir, "crm.sqlite");
  RunResult r = run_pond({"-w", "ws.duckdb", "attach", "crm.sqlite", "--as", "crm", "--type", "duckdb"}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("is a SQLite database, not a DuckDB file; attach it as sqlite, or give no type"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("TYPE SQLITE"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pond::e2e
