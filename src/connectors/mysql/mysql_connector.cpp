#include "connectors/mysql/mysql_connector.hpp"

#include "connectors/mysql/mysql_source.hpp"

namespace pond::connectors::mysql {

std::unique_ptr<workspace::RemoteSource> MysqlConnector::open(const workspace::ConnectionSettings& settings) {
  return MysqlSource::open(settings);
}

}  // namespace pond::connectors::mysql
