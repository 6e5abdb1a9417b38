// `pond shell --server URL` (and `pond --server URL`, `pond query --server`) against a real
// `pond serve`: piped scripts, errors mid-script, bad URLs, tokens, Ctrl-C on a terminal and a
// server that goes away mid-session.

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <stdlib.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "../e2e/cli_test_support.hpp"
#include "server_process.hpp"

namespace pond::e2e {
namespace {

using namespace std::chrono_literals;
using server_test::ServerProcess;

// Runs for many minutes unless cancelled.
constexpr const char* kLongQuery = "SELECT count(*) FROM range(1000000000000) t1";
constexpr const char* kToken = "remote-shell-token-7c1d9e2f4a";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class RemoteShell : public ::testing::Test {
 protected:
  void start(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"-w", "ws.duckdb"};
    args.insert(args.end(), extra.begin(), extra.end());
    server_ = std::make_unique<ServerProcess>(POND_BINARY, args, dir_.path().string());
    url_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }

  int active_queries() {
    httplib::Client client("127.0.0.1", server_->port());
    auto reply = client.Get("/healthz");
    if (!reply) return -1;
    return nlohmann::json::parse(reply->body).value("activeQueries", -1);
  }

  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string url_;
};

TEST_F(RemoteShell, PipedScriptRunsOnTheServerWithDotCommands) {
  start();
  const std::string script =
      "CREATE TABLE t AS SELECT range AS id, (range / 4)::DECIMAL(6,2) AS d, 'n' || range AS s FROM range(3);\n"
      ".mode csv\n"
      "SELECT * FROM t ORDER BY id;\n"
      ".tables\n"
      ".schema t\n"
      ".sources\n"
      "SELECT 'a;b' AS x,\n  2 AS y;\n";
  RunResult r = run_pond({"shell", "--server", url_}, dir_.path(), script);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "id,d,s\n0,0.00,n0\n1,0.25,n1\n2,0.50,n2\n"
            "database,schema,name,type\nws,main,t,table\n"
            "CREATE TABLE t(id BIGINT, d DECIMAL(6,2), s VARCHAR);\n"
            "alias,kind,location,read_only,status,tables\n"
            "\nx,y\na;b,2\n")
      << r.err;
  // The table lives on the server: a new process sees it.
  RunResult again = run_pond({"--server", url_, "query", "-f", "csv", "SELECT count(*) AS n FROM t"}, dir_.path());
  EXPECT_EQ(again.out, "n\n3\n") << again.err;
}

TEST_F(RemoteShell, NumbersPrintExactlyAsLocally) {
  start();
  const std::string sql =
      "SELECT 12345678901234567890.12::DECIMAL(38,2) AS big_decimal, 1.50::DECIMAL(4,2) AS small_decimal, "
      "170141183460469231731687303715884105727::HUGEINT AS huge, 18446744073709551615::UBIGINT AS ubig, "
      "-9223372036854775807::BIGINT AS low, 0.1::FLOAT AS f, 2.5::DOUBLE AS d, 1e300::DOUBLE AS e, "
      "'1.5' AS text_number";
  RunResult remote = run_pond({"query", "--server", url_, "-f", "csv", sql}, dir_.path());
  RunResult local = run_pond({"query", "-f", "csv", sql}, dir_.path());
  EXPECT_EQ(remote.exit_code, 0) << remote.err;
  EXPECT_EQ(remote.out, local.out);
  EXPECT_TRUE(contains(remote.out, "12345678901234567890.12,1.50,170141183460469231731687303715884105727,"))
      << remote.out;
  RunResult table = run_pond({"shell", "--server", url_}, dir_.path(), sql + std::string(";\n"));
  RunResult local_table = run_pond({"shell"}, dir_.path(), sql + std::string(";\n"));
  EXPECT_EQ(table.out, local_table.out);
}

