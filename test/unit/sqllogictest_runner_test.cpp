// The pond_sqllogictest executable, run on the fixtures in test/runner/fixtures: a passing file
// passes, and every kind of wrong expectation makes it fail with the file and line.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

namespace {

struct RunnerRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

RunnerRun run_runner(const std::string& arguments) {
  std::string command = std::string(POND_SQLLOGICTEST_BIN) + " " + arguments + " 2>&1";
  RunnerRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return run;
  std::array<char, 4096> buffer{};
  while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) run.output.append(buffer.data(), n);
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

RunnerRun run_fixture(const std::string& name) {
  return run_runner(std::string("--data-dir ") + POND_SQL_DATA_DIR + " " + POND_RUNNER_FIXTURES + "/" + name);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(SqllogictestRunner, PassingFileExitsZero) {
  RunnerRun run = run_fixture("runner_features.test");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(contains(run.output, " passed, 0 failed\n")) << run.output;
}

TEST(SqllogictestRunner, WrongRowsFailWithFileLineExpectedAndActual) {
  RunnerRun run = run_fixture("wrong_rows.test");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, "wrong_rows.test:6: FAILED")) << run.output;
  EXPECT_TRUE(contains(run.output, "SELECT i, s FROM t ORDER BY i")) << run.output;
  EXPECT_TRUE(contains(run.output, "row 2, column 2: expected 'c' but got 'b'")) << run.output;
  EXPECT_TRUE(contains(run.output, "sqllogictest: 1 passed, 1 failed, 1 skipped")) << run.output;
}

TEST(SqllogictestRunner, WrongErrorMessageFails) {
  RunnerRun run = run_fixture("wrong_error.test");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, "wrong_error.test:3: FAILED")) << run.output;
  EXPECT_TRUE(contains(run.output, "some other message")) << run.output;
  EXPECT_TRUE(contains(run.output, "no_such_table")) << run.output;
}

TEST(SqllogictestRunner, ExpectedErrorThatDoesNotHappenFails) {
  RunnerRun run = run_fixture("unexpected_success.test");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, "statement succeeded but an error was expected")) << run.output;
}

TEST(SqllogictestRunner, FailingStatementOkFails) {
  RunnerRun run = run_fixture("failing_statement.test");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, "failing_statement.test:3: FAILED")) << run.output;
  EXPECT_TRUE(contains(run.output, "statement failed")) << run.output;
}

TEST(SqllogictestRunner, MalformedFileFailsWithItsLine) {
  RunnerRun run = run_fixture("malformed.test");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, "malformed.test:6: query without '----'")) << run.output;
}

TEST(SqllogictestRunner, OneFailingFileFailsTheRun) {
  RunnerRun run = run_runner(std::string(POND_RUNNER_FIXTURES) + "/runner_features.test " + POND_RUNNER_FIXTURES +
                             "/wrong_rows.test");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, " failed, 1 skipped")) << run.output;
}

TEST(SqllogictestRunner, UsageErrorsExitTwo) {
  EXPECT_EQ(run_runner("").exit_code, 2);
  EXPECT_EQ(run_runner("--no-such-option x.test").exit_code, 2);
}

TEST(SqllogictestRunner, MissingFileFails) {
  RunnerRun run = run_runner("/nonexistent/none.test");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, "/nonexistent/none.test")) << run.output;
}

// A folder as scripts/pg-test-server.sh leaves it, for a server that does not run (port 1).
class FakeServerDir {
 public:
  FakeServerDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "pond-fake-server-XXXXXX").string();
    path_ = mkdtemp(pattern.data()) ? pattern : "";
    for (auto [name, value] : {std::pair{"port", "1"},
                               {"host", "127.0.0.1"},
                               {"user", "slt_user"},
                               {"password", "fake-server-pass-789"},
                               {"database", "slt_db"}}) {
      std::ofstream(path_ + "/" + name) << value << "\n";
    }
  }
  ~FakeServerDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name, const std::string& text) const {
    std::ofstream(path_ + "/" + name) << text;
    return path_ + "/" + name;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(SqllogictestRunner, ServerVariablesWithoutTheirServerFailNamingTheOption) {
  RunnerRun run = run_fixture("needs_servers.test");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, "needs_servers.test:3: FAILED")) << run.output;
  EXPECT_TRUE(contains(run.output, "run the runner with --pg-dir")) << run.output;
}

TEST(SqllogictestRunner, ServerVariablesComeFromTheServerFolder) {
  FakeServerDir server;
  RunnerRun run =
      run_runner("--pg-dir " + server.path() + " " + std::string(POND_RUNNER_FIXTURES) + "/needs_servers.test");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, "sqllogictest: 1 passed, 1 failed")) << run.output;  // the query passed
  EXPECT_TRUE(contains(run.output, "mysql-exec needs a test server: run the runner with --mysql-dir")) << run.output;
}

TEST(SqllogictestRunner, ServerCommandsReportAServerThatDoesNotAnswer) {
  FakeServerDir server;
  std::string file = server.file("exec.test", "pg-exec\nSELECT 1\n");
  RunnerRun run = run_runner("--pg-dir " + server.path() + " " + file);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, "cannot connect to the PostgreSQL test server 127.0.0.1:1/slt_db")) << run.output;
  EXPECT_FALSE(contains(run.output, "fake-server-pass-789")) << run.output;

  file = server.file("exec.test", "mysql-exec other_db\nSELECT 1\n");
  run = run_runner("--mysql-dir " + server.path() + " " + file);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, "cannot connect to the MariaDB test server 127.0.0.1:1/other_db")) << run.output;
}

TEST(SqllogictestRunner, MissingServerFolderIsAUsageError) {
  RunnerRun run = run_runner("--pg-dir /nonexistent/server x.test");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_TRUE(contains(run.output, "no port file in /nonexistent/server")) << run.output;
  EXPECT_TRUE(contains(run.output, "pg-test-server.sh start /nonexistent/server")) << run.output;
  EXPECT_EQ(run_runner("--mysql-dir").exit_code, 2);
}

TEST(SqllogictestRunner, PasswordsInResultsFailTheRecord) {
  RunnerRun run = run_fixture("leaked_secret.test");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, "leaked_secret.test:6: FAILED")) << run.output;
  EXPECT_TRUE(contains(run.output, "contains a password")) << run.output;

  FakeServerDir server;
  std::string file = server.file("leak.test", "statement error\nSELECT error('fake-server-pass-789')\n");
  run = run_runner("--pg-dir " + server.path() + " " + file);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, "the error message contains a password")) << run.output;
}

}  // namespace
