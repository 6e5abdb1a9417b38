#pragma once
// RemoteServer — a throwaway PostgreSQL or MariaDB server that a CTest fixture started with
// scripts/pg-test-server.sh or scripts/mariadb-test-server.sh. Those scripts write the
// server's port, host, user, password and database into files of their folder; load() reads
// them. The runner uses it for ${PG_PORT}-style variables, for pg-exec / mysql-exec (native
// SQL run on the server as its superuser, to prepare data) and for stopping and restarting
// the server in failure tests. A value type; exec() and control() may be called from any
// thread (each call opens its own connection or process).

#include <string>

namespace pond::sqllogictest {

struct RemoteServer {
  enum class Kind { postgres, mysql };

  Kind kind = Kind::postgres;
  std::string dir;  // the folder the script was given
  std::string host;
  std::string port;
  std::string user;
  std::string password;
  std::string database;

  // Reads the files the script wrote into `dir`. Throws std::runtime_error naming the folder
  // and the script to run when they are missing.
  static RemoteServer load(Kind kind, const std::string& dir);

  // "PostgreSQL" or "MariaDB", for messages.
  std::string label() const;
  // The prefix of this server's runner variables: "PG" or "MYSQL".
  std::string variable_prefix() const;
  // The environment variable the runner puts the password in (for PASSWORD_ENV).
  std::string password_env() const;

  // Runs `script` (any number of statements, the server's own SQL) on `database_name`, or on
  // the server's database when empty. Throws std::runtime_error with the server's message.
  void exec(const std::string& database_name, const std::string& script) const;

  // Stops the server (keeping its data; connected clients are cut off) or starts it again on
  // the same port, through the script. Throws std::runtime_error when the script fails.
  void stop() const;
  void start() const;
};

}  // namespace pond::sqllogictest