TEST_F(RemoteShell, EveryFormatPrintsAsLocallyWhileRowsStream) {
  start();
  // Enough rows for the server to send them in many chunks; every sort of value.
  const std::string sql =
      "SELECT range AS id, (range / 7)::DECIMAL(10,3) AS d, range * 0.5 AS f, 'tëxt \"' || range || '\",;' AS s, "
      "CASE WHEN range % 5 = 0 THEN NULL ELSE range % 2 = 0 END AS b, [range, range + 1] AS l, "
      "{'k': range} AS st FROM range(20000) ORDER BY id";
  for (const char* format : {"csv", "json", "ndjson", "markdown", "table"}) {
    RunResult remote = run_pond({"query", "--server", url_, "-f", format, sql}, dir_.path());
    RunResult local = run_pond({"query", "-f", format, sql}, dir_.path());
    EXPECT_EQ(remote.exit_code, 0) << format << ": " << remote.err;
    EXPECT_EQ(remote.out.size(), local.out.size()) << format;
    EXPECT_TRUE(remote.out == local.out) << format;
  }
  // A statement that changes rows prints nothing; a result without rows or with one row prints
  // as locally.
  for (const char* statement : {"CREATE TABLE e AS SELECT 1 AS x WHERE false", "INSERT INTO e VALUES (5)"}) {
    RunResult remote = run_pond({"query", "--server", url_, "-f", "csv", statement}, dir_.path());
    RunResult local = run_pond({"-w", "local.duckdb", "query", "-f", "csv", statement}, dir_.path());
    EXPECT_EQ(remote.exit_code, 0) << remote.err;
    EXPECT_EQ(local.exit_code, 0) << local.err;
    EXPECT_EQ(remote.out, "") << statement;
    EXPECT_EQ(local.out, "") << statement;
  }
  for (const char* statement : {"SELECT * FROM e WHERE x > 5", "SELECT * FROM e"}) {
    for (const char* format : {"csv", "table", "json"}) {
      RunResult remote = run_pond({"query", "--server", url_, "-f", format, statement}, dir_.path());
      RunResult local = run_pond({"-w", "local.duckdb", "query", "-f", format, statement}, dir_.path());
      EXPECT_EQ(remote.exit_code, 0) << remote.err;
      EXPECT_EQ(remote.out, local.out) << statement << " " << format;
    }
  }
  EXPECT_EQ(run_pond({"query", "--server", url_, "-f", "csv", "SELECT * FROM e"}, dir_.path()).out, "x\n5\n");
}

TEST_F(RemoteShell, RowsAppearWhileTheResultStreamsAndCtrlCStopsThemPromptly) {
  start();
  PtySession shell({"shell", "--server", url_, "-f", "csv"}, dir_.path(), {{"POND_HISTORY", ""}});
  ASSERT_TRUE(shell.wait_for("pond> ")) << shell.transcript();
  // 300 million rows: minutes to send; rows must show long before that.
  shell.send("SELECT range AS r FROM range(300000000);\n");
  ASSERT_TRUE(shell.wait_for("\n200000\r\n", 60s)) << shell.transcript().substr(0, 2000);
  EXPECT_EQ(active_queries(), 1);  // still running: the rows came while it streams
  const auto pressed = std::chrono::steady_clock::now();
  shell.send("\x03");
  ASSERT_TRUE(shell.wait_for("cancelled", 30s)) << shell.transcript().substr(shell.transcript().size() - 2000);
  EXPECT_LT(std::chrono::steady_clock::now() - pressed, 5s);
  ASSERT_TRUE(shell.wait_for("pond> ")) << shell.transcript().substr(shell.transcript().size() - 2000);
  for (int i = 0; i < 100 && active_queries() != 0; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(active_queries(), 0);
  EXPECT_FALSE(contains(shell.transcript(), "\n299999999\r\n"));
  shell.send("SELECT 6 * 7 AS answer;\n");
  ASSERT_TRUE(shell.wait_for("\n42\r\n")) << shell.transcript().substr(shell.transcript().size() - 2000);
  shell.send(".quit\n");
  EXPECT_EQ(shell.wait_exit(), 0);
}

TEST_F(RemoteShell, SigintDuringAStreamedResultStopsPrintingAndTheScript) {
  start();
  PondProcess pond({"shell", "--server", url_, "-f", "csv"}, dir_.path(),
                   "SELECT range AS r FROM range(300000000);\nSELECT 'after';\n");
  for (int i = 0; i < 100 && active_queries() != 1; ++i) std::this_thread::sleep_for(50ms);
  ASSERT_EQ(active_queries(), 1);
  std::this_thread::sleep_for(500ms);  // rows are flowing (the pipe is full: pond waits on it)
  kill(pond.pid(), SIGINT);
  RunResult r = pond.finish(30s);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "cancelled")) << r.err;
  EXPECT_TRUE(r.out.starts_with("r\n0\n1\n2\n")) << r.out.substr(0, 100);
  EXPECT_LT(r.out.size(), size_t{100} << 20);  // far from the 300 million rows
  EXPECT_FALSE(contains(r.out, "after"));
  for (int i = 0; i < 100 && active_queries() != 0; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(active_queries(), 0);
}

