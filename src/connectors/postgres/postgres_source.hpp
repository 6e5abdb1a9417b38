#pragma once
// PostgresSource — a live PostgreSQL source: the RemoteSource the workspace asks for tables,
// scans and native queries. Its catalog is cached until refresh(); each scan and query borrows
// connections from the source's pool (several for a parallel scan). Thread-safe: any number
// of threads may bind, scan and cancel at once.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "connectors/postgres/pg_context.hpp"
#include "workspace/connector.hpp"

namespace pond::connectors::postgres {

class PostgresSource : public workspace::RemoteSource {
 public:
  // Connects once to check the settings; throws pond::Error(connector) when that fails.
  explicit PostgresSource(PgSettings settings);

  std::vector<workspace::RemoteTable> tables() override;
  void refresh() override;
  std::string default_schema() const override;
  std::unique_ptr<engine::BoundScan> scan_table(const std::string& schema, const std::string& table,
                                                workspace::QueryOwner owner = workspace::kNoOwner) override;
  std::unique_ptr<engine::BoundScan> run_query(const std::string& sql,
                                               workspace::QueryOwner owner = workspace::kNoOwner) override;
  // Cancels the COPYs and queries of `owner`'s query running now; they throw
  // pond::Error(cancelled).
  void cancel_for(workspace::QueryOwner owner) override;
  // Cancels every COPY and query of this source running now.
  void cancel() override;
  // Opens a connection (within connect_timeout) and runs SELECT 1.
  void ping() override;

  // Sees every statement a scan or query sends (tests, logging). Thread-safe.
  void set_statement_observer(PgContext::Observer observer) { context_->set_observer(std::move(observer)); }
  const PgSettings& settings() const { return context_->settings(); }

 private:
  std::shared_ptr<PgContext> context_;
  std::mutex mutex_;
  std::optional<std::vector<workspace::RemoteTable>> tables_;
};

}  // namespace pond::connectors::postgres
