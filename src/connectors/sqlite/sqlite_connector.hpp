#pragma once
// SqliteConnector — SQLite files as Pond sources: ATTACH 'crm.sqlite' AS crm (TYPE SQLITE
// [, ALL_VARCHAR true]). Files are opened read-only; every scan opens its own connection,
// so any number of DuckDB threads can read at once.

#include <memory>

#include "workspace/connector.hpp"

namespace pond::connectors::sqlite {

class SqliteConnector : public workspace::Connector {
 public:
  workspace::SourceKind kind() const override { return workspace::SourceKind::sqlite; }
  std::unique_ptr<workspace::RemoteSource> open(const workspace::ConnectionSettings& settings) override;
};

}  // namespace pond::connectors::sqlite
