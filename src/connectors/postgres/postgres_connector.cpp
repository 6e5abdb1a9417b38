#include "connectors/postgres/postgres_connector.hpp"

#include "connectors/postgres/postgres_source.hpp"

namespace pond::connectors::postgres {

std::unique_ptr<workspace::RemoteSource> PostgresConnector::open(const workspace::ConnectionSettings& settings) {
  return std::make_unique<PostgresSource>(PgSettings::from(settings));
}

}  // namespace pond::connectors::postgres