TEST_F(RemoteShell, PlainPondWithServerRunsTheShell) {
  start();
  RunResult r = run_pond({"--server", url_ + "/"}, dir_.path(), "SELECT 42 AS answer;\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "│ answer  │")) << r.out;
  EXPECT_TRUE(contains(r.out, "│      42 │")) << r.out;
}

TEST_F(RemoteShell, ErrorMidScriptStopsItAndNamesTheStatement) {
  start();
  RunResult r = run_pond({"shell", "--server", url_, "-f", "csv"}, dir_.path(),
                         "SELECT 1 AS a;\nSELECT * FROM no_such_table;\nSELECT 2 AS b;\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "a\n1\n");
  EXPECT_TRUE(contains(r.err, "statement 2 (line 2) failed: server " + url_)) << r.err;
  EXPECT_TRUE(contains(r.err, "no_such_table")) << r.err;
}

TEST_F(RemoteShell, WorkspaceStatementsAndBadDotCommandsGiveClearErrors) {
  start();
  RunResult attach = run_pond({"shell", "--server", url_}, dir_.path(), "ATTACH 'x.duckdb' AS x;\n");
  EXPECT_EQ(attach.exit_code, 2) << attach.err;
  EXPECT_TRUE(contains(attach.err, "[usage]")) << attach.err;
  RunResult dot = run_pond({"shell", "--server", url_}, dir_.path(), ".frobnicate\n");
  EXPECT_EQ(dot.exit_code, 2);
  EXPECT_TRUE(contains(dot.err, "unknown command '.frobnicate'")) << dot.err;
  // A hostile name is a bound parameter on the server: nothing is dropped.
  run_pond({"query", "--server", url_, "CREATE TABLE keep AS SELECT 1 AS k"}, dir_.path());
  RunResult schema = run_pond({"shell", "--server", url_}, dir_.path(), ".schema keep';DROP_TABLE_keep;--\n");
  EXPECT_EQ(schema.exit_code, 1);
  EXPECT_TRUE(contains(schema.err, "no table or view named")) << schema.err;
  RunResult kept = run_pond({"query", "--server", url_, "-f", "csv", "SELECT k FROM keep"}, dir_.path());
  EXPECT_EQ(kept.out, "k\n1\n") << kept.err;
}

TEST_F(RemoteShell, StatementThatIsNotUtf8IsRefusedBeforeSending) {
  start();
  RunResult r = run_pond({"shell", "--server", url_}, dir_.path(), "SELECT 'bad \xff byte' AS b;\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "is not valid UTF-8")) << r.err;
}

TEST_F(RemoteShell, OversizedStatementIsRefusedByTheServer) {
  start({"--max-request-bytes", "2000"});
  const std::string big = "SELECT '" + std::string(5000, 'x') + "' AS big;\n";
  RunResult r = run_pond({"shell", "--server", url_}, dir_.path(), big);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "too_large")) << r.err;
}

TEST_F(RemoteShell, BadOrUnreachableUrlsAreReportedWithTheUrl) {
  RunResult nonsense = run_pond({"shell", "--server", "not a url"}, dir_.path(), "SELECT 1;\n");
  EXPECT_EQ(nonsense.exit_code, 2);
  EXPECT_TRUE(contains(nonsense.err, "--server 'not a url' is not an http://HOST:PORT URL")) << nonsense.err;
  for (const char* bad : {"http://127.0.0.1:99999", "http://:80", "ftp://127.0.0.1:1", "http://h:1/path", "http://[::1",
                          "http://[::1]x", "http://h:port"}) {
    RunResult r = run_pond({"shell", "--server", bad}, dir_.path(), "SELECT 1;\n");
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
  }
  RunResult tls = run_pond({"shell", "--server", "https://127.0.0.1:1"}, dir_.path(), "SELECT 1;\n");
  EXPECT_TRUE(contains(tls.err, "https is not supported")) << tls.err;
  // Port 1 on loopback: nothing listens there.
  RunResult closed = run_pond({"shell", "--server", "http://127.0.0.1:1"}, dir_.path(), "SELECT 1;\n");
  EXPECT_EQ(closed.exit_code, 1);
  EXPECT_TRUE(contains(closed.err, "cannot reach the server http://127.0.0.1:1")) << closed.err;
  // Other commands do not take --server.
  RunResult sources = run_pond({"--server", "http://127.0.0.1:1", "sources"}, dir_.path());
  EXPECT_EQ(sources.exit_code, 2);
  EXPECT_TRUE(contains(sources.err, "not `pond sources`")) << sources.err;
  RunResult token_alone = run_pond({"shell", "--token-file", "t"}, dir_.path(), "SELECT 1;\n");
  EXPECT_EQ(token_alone.exit_code, 2);
  EXPECT_TRUE(contains(token_alone.err, "--token-file needs --server")) << token_alone.err;
}

TEST_F(RemoteShell, TokensAreSentFromFileOrEnvironmentAndNeverPrinted) {
  write("server.token", std::string(kToken) + "\n");
  start({"--token-file", "server.token"});
  RunResult none = run_pond({"shell", "--server", url_}, dir_.path(), "SELECT 1;\n");
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_TRUE(contains(none.err, "[unauthorized]")) << none.err;
  EXPECT_TRUE(contains(none.err, "--token-file")) << none.err;

  write("wrong.token", "wrong-token-0123456789abcdef\n");
  RunResult wrong = run_pond({"shell", "--server", url_, "--token-file", "wrong.token"}, dir_.path(), "SELECT 1;\n");
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_TRUE(contains(wrong.err, "[unauthorized]")) << wrong.err;
  EXPECT_FALSE(contains(wrong.out + wrong.err, "wrong-token-0123456789abcdef"));

  RunResult missing = run_pond({"shell", "--server", url_, "--token-file", "no-such.token"}, dir_.path(), "");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.err, "cannot read the token file 'no-such.token'")) << missing.err;

  RunResult from_file = run_pond({"shell", "--server", url_, "--token-file", "server.token", "-f", "csv"}, dir_.path(),
                                 "SELECT 'ok' AS r;\n");
  EXPECT_EQ(from_file.out, "r\nok\n") << from_file.err;
  EXPECT_FALSE(contains(from_file.out + from_file.err, kToken));

  setenv("POND_TOKEN", kToken, 1);
  RunResult from_env = run_pond({"shell", "--server", url_, "-f", "csv"}, dir_.path(), "SELECT 'env' AS r;\n");
  RunResult query_env = run_pond({"query", "--server", url_, "-f", "csv", "SELECT 'q' AS r"}, dir_.path());
  unsetenv("POND_TOKEN");
  EXPECT_EQ(from_env.out, "r\nenv\n") << from_env.err;
  EXPECT_EQ(query_env.out, "r\nq\n") << query_env.err;
}

