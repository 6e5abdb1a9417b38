#pragma once
// MysqlConnector — the workspace's connector for MySQL and MariaDB servers (libmariadb).
// open() takes a location like `host=127.0.0.1 port=3306 database=shop user=analyst` or
// `mysql://analyst@127.0.0.1:3306/shop`, the password from the secret, and the options listed
// in mysql_settings.hpp. Stateless; thread-safe.

#include <memory>

#include "workspace/connector.hpp"

namespace pond::connectors::mysql {

class MysqlConnector final : public workspace::Connector {
 public:
  workspace::SourceKind kind() const override { return workspace::SourceKind::mysql; }
  std::unique_ptr<workspace::RemoteSource> open(const workspace::ConnectionSettings& settings) override;
};

}  // namespace pond::connectors::mysql
