#include "cli_test_support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace pond::e2e {
namespace {

// The child's environment: ours, minus what would make a test depend on the user's setup.
std::vector<std::string> child_environment(const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    if (entry.starts_with("POND_WORKSPACE=") || entry.starts_with("POND_HISTORY=") || entry.starts_with("COLUMNS="))
      continue;
    env.push_back(entry);
  }
  env.push_back("POND_HISTORY=");
  for (const auto& [name, value] : extra) env.push_back(name + "=" + value);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

TempDir::TempDir() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() /
          ("pond-e2e-" + std::to_string(getpid()) + "-" + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

PondProcess::PondProcess(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                         const std::string& stdin_text) {
  // stdin comes from a file so that writing it can never block on a full pipe.
  std::filesystem::path input = cwd / (".stdin-" + std::to_string(std::random_device{}()));
  std::ofstream(input, std::ios::binary) << stdin_text;
  int out_pipe[2];
  int err_pipe[2];
  check(pipe2(out_pipe, O_CLOEXEC) == 0 && pipe2(err_pipe, O_CLOEXEC) == 0, "pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, input.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  std::vector<std::string> argv_strings{POND_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = child_environment({});
  auto argv = pointers(argv_strings);
  auto envp = pointers(env_strings);
  const int rc = posix_spawn(&pid_, POND_BINARY, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  out_fd_ = out_pipe[0];
  err_fd_ = err_pipe[0];
  std::filesystem::remove(input);  // the child has it open already
  if (rc != 0) throw std::runtime_error(std::string("posix_spawn: ") + std::strerror(rc));
}

PondProcess::~PondProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (out_fd_ >= 0) close(out_fd_);
  if (err_fd_ >= 0) close(err_fd_);
}

RunResult PondProcess::finish(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  RunResult result;
  pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  while (open_count > 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      break;
    }
    if (poll(fds, 2, 100) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[65536];
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  result.exit_code = exit_code_of(status);
  return result;
}

RunResult run_pond(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                   const std::string& stdin_text) {
  return PondProcess(args, cwd, stdin_text).finish();
}

PtySession::PtySession(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                       const std::vector<std::pair<std::string, std::string>>& env) {
  std::vector<std::string> argv_strings{POND_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = child_environment(env);
  auto argv = pointers(argv_strings);
  auto envp = pointers(env_strings);
  winsize size{};
  size.ws_row = 50;
  size.ws_col = 160;
  pid_ = forkpty(&master_, nullptr, nullptr, &size);
  check(pid_ >= 0, "forkpty");
  if (pid_ == 0) {
    if (chdir(cwd.c_str()) != 0) _exit(127);
    execve(POND_BINARY, argv.data(), envp.data());
    _exit(127);
  }
}

PtySession::~PtySession() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (master_ >= 0) close(master_);
}

void PtySession::send(const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(master_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    check(n >= 0, "write to pty");
    done += static_cast<size_t>(n);
  }
}

void PtySession::read_available(int timeout_ms) {
  pollfd fd{master_, POLLIN, 0};
  if (poll(&fd, 1, timeout_ms) <= 0) return;
  char buffer[65536];
  ssize_t n = read(master_, buffer, sizeof buffer);
  if (n > 0) transcript_.append(buffer, static_cast<size_t>(n));
}

bool PtySession::wait_for(const std::string& needle, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    size_t at = transcript_.find(needle, seen_);
    if (at != std::string::npos) {
      seen_ = at + needle.size();
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    read_available(50);
  }
}

int PtySession::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    read_available(20);
    int status = 0;
    pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = -1;
      for (int i = 0; i < 5; ++i) read_available(10);
      return exit_code_of(status);
    }
  }
  return -1;
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace pond::e2e
