#pragma once
// ServerProcess — a real `pond serve` child process for the server tests: started on a free
// loopback port (read from its first stdout line), stopped with SIGTERM (graceful) or
// SIGKILL when the test is done. Not thread-safe; one owner.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace pond::server_test {

class ServerProcess {
 public:
  // Runs `pond serve --listen 127.0.0.1:0 <extra_args...>` in `cwd` with `env` added
  // ("NAME=VALUE"). Throws std::runtime_error when it does not print its address in time.
  ServerProcess(const std::string& pond, const std::vector<std::string>& extra_args, const std::string& cwd,
                const std::vector<std::string>& env = {});
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess();

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Resident memory of the server in KiB (from /proc).
  long rss_kib() const;
  // SIGTERM, then waits up to `timeout`; returns the exit code (128 + signal if killed).
  int stop(std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int out_fd_ = -1;
};

}  // namespace pond::server_test
