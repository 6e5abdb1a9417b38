// The shell: piped scripts, dot commands, and Ctrl-C on a real terminal.

#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "cli_test_support.hpp"

namespace pond::e2e {
namespace {

using namespace std::chrono_literals;

// Runs for many minutes unless cancelled.
constexpr const char* kLongQuery = "SELECT count(*) FROM range(1000000000000) t1";

TEST(CliShell, PipedStdinRunsAsAScriptWithoutACommand) {
  TempDir dir;
  RunResult r =
      run_pond({"-w", "ws.duckdb"}, dir.path(),
               "CREATE TABLE t(a INT);\nINSERT INTO t VALUES (1), (2);\n.mode csv\nSELECT sum(a) AS s\n  FROM t;\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "s\n3\n");
  EXPECT_EQ(r.err, "");
}

TEST(CliShell, PipedScriptStopsAtTheFirstErrorAndNamesIt) {
  TempDir dir;
  RunResult r =
      run_pond({"shell", "--format", "csv"}, dir.path(), "SELECT 1 AS a;\n\nSELECT\n  nope;\nSELECT 2 AS b;\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "a\n1\n");
  EXPECT_NE(r.err.find("statement 2 (line 3) failed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nope"), std::string::npos) << r.err;
}

TEST(CliShell, DotCommandsWorkInPipedScripts) {
  TempDir dir;
  RunResult r = run_pond({"-w", "ws.duckdb", "shell"}, dir.path(),
                         "CREATE TABLE items(id INTEGER, \"name\" VARCHAR);\n"
                         "CREATE VIEW item_names AS SELECT name FROM items;\n"
                         ".mode csv\n"
                         ".tables\n"
                         ".schema items\n"
                         ".mode\n"
                         ".help\n"
                         ".quit\n"
                         "SELECT 'not reached';\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("database,schema,name,type\nws,main,item_names,view\nws,main,items,table\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("CREATE TABLE items(id INTEGER, \"name\" VARCHAR);"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\ncsv\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(".timer on|off"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("not reached"), std::string::npos);
}

TEST(CliShell, UnknownDotCommandIsAUsageError) {
  TempDir dir;
  RunResult r = run_pond({"shell"}, dir.path(), "SELECT 1;\n.frobnicate\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("line 2: unknown command '.frobnicate'"), std::string::npos) << r.err;
}

TEST(CliShell, QueryInterruptedBySigintExitsWithCancelMessage) {
  TempDir dir;
  PondProcess pond({"query", kLongQuery}, dir.path());
  std::this_thread::sleep_for(1500ms);
  kill(pond.pid(), SIGINT);
  RunResult r = pond.finish(std::chrono::seconds(30));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cancelled"), std::string::npos) << r.err;
}

TEST(CliShell, CtrlCCancelsTheRunningStatementAndTheShellGoesOn) {
  TempDir dir;
  PtySession shell({"-w", "ws.duckdb", "shell"}, dir.path());
  ASSERT_TRUE(shell.wait_for("pond> ")) << shell.transcript();
  shell.send(std::string(kLongQuery) + ";\n");
  std::this_thread::sleep_for(1500ms);
  shell.send("\x03");  // the terminal turns it into SIGINT
  ASSERT_TRUE(shell.wait_for("cancelled")) << shell.transcript();
  ASSERT_TRUE(shell.wait_for("pond> ")) << shell.transcript();
  shell.send("SELECT 6 * 7 AS answer;\n");
  ASSERT_TRUE(shell.wait_for("42")) << shell.transcript();
  shell.send(".quit\n");
  EXPECT_EQ(shell.wait_exit(), 0) << shell.transcript();
}

TEST(CliShell, CtrlCAtThePromptClearsTheLine) {
  TempDir dir;
  PtySession shell({"shell"}, dir.path());
  ASSERT_TRUE(shell.wait_for("pond> ")) << shell.transcript();
  shell.send("SELECT 'half typed'");
  std::this_thread::sleep_for(300ms);
  shell.send("\x03");
  // A fresh prompt at the start of a line: the interrupt was handled.
  ASSERT_TRUE(shell.wait_for("\npond> ")) << shell.transcript();
  shell.send("SELECT 'fresh' AS f;\n");
  ASSERT_TRUE(shell.wait_for("│ fresh")) << shell.transcript();
  EXPECT_EQ(shell.transcript().find("half typed │"), std::string::npos) << shell.transcript();
  // Not Ctrl-D: typed before libedit switches the terminal to raw mode (a race under load),
  // the terminal's own EOF handling would swallow it.
  shell.send(".quit\n");
  EXPECT_EQ(shell.wait_exit(), 0) << shell.transcript();
}

TEST(CliShell, InteractiveShellContinuesStatementsAndSurvivesErrors) {
  TempDir dir;
  PtySession shell({"shell"}, dir.path());
  ASSERT_TRUE(shell.wait_for("pond> ")) << shell.transcript();
  shell.send("SELECT 'multi' AS m,\n");
  ASSERT_TRUE(shell.wait_for("   ...> ")) << shell.transcript();
  shell.send("  2 AS n;\n");
  ASSERT_TRUE(shell.wait_for("multi")) << shell.transcript();
  shell.send("SELECT * FROM nowhere;\n");
  ASSERT_TRUE(shell.wait_for("pond: error: ")) << shell.transcript();
  shell.send(".mode markdown\nSELECT 1 AS one;\n");
  ASSERT_TRUE(shell.wait_for("| one |")) << shell.transcript();
  shell.send(".exit\n");
  EXPECT_EQ(shell.wait_exit(), 0) << shell.transcript();
}

TEST(CliShell, TableOnATerminalFitsItsWidth) {
  TempDir dir;
  PtySession pond({"query", "SELECT 1 AS first_column, 2 AS second_column, 3 AS third_column, 4 AS last_column"},
                  dir.path(), {{"COLUMNS", "40"}});
  EXPECT_EQ(pond.wait_exit(), 0) << pond.transcript();
  EXPECT_NE(pond.transcript().find("4 columns (2 shown)"), std::string::npos) << pond.transcript();
  EXPECT_NE(pond.transcript().find("│ first_column │ … │ last_column │"), std::string::npos) << pond.transcript();
}

}  // namespace
}  // namespace pond::e2e
