// `pond attach` as a first-time user meets it: what its errors say about --type, and the note
// when the same file is registered under a second alias.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

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

TEST(CliAttach, TheSameSqliteFileUnderASecondAliasIsNotedOnStderr) {
  TempDir dir;
  make_sqlite(dir, "crm.sqlite");
  RunResult first = run_pond({"-w", "ws.duckdb", "attach", "crm.sqlite", "--as", "a"}, dir.path());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.err, "");
  RunResult second = run_pond({"-w", "ws.duckdb", "attach", "crm.sqlite", "--as", "b"}, dir.path());
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const std::string path = std::filesystem::canonical(dir / "crm.sqlite").string();
  EXPECT_EQ(second.out, "attached '" + path + "' as b\n");
  EXPECT_EQ(second.err, "note: " + path + " is also registered as 'a'\n");
  // Both stay usable.
  RunResult q = run_pond(
      {"-w", "ws.duckdb", "query", "SELECT (SELECT a FROM a.t) + (SELECT a FROM b.t) AS s", "-f", "csv"}, dir.path());
  EXPECT_EQ(q.out, "s\n2\n") << q.err;
}

TEST(CliAttach, ACsvFileThroughASymlinkIsNotedWithEveryOtherAlias) {
  TempDir dir;
  std::ofstream(dir / "sales.csv") << "amount\n5\n";
  std::filesystem::create_symlink(dir / "sales.csv", dir / "latest.csv");
  ASSERT_EQ(run_pond({"-w", "ws.duckdb", "attach", "sales.csv", "--as", "s1"}, dir.path()).exit_code, 0);
  ASSERT_EQ(run_pond({"-w", "ws.duckdb", "attach", "./sales.csv", "--as", "it's"}, dir.path()).exit_code, 0);
  RunResult third = run_pond({"-w", "ws.duckdb", "attach", "latest.csv", "--as", "s3"}, dir.path());
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_NE(third.err.find("note: "), std::string::npos) << third.err;
  EXPECT_NE(third.err.find("latest.csv is also registered as 's1' and 'it's'\n"), std::string::npos) << third.err;
  EXPECT_EQ(third.out.find("note"), std::string::npos) << third.out;
}

TEST(CliAttach, DifferentFilesGetNoNote) {
  TempDir dir;
  make_sqlite(dir, "crm.sqlite");
  make_sqlite(dir, "hr.sqlite");
  std::ofstream(dir / "sales.csv") << "amount\n5\n";
  ASSERT_EQ(run_pond({"-w", "ws.duckdb", "attach", "crm.sqlite", "--as", "a"}, dir.path()).exit_code, 0);
  RunResult hr = run_pond({"-w", "ws.duckdb", "attach", "hr.sqlite", "--as", "b"}, dir.path());
  EXPECT_EQ(hr.exit_code, 0);
  EXPECT_EQ(hr.err, "");
  RunResult csv = run_pond({"-w", "ws.duckdb", "attach", "sales.csv", "--as", "c"}, dir.path());
  EXPECT_EQ(csv.exit_code, 0);
  EXPECT_EQ(csv.err, "");
}

TEST(CliAttach, AFailedSecondAttachPrintsNoNote) {
  TempDir dir;
  make_sqlite(dir, "crm.sqlite");
  ASSERT_EQ(run_pond({"-w", "ws.duckdb", "attach", "crm.sqlite", "--as", "a"}, dir.path()).exit_code, 0);
  RunResult taken = run_pond({"-w", "ws.duckdb", "attach", "crm.sqlite", "--as", "a"}, dir.path());
  EXPECT_EQ(taken.exit_code, 1);
  EXPECT_EQ(taken.err.find("note:"), std::string::npos) << taken.err;
}

}  // namespace
}  // namespace pond::e2e
