#pragma once
// Executor — runs the records of one parsed test file against a pond::workspace::Workspace,
// in order, and stops at the first record that fails (later records usually depend on it).
// Each file gets a fresh temporary folder (__TEST_DIR__) and starts on an in-memory
// workspace; 'load' switches to a workspace file, 'restart' reopens it. Failures are written
// to the log with file:line, the SQL, and expected vs actual. A record whose result or error
// message contains a password (a test server's, or one given as PASSWORD '...' or password=...
// in the file) fails. Not thread-safe.

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "remote_server.hpp"
#include "test_file.hpp"
#include "workspace/workspace.hpp"

namespace pond::sqllogictest {

struct RunnerOptions {
  std::string data_dir;                  // replaces {DATA_DIR}
  bool keep_temp = false;                // keep __TEST_DIR__ after the run (for debugging)
  bool verbose = false;                  // log every record before running it
  std::optional<RemoteServer> postgres;  // ${PG_*}, pg-exec, pg-stop / pg-start
  std::optional<RemoteServer> mysql;     // ${MYSQL_*}, mysql-exec, mysql-stop / mysql-start
};

struct FileOutcome {
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;  // records not run because an earlier one failed
};

class Executor {
 public:
  Executor(RunnerOptions options, std::ostream& log);
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;
  ~Executor();

  FileOutcome run(const TestFile& file);

 private:
  // Each returns an empty string on success, or why the record failed.
  std::string run_statement(const StatementRecord& record);
  std::string run_query(const QueryRecord& record);
  std::string run_command(const CommandRecord& record);

  // Replaces __TEST_DIR__, {DATA_DIR} and the servers' ${...} variables. A ${PG_...} or
  // ${MYSQL_...} without its server throws std::runtime_error, unless `lenient`.
  std::string substitute(std::string text, bool lenient = false) const;
  const RemoteServer& server(const std::string& command_prefix) const;
  void start_background(unsigned milliseconds, const std::string& action);
  void join_background();
  void remember_secrets(const std::string& sql);
  // Empty, or why `text` must not be shown (it contains a password).
  std::string leaked_secret(const std::string& text) const;
  void open_workspace();
  void close_workspace();
  void report_failure(const TestFile& file, const Record& record, const std::string& reason);

  RunnerOptions options_;
  std::ostream& log_;
  std::filesystem::path test_dir_;
  workspace::WorkspaceOptions workspace_options_;
  std::unique_ptr<workspace::Workspace> workspace_;
  std::vector<std::string> secrets_;  // passwords that no output may contain
  std::thread background_;            // an 'after' action
  std::string background_error_;      // set by the background thread; read after join
};

}  // namespace pond::sqllogictest
