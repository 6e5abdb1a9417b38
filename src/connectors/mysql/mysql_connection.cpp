#include "connectors/mysql/mysql_connection.hpp"

#include <errmsg.h>
#include <poll.h>

#include <mutex>

#include "connectors/mysql/mysql_error.hpp"
#include "engine/error.hpp"

namespace pond::connectors::mysql {
namespace {

struct ClientThread {
  ClientThread() { mysql_thread_init(); }
  ~ClientThread() { mysql_thread_end(); }
  ClientThread(const ClientThread&) = delete;
  ClientThread& operator=(const ClientThread&) = delete;
};

const char* c_str_or_null(const std::string& text) { return text.empty() ? nullptr : text.c_str(); }

void set_option(MYSQL* handle, mysql_option option, const void* value, const std::string& origin) {
  if (mysql_options(handle, option, value) != 0) {
    throw Error(ErrorKind::internal,
                origin + ": the client library rejected connection option " + std::to_string(static_cast<int>(option)));
  }
}

}  // namespace

void ensure_client_thread() {
  static std::once_flag library_once;
  std::call_once(library_once, [] {
    if (mysql_library_init(0, nullptr, nullptr) != 0) {
      throw Error(ErrorKind::internal, "cannot initialise the MySQL client library");
    }
  });
  thread_local ClientThread thread;
}

MysqlConnection MysqlConnection::open(const MysqlSettings& settings) {
  ensure_client_thread();
  std::string origin = settings.describe();
  MYSQL* handle = mysql_init(nullptr);
  if (!handle) throw Error(ErrorKind::internal, origin + ": out of memory creating a MySQL connection");
  MysqlConnection connection(handle, origin);

  unsigned connect_timeout = settings.connect_timeout;
  set_option(handle, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout, origin);
  if (settings.read_timeout > 0) {
    unsigned read_timeout = settings.read_timeout;
    set_option(handle, MYSQL_OPT_READ_TIMEOUT, &read_timeout, origin);
    set_option(handle, MYSQL_OPT_WRITE_TIMEOUT, &read_timeout, origin);
  }
  set_option(handle, MYSQL_SET_CHARSET_NAME, "utf8mb4", origin);
  unsigned local_infile = 0;
  set_option(handle, MYSQL_OPT_LOCAL_INFILE, &local_infile, origin);

  unsigned port = settings.port == 0 ? MysqlSettings::kDefaultPort : settings.port;
  if (!mysql_real_connect(handle, c_str_or_null(settings.host), c_str_or_null(settings.user),
                          c_str_or_null(settings.password), c_str_or_null(settings.database), port,
                          c_str_or_null(settings.socket), 0)) {
    connection.throw_last_error("connecting");
  }
  // UTC for TIMESTAMP columns; a long write timeout because DuckDB may pause between chunks of
  // a streamed result while the server waits to send more.
  connection.execute("SET time_zone = '+00:00', net_write_timeout = 3600", "setting up the session");
  if (settings.read_only) connection.execute("SET SESSION TRANSACTION READ ONLY", "setting up the session");
  return connection;
}

MysqlConnection::MysqlConnection(MysqlConnection&& other) noexcept
    : handle_(other.handle_), origin_(std::move(other.origin_)), broken_(other.broken_.load()) {
  other.handle_ = nullptr;
}

MysqlConnection& MysqlConnection::operator=(MysqlConnection&& other) noexcept {
  if (this != &other) {
    if (handle_) mysql_close(handle_);
    handle_ = other.handle_;
    origin_ = std::move(other.origin_);
    broken_ = other.broken_.load();
    other.handle_ = nullptr;
  }
  return *this;
}

MysqlConnection::~MysqlConnection() {
  if (handle_) mysql_close(handle_);
}

void MysqlConnection::execute(std::string_view sql, std::string_view doing) {
  if (mysql_real_query(handle_, sql.data(), sql.size()) != 0) throw_last_error(doing);
  // Statements that return rows anyway (SHOW ...) must be read before the next one.
  MysqlResult discard(mysql_store_result(handle_));
  if (!discard && mysql_errno(handle_) != 0) throw_last_error(doing);
}

unsigned MysqlConnection::try_execute(std::string_view sql) noexcept {
  if (mysql_real_query(handle_, sql.data(), sql.size()) != 0) {
    unsigned code = mysql_errno(handle_);
    if (is_client_error(code)) broken_ = true;
    return code;
  }
  MysqlResult discard(mysql_store_result(handle_));
  return mysql_errno(handle_);
}

MysqlResult MysqlConnection::query(std::string_view sql, std::string_view doing) {
  if (mysql_real_query(handle_, sql.data(), sql.size()) != 0) throw_last_error(doing);
  MysqlResult result(mysql_store_result(handle_));
  if (!result && mysql_errno(handle_) != 0) throw_last_error(doing);
  return result;
}

MysqlResult MysqlConnection::stream(std::string_view sql, std::string_view doing) {
  if (mysql_real_query(handle_, sql.data(), sql.size()) != 0) throw_last_error(doing);
  MysqlResult result(mysql_use_result(handle_));
  if (!result && mysql_errno(handle_) != 0) throw_last_error(doing);
  return result;
}

void MysqlConnection::ping() {
  if (mysql_ping(handle_) != 0) throw_last_error("checking the connection");
}

bool MysqlConnection::closed_by_server() const noexcept {
  if (!handle_) return true;
  pollfd socket{static_cast<int>(mysql_get_socket(handle_)), POLLIN, 0};
  if (socket.fd < 0) return true;
  // An idle connection gets nothing from the server unless it is going away (an error packet
  // such as "server shutdown in progress", then the end of the stream).
  return poll(&socket, 1, 0) != 0;
}

unsigned long MysqlConnection::thread_id() const { return mysql_thread_id(handle_); }

void MysqlConnection::abort_io() noexcept {
  if (handle_) mariadb_cancel(handle_);
  broken_ = true;
}

void MysqlConnection::throw_last_error(std::string_view doing) {
  unsigned code = mysql_errno(handle_);
  if (code == 0) code = CR_UNKNOWN_ERROR;
  if (is_client_error(code)) broken_ = true;
  throw_mysql_error(code, mysql_error(handle_), origin_, doing);
}

}  // namespace pond::connectors::mysql
