#pragma once
// MysqlSettings — how to reach one MySQL/MariaDB source, parsed from the workspace's
// ConnectionSettings: the location (`host=... port=... database=... user=...`, values may be
// quoted, or a `mysql://user@host:port/database?connect_timeout=5` URI), the ATTACH options
// and the resolved secret (password; user, host, port and database when the location does not
// name them). The password comes only from the secret and is never printed. Plain data.
//
// Options (ATTACH (...) or the location) and their defaults:
//   connect_timeout      10   seconds to establish a connection
//   read_timeout         0    seconds a read may wait for the server; 0 waits for ever
//   tinyint1_as_boolean  false  map TINYINT(1) to BOOLEAN instead of TINYINT
//   time_as_interval     false  map TIME to INTERVAL (keeps negative and >= 24 h values)

#include <string>

#include "workspace/connector.hpp"

namespace pond::connectors::mysql {

struct MysqlSettings {
  static constexpr unsigned kDefaultPort = 3306;
  static constexpr unsigned kDefaultConnectTimeout = 10;

  std::string alias;
  std::string host;    // empty: localhost (the client library then uses the default socket)
  unsigned port = 0;   // 0: 3306
  std::string socket;  // unix socket path, optional
  std::string database;
  std::string user;
  std::string password;
  unsigned connect_timeout = kDefaultConnectTimeout;
  unsigned read_timeout = 0;
  bool tinyint1_as_boolean = false;
  bool time_as_interval = false;
  bool read_only = true;  // sessions refuse writes (SET SESSION TRANSACTION READ ONLY)

  // Throws pond::Error(invalid_input) naming the alias and the bad key or value.
  static MysqlSettings parse(const workspace::ConnectionSettings& settings);

  // "127.0.0.1:3306/shop" — where the source lives, for messages (no user, no password).
  std::string endpoint() const;
  // "MySQL source 'shop' (127.0.0.1:3306/shop)" — the prefix of every error message.
  std::string describe() const;
};

}  // namespace pond::connectors::mysql
