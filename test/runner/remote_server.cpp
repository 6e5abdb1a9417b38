#include "remote_server.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

extern char** environ;

namespace pond::sqllogictest {
namespace {

// The first line of DIR/name; empty when the file is missing and `required` is false.
std::string read_value(const std::string& dir, const std::string& name, bool required) {
  std::ifstream in(dir + "/" + name);
  std::string line;
  if (!in || !std::getline(in, line) || line.empty()) {
    if (!required) return {};
    throw std::runtime_error("no " + name + " file in " + dir);
  }
  return line;
}

std::string script_path(RemoteServer::Kind kind) {
  return std::string(POND_SCRIPTS_DIR) +
         (kind == RemoteServer::Kind::postgres ? "/pg-test-server.sh" : "/mariadb-test-server.sh");
}

// Runs the test-server script with `action` and the server's folder; its output goes to
// stderr (the runner's log).
void run_script(const RemoteServer& server, const std::string& action) {
  std::string script = script_path(server.kind);
  std::vector<std::string> words = {script, action, server.dir};
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, script.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot run " + script + ": " + std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("cannot wait for " + script + ": " + std::strerror(errno));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error(script + " " + action + " " + server.dir + " failed (see its output above)");
  }
}

}  // namespace

// Defined in server_admin.cpp.
void pg_exec(const RemoteServer& server, const std::string& database, const std::string& script);
void mysql_exec(const RemoteServer& server, const std::string& database, const std::string& script);

RemoteServer RemoteServer::load(Kind kind, const std::string& dir) {
  RemoteServer server;
  server.kind = kind;
  server.dir = dir;
  try {
    server.port = read_value(dir, "port", true);
    server.user = read_value(dir, "user", true);
    server.password = read_value(dir, "password", true);
    server.database = read_value(dir, "database", true);
  } catch (const std::runtime_error& error) {
    throw std::runtime_error(std::string(error.what()) + ": no " + server.label() +
                             " test server there; start one with " + script_path(kind) + " start " + dir);
  }
  server.host = read_value(dir, "host", false);
  if (server.host.empty()) server.host = "127.0.0.1";
  return server;
}

std::string RemoteServer::label() const { return kind == Kind::postgres ? "PostgreSQL" : "MariaDB"; }

std::string RemoteServer::variable_prefix() const { return kind == Kind::postgres ? "PG" : "MYSQL"; }

std::string RemoteServer::password_env() const {
  return kind == Kind::postgres ? "POND_SLT_PG_PASSWORD" : "POND_SLT_MYSQL_PASSWORD";
}

void RemoteServer::exec(const std::string& database_name, const std::string& script) const {
  const std::string& target = database_name.empty() ? database : database_name;
  if (kind == Kind::postgres) {
    pg_exec(*this, target, script);
  } else {
    mysql_exec(*this, target, script);
  }
}

void RemoteServer::stop() const { run_script(*this, kind == Kind::postgres ? "pause" : "stop"); }

void RemoteServer::start() const { run_script(*this, "resume"); }

}  // namespace pond::sqllogictest
