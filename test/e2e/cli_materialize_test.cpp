// `pond materialize`, `pond refresh` and `pond materializations` against a SQLite source,
// each step in its own process, and the wrong inputs they must refuse.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "cli_test_support.hpp"
#include "sqlite_file.hpp"

namespace pond::e2e {
namespace {

using namespace std::chrono_literals;

// Counts for minutes on SQLite unless interrupted.
constexpr const char* kSlowSqliteQuery =
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS n FROM (SELECT x FROM c "
    "LIMIT 20000000000)";

using pond::test::sqlite_exec;

// A workspace ws.duckdb with SQLite source `crm` holding people(id, name): 3 rows.
class CliMaterialize : public ::testing::Test {
 protected:
  void SetUp() override {
    sqlite_exec(dir_ / "crm.sqlite",
                "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);"
                "INSERT INTO people VALUES (1, 'ann'), (2, 'bob'), (3, 'cy');");
    RunResult r = pond({"attach", "crm.sqlite", "--as", "crm", "--type", "sqlite"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  RunResult pond(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), {"-w", "ws.duckdb"});
    return run_pond(args, dir_.path(), stdin_text);
  }

  TempDir dir_;
};

TEST_F(CliMaterialize, PersistentMaterializationIsReadByLaterProcesses) {
  RunResult r =
      pond({"materialize", "crm", "SELECT id, name FROM people WHERE id > 1", "--as", "later", "--persistent"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("materialized later from crm: 2 rows in ")) << r.out;
  EXPECT_NE(r.out.find(" ms (persistent)"), std::string::npos) << r.out;
  RunResult q = pond({"query", "SELECT string_agg(name, '+' ORDER BY id) AS names FROM later", "-f", "csv"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_EQ(q.out, "names\nbob+cy\n");
}

TEST_F(CliMaterialize, MaterializationsListsProvenanceAsTableCsvAndJson) {
  ASSERT_EQ(pond({"materialize", "crm", "SELECT * FROM people", "--as", "everyone", "--persistent"}).exit_code, 0);
  RunResult csv = pond({"materializations", "-f", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_TRUE(csv.out.starts_with("name,source,persistent,rows,started_at,finished_at,duration_ms,query\n")) << csv.out;
  EXPECT_NE(csv.out.find("everyone,crm,true,3,"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find("SELECT * FROM people"), std::string::npos) << csv.out;
  RunResult json = pond({"materializations", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("\"name\":\"everyone\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"rows\":3"), std::string::npos) << json.out;
  RunResult table = pond({"materializations"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("everyone"), std::string::npos) << table.out;
}

TEST_F(CliMaterialize, RefreshReRunsTheQueryAndRecordsTheNewRowCount) {
  ASSERT_EQ(pond({"materialize", "crm", "SELECT * FROM people", "--as", "everyone", "--persistent"}).exit_code, 0);
  sqlite_exec(dir_ / "crm.sqlite", "INSERT INTO people VALUES (4, 'dee'), (5, 'eve');");
  RunResult r = pond({"refresh", "everyone"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("refreshed everyone: 5 rows in ")) << r.out;
  RunResult q = pond({"query", "SELECT count(*) AS n FROM everyone", "-f", "csv"});
  EXPECT_EQ(q.out, "n\n5\n") << q.err;
  RunResult listed = pond({"materializations", "-f", "csv"});
  EXPECT_NE(listed.out.find("everyone,crm,true,5,"), std::string::npos) << listed.out;
}

TEST_F(CliMaterialize, HostileNamesAreQuotedNotExecuted) {
  const std::string name = "we\"ird'; DROP TABLE keep; --";
  ASSERT_EQ(pond({"query", "CREATE TABLE keep AS SELECT 1 AS k"}).exit_code, 0);
  RunResult r =
      pond({"materialize", "crm", "SELECT name FROM people WHERE name = 'ann'", "--as", name, "--persistent"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  RunResult q =
      pond({"query", "SELECT (SELECT name FROM \"we\"\"ird'; DROP TABLE keep; --\") AS n, (SELECT k FROM keep) AS k",
            "-f", "csv"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_EQ(q.out, "n,k\nann,1\n");
  RunResult refreshed = pond({"refresh", name});
  EXPECT_EQ(refreshed.exit_code, 0) << refreshed.err;
  RunResult source = pond({"materialize", "crm\"; DROP TABLE keep; --", "SELECT 1", "--as", "x", "--persistent"});
  EXPECT_EQ(source.exit_code, 1);
  EXPECT_NE(source.err.find("no source named 'crm\"; DROP TABLE keep; --'"), std::string::npos) << source.err;
  EXPECT_EQ(pond({"query", "SELECT k FROM keep", "-f", "csv"}).out, "k\n1\n");
}

TEST_F(CliMaterialize, WithoutPersistentTheCommandExplainsWhyAndCreatesNothing) {
  RunResult r = pond({"materialize", "crm", "SELECT * FROM people", "--as", "gone"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--persistent"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("pond shell"), std::string::npos) << r.err;
  EXPECT_EQ(pond({"query", "SELECT * FROM gone"}).exit_code, 1);
}

TEST_F(CliMaterialize, AnInMemoryWorkspaceIsRefused) {
  RunResult r = run_pond({"materialize", "crm", "SELECT 1", "--as", "x", "--persistent"}, dir_.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("-w FILE"), std::string::npos) << r.err;
}

TEST_F(CliMaterialize, AFailingQueryNamesTheSourceErrorWithoutPondsInternalStatement) {
  RunResult r = pond({"materialize", "crm", "SELECT * FROM nosuch", "--as", "z", "--persistent"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("materialize 'z' from 'crm' failed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no such table: nosuch"), std::string::npos) << r.err;
  // The user never wrote the CREATE TABLE ... pond_query(...) Pond runs; pointing into it confuses.
  EXPECT_EQ(r.err.find("__pond_staging"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("LINE 1:"), std::string::npos) << r.err;
  ASSERT_EQ(pond({"materialize", "crm", "SELECT * FROM people", "--as", "z", "--persistent"}).exit_code, 0);
  RunResult refreshed = [&] {
    sqlite_exec(dir_ / "crm.sqlite", "DROP TABLE people;");
    return pond({"refresh", "z"});
  }();
  EXPECT_EQ(refreshed.exit_code, 1);
  EXPECT_NE(refreshed.err.find("no such table: people"), std::string::npos) << refreshed.err;
  EXPECT_EQ(refreshed.err.find("__pond_staging"), std::string::npos) << refreshed.err;
}

TEST_F(CliMaterialize, UnknownSourceNamesIt) {
  RunResult r = pond({"materialize", "nosuch", "SELECT 1", "--as", "x", "--persistent"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no source named 'nosuch'"), std::string::npos) << r.err;
}

TEST_F(CliMaterialize, EmptyOrMissingArgumentsAreUsageErrors) {
  RunResult empty_sql = pond({"materialize", "crm", "  ; ", "--as", "x", "--persistent"});
  EXPECT_EQ(empty_sql.exit_code, 2);
  EXPECT_NE(empty_sql.err.find("needs the query"), std::string::npos) << empty_sql.err;
  RunResult empty_name = pond({"materialize", "crm", "SELECT 1", "--as", "", "--persistent"});
  EXPECT_EQ(empty_name.exit_code, 2);
  EXPECT_NE(empty_name.err.find("--as NAME"), std::string::npos) << empty_name.err;
  RunResult no_name = pond({"materialize", "crm", "SELECT 1", "--persistent"});
  EXPECT_EQ(no_name.exit_code, 2);
  EXPECT_NE(no_name.err.find("--as"), std::string::npos) << no_name.err;
  EXPECT_EQ(pond({"refresh"}).exit_code, 2);
}

TEST_F(CliMaterialize, SqlTheSourceRejectsFailsWithItsMessage) {
  RunResult r = pond({"materialize", "crm", "SELECT * FROM no_such_table", "--as", "x", "--persistent"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no_such_table"), std::string::npos) << r.err;
  EXPECT_EQ(pond({"query", "SELECT * FROM x"}).exit_code, 1);
}

TEST_F(CliMaterialize, ExistingNameIsRefused) {
  ASSERT_EQ(pond({"materialize", "crm", "SELECT 1 AS one", "--as", "twice", "--persistent"}).exit_code, 0);
  RunResult r = pond({"materialize", "crm", "SELECT 2 AS two", "--as", "twice", "--persistent"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  ASSERT_EQ(pond({"query", "CREATE TABLE plain AS SELECT 1 AS p"}).exit_code, 0);
  RunResult clash = pond({"materialize", "crm", "SELECT 1", "--as", "plain", "--persistent"});
  EXPECT_EQ(clash.exit_code, 1);
  EXPECT_NE(clash.err.find("a table named 'plain' already exists"), std::string::npos) << clash.err;
}

TEST_F(CliMaterialize, RefreshOfAnUnknownNameIsNotFound) {
  RunResult r = pond({"refresh", "never_made"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no materialization named 'never_made'"), std::string::npos) << r.err;
}

TEST_F(CliMaterialize, ReadOnlyWorkspaceRefusesPersistentMaterializeButLists) {
  ASSERT_EQ(pond({"materialize", "crm", "SELECT 1 AS one", "--as", "kept", "--persistent"}).exit_code, 0);
  RunResult r = pond({"--read-only", "materialize", "crm", "SELECT 1", "--as", "x", "--persistent"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("read-only"), std::string::npos) << r.err;
  RunResult refresh = pond({"--read-only", "refresh", "kept"});
  EXPECT_EQ(refresh.exit_code, 1);
  EXPECT_NE(refresh.err.find("read-only"), std::string::npos) << refresh.err;
  RunResult listed = pond({"--read-only", "materializations", "-f", "csv"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("kept,crm,true,1,"), std::string::npos) << listed.out;
}

TEST_F(CliMaterialize, EphemeralMaterializationInTheShellIsGoneInTheNextProcess) {
  RunResult shell = pond({"shell"},
                         "MATERIALIZE brief FROM crm AS 'SELECT id FROM people';\n"
                         "SELECT count(*) AS n FROM brief;\n");
  ASSERT_EQ(shell.exit_code, 0) << shell.err;
  EXPECT_NE(shell.out.find("3"), std::string::npos) << shell.out;
  RunResult later = pond({"materializations", "-f", "csv"});
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_EQ(later.out.find("brief"), std::string::npos) << later.out;
  EXPECT_EQ(pond({"query", "SELECT * FROM brief"}).exit_code, 1);
}

TEST_F(CliMaterialize, SigintCancelsTheRemoteQueryAndCreatesNoTable) {
  PondProcess slow({"-w", "ws.duckdb", "materialize", "crm", kSlowSqliteQuery, "--as", "slow", "--persistent"},
                   dir_.path());
  std::this_thread::sleep_for(1500ms);
  kill(slow.pid(), SIGINT);
  auto start = std::chrono::steady_clock::now();
  RunResult r = slow.finish(std::chrono::seconds(30));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cancelled"), std::string::npos) << r.err;
  EXPECT_EQ(pond({"query", "SELECT * FROM slow"}).exit_code, 1);
  RunResult listed = pond({"materializations", "-f", "csv"});
  EXPECT_EQ(listed.out.find("slow"), std::string::npos) << listed.out;
}

TEST_F(CliMaterialize, SigintDuringANativeQueryReportsCancelled) {
  PondProcess slow(
      {"-w", "ws.duckdb", "query", std::string("SELECT * FROM pond_query('crm', '") + kSlowSqliteQuery + "')"},
      dir_.path());
  std::this_thread::sleep_for(1500ms);
  kill(slow.pid(), SIGINT);
  RunResult r = slow.finish(std::chrono::seconds(30));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cancelled"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pond::e2e
