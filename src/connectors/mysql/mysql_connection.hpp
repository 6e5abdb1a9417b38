#pragma once
// MysqlConnection — one connection to a MySQL/MariaDB server (RAII over libmariadb's MYSQL*),
// set up for Pond: utf8mb4, session time_zone '+00:00' (so TIMESTAMP values arrive in UTC),
// read-only transactions for read-only sources, connect/read timeouts from the settings,
// LOCAL INFILE off. Move-only. Used by one thread at
// a time, except abort_io(), which another thread may call to break a blocking read.
//
// Every failure throws pond::Error whose message starts with MysqlSettings::describe() and
// never contains the password.

#include <mysql.h>

#include <atomic>
#include <string>
#include <string_view>

#include "connectors/mysql/mysql_result.hpp"
#include "connectors/mysql/mysql_settings.hpp"

namespace pond::connectors::mysql {

class MysqlConnection {
 public:
  // Connects; throws pond::Error(connector) with a distinct message for a wrong password
  // (1045), an unknown database (1049) and an unreachable server (2002/2003/2005).
  static MysqlConnection open(const MysqlSettings& settings);

  MysqlConnection() = default;
  MysqlConnection(MysqlConnection&& other) noexcept;
  MysqlConnection& operator=(MysqlConnection&& other) noexcept;
  MysqlConnection(const MysqlConnection&) = delete;
  MysqlConnection& operator=(const MysqlConnection&) = delete;
  ~MysqlConnection();

  // Runs a statement that returns no rows (or whose rows are discarded).
  void execute(std::string_view sql, std::string_view doing = "running a statement");
  // Runs a statement and returns its error code (0: success) instead of throwing.
  unsigned try_execute(std::string_view sql) noexcept;
  // Runs a query and reads its whole result into memory: for small (catalog) results.
  MysqlResult query(std::string_view sql, std::string_view doing = "running a query");
  // Runs a query and returns its rows as a stream (mysql_use_result): memory stays bounded.
  // The connection can run nothing else until the result is read to the end or destroyed.
  MysqlResult stream(std::string_view sql, std::string_view doing = "running a query");

  void ping();
  // True when the server has closed or written to this idle connection (it shut down, or
  // timed the session out): no round trip, the socket is only polled.
  bool closed_by_server() const noexcept;
  // The server's id for this connection, as KILL QUERY wants it.
  unsigned long thread_id() const;
  // Makes blocking reads and writes fail at once (mariadb_cancel); the connection is then
  // broken. Safe from another thread while this connection is in use.
  void abort_io() noexcept;
  // True once the network connection failed: the connection must not be reused.
  bool broken() const { return broken_.load(); }
  bool valid() const { return handle_ != nullptr; }

  // Throws the pond::Error for the connection's last error; `doing` says what failed
  // ("reading table shop.orders"). Marks the connection broken on client/network errors.
  [[noreturn]] void throw_last_error(std::string_view doing);

  MYSQL* handle() const { return handle_; }
  const std::string& origin() const { return origin_; }

 private:
  MysqlConnection(MYSQL* handle, std::string origin) : handle_(handle), origin_(std::move(origin)) {}

  MYSQL* handle_ = nullptr;
  std::string origin_;  // MysqlSettings::describe(), for messages
  std::atomic<bool> broken_ = false;
};

// Makes libmariadb ready for use in the calling thread (library init once per process,
// mysql_thread_init once per thread, mysql_thread_end when the thread exits).
void ensure_client_thread();

}  // namespace pond::connectors::mysql
