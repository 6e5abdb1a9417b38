// pg-exec and mysql-exec: native SQL run on a test server through libpq / libmariadb, as the
// server's superuser, to prepare data for a test file.

#include <libpq-fe.h>
#include <mysql.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "remote_server.hpp"

namespace pond::sqllogictest {
namespace {

struct ClosePg {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct ClearPg {
  void operator()(PGresult* result) const { PQclear(result); }
};
struct CloseMysql {
  void operator()(MYSQL* connection) const { mysql_close(connection); }
};

std::string where(const RemoteServer& server, const std::string& database) {
  return server.label() + " test server " + server.host + ":" + server.port + "/" + database;
}

}  // namespace

void pg_exec(const RemoteServer& server, const std::string& database, const std::string& script) {
  const char* keys[] = {"host", "port", "user", "password", "dbname", "connect_timeout", nullptr};
  const char* values[] = {server.host.c_str(),
                          server.port.c_str(),
                          server.user.c_str(),
                          server.password.c_str(),
                          database.c_str(),
                          "10",
                          nullptr};
  std::unique_ptr<PGconn, ClosePg> connection(PQconnectdbParams(keys, values, 0));
  if (!connection || PQstatus(connection.get()) != CONNECTION_OK) {
    throw std::runtime_error("cannot connect to the " + where(server, database) + ": " +
                             (connection ? PQerrorMessage(connection.get()) : "out of memory"));
  }
  // Notices (DROP ... IF EXISTS of a missing object) are not worth showing.
  PQsetNoticeProcessor(
      connection.get(), [](void*, const char*) {}, nullptr);
  // PQexec runs every statement of the script (one implicit transaction unless it has its own).
  std::unique_ptr<PGresult, ClearPg> result(PQexec(connection.get(), script.c_str()));
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
    throw std::runtime_error("the script failed on the " + where(server, database) + ": " +
                             PQerrorMessage(connection.get()));
  }
}

void mysql_exec(const RemoteServer& server, const std::string& database, const std::string& script) {
  std::unique_ptr<MYSQL, CloseMysql> connection(mysql_init(nullptr));
  if (!connection) throw std::runtime_error("mysql_init failed: out of memory");
  unsigned timeout = 10;
  mysql_options(connection.get(), MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_options(connection.get(), MYSQL_SET_CHARSET_NAME, "utf8mb4");
  unsigned port = static_cast<unsigned>(std::stoul(server.port));
  const char* db = database.empty() ? nullptr : database.c_str();
  if (!mysql_real_connect(connection.get(), server.host.c_str(), server.user.c_str(), server.password.c_str(), db, port,
                          nullptr, CLIENT_MULTI_STATEMENTS)) {
    throw std::runtime_error("cannot connect to the " + where(server, database) + ": " + mysql_error(connection.get()));
  }
  auto fail = [&] {
    throw std::runtime_error("the script failed on the " + where(server, database) + ": " +
                             mysql_error(connection.get()));
  };
  if (mysql_real_query(connection.get(), script.data(), script.size()) != 0) fail();
  // Every statement's result must be consumed; an error in a later one shows up here.
  for (;;) {
    if (MYSQL_RES* result = mysql_store_result(connection.get()))
      mysql_free_result(result);
    else if (mysql_field_count(connection.get()) != 0)
      fail();
    int next = mysql_next_result(connection.get());
    if (next == -1) break;
    if (next > 0) fail();
  }
}

}  // namespace pond::sqllogictest
