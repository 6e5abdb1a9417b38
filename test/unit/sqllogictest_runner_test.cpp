// The pond_sqllogictest executable, run on the fixtures in test/runner/fixtures: a passing file
// passes, and every kind of wrong expectation makes it fail with the file and line.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
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

}  // namespace
