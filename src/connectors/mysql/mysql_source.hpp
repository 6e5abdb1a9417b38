#pragma once
// MysqlSource — one attached MySQL/MariaDB server as the workspace sees it: its databases as
// schemas (the database named in the connection is the default schema), tables and views with
// DuckDB-typed columns (cached until refresh()), table scans and native queries as DuckDB
// table-function scans, cancel() through KILL QUERY. Thread-safe: every scan takes its own
// connection from a small pool.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "connectors/mysql/mysql_catalog.hpp"
#include "connectors/mysql/mysql_source_state.hpp"
#include "workspace/connector.hpp"

namespace pond::connectors::mysql {

class MysqlSource final : public workspace::RemoteSource {
 public:
  // Connects once (so that a wrong password or an unreachable server fails here) and finds
  // the default schema. Throws pond::Error(connector / invalid_input).
  static std::unique_ptr<MysqlSource> open(const workspace::ConnectionSettings& settings);

  std::vector<workspace::RemoteTable> tables() override;
  void refresh() override;
  std::string default_schema() const override { return default_schema_; }
  // Throws pond::Error(not_found) naming alias.schema.table when there is no such table.
  std::unique_ptr<engine::BoundScan> scan_table(const std::string& schema, const std::string& table,
                                                workspace::QueryOwner owner = workspace::kNoOwner) override;
  std::unique_ptr<engine::BoundScan> run_query(const std::string& sql,
                                               workspace::QueryOwner owner = workspace::kNoOwner) override;
  void cancel_for(workspace::QueryOwner owner) override;
  void cancel() override;
  void ping() override;

  // The statement the most recently started scan sent to the server.
  std::string last_statement() const { return state_->statement(); }
  const MysqlSettings& settings() const { return state_->settings; }

 private:
  MysqlSource(std::shared_ptr<MysqlSourceState> state, std::string default_schema)
      : state_(std::move(state)), default_schema_(std::move(default_schema)) {}

  std::shared_ptr<const std::vector<CatalogTable>> catalog(bool reload);
  // KILL QUERY for each running statement; cuts the connections the server did not stop.
  void kill(const std::vector<unsigned long>& thread_ids);
  const CatalogTable* find_table(const std::vector<CatalogTable>& catalog, const std::string& schema,
                                 const std::string& table) const;

  std::shared_ptr<MysqlSourceState> state_;
  const std::string default_schema_;
  std::mutex catalog_mutex_;
  std::shared_ptr<const std::vector<CatalogTable>> catalog_;
};

}  // namespace pond::connectors::mysql
