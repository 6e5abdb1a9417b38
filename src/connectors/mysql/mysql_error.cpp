#include "connectors/mysql/mysql_error.hpp"

#include <errmsg.h>
#include <mysqld_error.h>

#include "engine/error.hpp"

namespace pond::connectors::mysql {

bool is_client_error(unsigned code) { return (code >= 2000 && code < 3000) || (code >= 5000 && code < 6000); }

void throw_mysql_error(unsigned code, std::string_view message, const std::string& origin, std::string_view doing) {
  std::string server = " (MySQL error " + std::to_string(code) + ": " + std::string(message) + ")";
  std::string prefix = origin + ": ";
  // Refusals that stay until the secret or the server's grants change: never retried.
  switch (code) {
    case ER_ACCESS_DENIED_ERROR:
    case ER_ACCESS_DENIED_NO_PASSWORD_ERROR:
      throw Error(ErrorKind::connector,
                  prefix + "access denied; check the user and the password in the source's secret" + server,
                  Retry::futile);
    case ER_DBACCESS_DENIED_ERROR:
      throw Error(ErrorKind::connector,
                  prefix + "the user may not use this database; grant access or pick another" + server, Retry::futile);
    case ER_BAD_DB_ERROR:
      throw Error(ErrorKind::connector, prefix + "unknown database; check the database name" + server, Retry::futile);
    case ER_HOST_NOT_PRIVILEGED:
      throw Error(ErrorKind::connector, prefix + "the server does not let this host connect; grant access" + server,
                  Retry::futile);
    case ER_ACCOUNT_HAS_BEEN_LOCKED:
    case ER_MUST_CHANGE_PASSWORD_LOGIN:
      throw Error(ErrorKind::connector,
                  prefix + "the account cannot log in (locked or its password expired); fix it on the server" + server,
                  Retry::futile);
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
      throw Error(ErrorKind::connector,
                  prefix + "cannot reach the server; is it running and listening on that host and port?" + server);
    case CR_UNKNOWN_HOST:
      throw Error(ErrorKind::connector, prefix + "unknown host; check the host name" + server);
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_ERR_NET_READ:
    case CR_ERR_NET_WRITE:
    case ER_SERVER_SHUTDOWN:
    case ER_CONNECTION_KILLED:
      throw Error(ErrorKind::connector, prefix + "lost the connection to the server while " + std::string(doing) +
                                            " (server stopped, restarted or unreachable)" + server);
    case ER_QUERY_INTERRUPTED:
    case ER_STATEMENT_TIMEOUT:
      throw Error(ErrorKind::cancelled,
                  prefix + "the server interrupted the query while " + std::string(doing) + server);
    case ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION:
    case ER_READ_ONLY_TRANSACTION:
      throw Error(ErrorKind::invalid_input,
                  prefix + "the source is attached read-only and the statement writes" + server);
    case ER_NO_SUCH_TABLE:
      throw Error(ErrorKind::not_found, prefix + std::string(message) + " while " + std::string(doing));
    case ER_PARSE_ERROR:
    case ER_BAD_FIELD_ERROR:
    case ER_UNSUPPORTED_PS:
    case ER_VIEW_INVALID:
      throw Error(ErrorKind::invalid_input,
                  prefix + "the server rejected the SQL while " + std::string(doing) + server);
    default:
      throw Error(ErrorKind::connector, prefix + "failed while " + std::string(doing) + server);
  }
}

}  // namespace pond::connectors::mysql