TEST_F(RemoteShell, CtrlCCancelsTheStatementOnTheServerAndTheShellGoesOn) {
  start();
  PtySession shell({"shell", "--server", url_}, dir_.path(), {{"POND_HISTORY", ""}});
  ASSERT_TRUE(shell.wait_for("server " + url_)) << shell.transcript();
  ASSERT_TRUE(shell.wait_for("pond> ")) << shell.transcript();
  shell.send(std::string(kLongQuery) + ";\n");
  for (int i = 0; i < 100 && active_queries() != 1; ++i) std::this_thread::sleep_for(50ms);
  ASSERT_EQ(active_queries(), 1) << shell.transcript();
  shell.send("\x03");  // the terminal turns it into SIGINT
  ASSERT_TRUE(shell.wait_for("cancelled")) << shell.transcript();
  ASSERT_TRUE(shell.wait_for("pond> ")) << shell.transcript();
  for (int i = 0; i < 100 && active_queries() != 0; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(active_queries(), 0);
  shell.send("SELECT 6 * 7 AS answer;\n");
  ASSERT_TRUE(shell.wait_for("42")) << shell.transcript();
  shell.send(".quit\n");
  EXPECT_EQ(shell.wait_exit(), 0) << shell.transcript();
}

TEST_F(RemoteShell, SigintCancelsAPipedScriptOnTheServer) {
  start();
  PondProcess pond({"shell", "--server", url_}, dir_.path(), std::string(kLongQuery) + ";\nSELECT 'after';\n");
  for (int i = 0; i < 100 && active_queries() != 1; ++i) std::this_thread::sleep_for(50ms);
  ASSERT_EQ(active_queries(), 1);
  kill(pond.pid(), SIGINT);
  RunResult r = pond.finish(30s);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "cancelled")) << r.err;
  EXPECT_FALSE(contains(r.out, "after"));
  for (int i = 0; i < 100 && active_queries() != 0; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(active_queries(), 0);
}

