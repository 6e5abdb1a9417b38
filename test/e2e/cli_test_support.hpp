#pragma once
// Helpers for the CLI end-to-end tests: a temporary folder per test, running `pond` as a child
// process (pipes for stdin/stdout/stderr, or a pseudo-terminal) and collecting what it did.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace pond::e2e {

// A fresh folder under the system temp folder, removed with everything in it at the end.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct RunResult {
  int exit_code = -1;  // 128 + signal when the process was killed by one
  std::string out;
  std::string err;
};

// A running `pond` with stdin fed from a string and stdout/stderr captured.
class PondProcess {
 public:
  PondProcess(const std::vector<std::string>& args, const std::filesystem::path& cwd,
              const std::string& stdin_text = "");
  PondProcess(const PondProcess&) = delete;
  PondProcess& operator=(const PondProcess&) = delete;
  ~PondProcess();

  pid_t pid() const { return pid_; }
  // Reads stdout and stderr to the end and waits for the exit; after `timeout` the process
  // is killed (exit code 128 + SIGKILL) so that a hanging test still ends.
  RunResult finish(std::chrono::milliseconds timeout = std::chrono::seconds(90));

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
};

// Runs `pond args...` in `cwd` to completion.
RunResult run_pond(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                   const std::string& stdin_text = "");

// `pond` on a pseudo-terminal (stdin, stdout and stderr all on it), as a user would run it.
class PtySession {
 public:
  PtySession(const std::vector<std::string>& args, const std::filesystem::path& cwd,
             const std::vector<std::pair<std::string, std::string>>& env = {});
  PtySession(const PtySession&) = delete;
  PtySession& operator=(const PtySession&) = delete;
  ~PtySession();

  void send(const std::string& text);
  // Reads until everything printed since the last call contains `needle`; false on timeout.
  bool wait_for(const std::string& needle, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Everything read so far.
  const std::string& transcript() const { return transcript_; }
  // Waits for the exit; returns the exit code (128 + signal when killed).
  int wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(20));

 private:
  void read_available(int timeout_ms);

  pid_t pid_ = -1;
  int master_ = -1;
  std::string transcript_;
  size_t seen_ = 0;
};

std::string read_file(const std::filesystem::path& file);

}  // namespace pond::e2e
