#pragma once
// PostgresConnector — the workspace's entry to PostgreSQL sources (ATTACH ... (TYPE POSTGRES)).
// open() reads the connection string (libpq key=value or postgresql:// URI, without password),
// takes user/password/host/port/dbname from the secret, checks the options (connect_timeout,
// statement_timeout, schema, pages_per_task, max_connections), connects once and returns the
// live source. Stateless; thread-safe.

#include <memory>

#include "workspace/connector.hpp"

namespace pond::connectors::postgres {

class PostgresConnector : public workspace::Connector {
 public:
  workspace::SourceKind kind() const override { return workspace::SourceKind::postgres; }
  std::unique_ptr<workspace::RemoteSource> open(const workspace::ConnectionSettings& settings) override;
};

}  // namespace pond::connectors::postgres