TEST_F(RemoteShell, ServerKilledMidSessionGivesAnErrorNamingTheUrl) {
  start();
  PtySession shell({"shell", "--server", url_}, dir_.path(), {{"POND_HISTORY", ""}});
  ASSERT_TRUE(shell.wait_for("pond> ")) << shell.transcript();
  shell.send("SELECT 'before' AS b;\n");
  ASSERT_TRUE(shell.wait_for("│ before")) << shell.transcript();  // the result, not the echo
  ASSERT_TRUE(shell.wait_for("pond> ")) << shell.transcript();
  // Killed while a statement runs: the statement fails, the shell stays.
  shell.send(std::string(kLongQuery) + ";\n");
  for (int i = 0; i < 200 && active_queries() != 1; ++i) std::this_thread::sleep_for(50ms);
  ASSERT_EQ(active_queries(), 1) << shell.transcript();
  kill(server_->pid(), SIGKILL);
  ASSERT_TRUE(shell.wait_for("lost the connection to the server " + url_)) << shell.transcript();
  ASSERT_TRUE(shell.wait_for("pond> ")) << shell.transcript();
  // Reaped, so that its listening socket is surely closed (a dying process's backlog can
  // still take a connection and then reset it).
  server_->stop();
  // The next statement cannot reach it.
  shell.send("SELECT 1;\n");
  ASSERT_TRUE(shell.wait_for("cannot reach the server " + url_)) << shell.transcript();
  ASSERT_TRUE(shell.wait_for("pond> ")) << shell.transcript();
  shell.send(".quit\n");
  EXPECT_EQ(shell.wait_exit(), 0) << shell.transcript();
}

}  // namespace
}  // namespace pond::e2e
