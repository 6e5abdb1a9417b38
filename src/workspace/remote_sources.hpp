#pragma once
// RemoteSources — the live connections to connector-backed sources (SQLite, PostgreSQL,
// MySQL) of one workspace, by alias, and the table functions pond_scan(alias, schema, table)
// and pond_query(alias, sql) through which DuckDB reads them. Thread-safe. Must outlive the
// DuckDB database its functions are registered in.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/connection.hpp"
#include "engine/table_function.hpp"
#include "workspace/connector.hpp"

namespace pond::workspace {

class RemoteSources {
 public:
  explicit RemoteSources(std::vector<std::shared_ptr<Connector>> connectors);
  ~RemoteSources();

  // Registers pond_scan and pond_query in the database of `connection`.
  void register_functions(engine::Connection& connection);

  // The connector for `kind`, or nullptr when this build has none.
  Connector* connector(SourceKind kind) const;

  void put(const std::string& alias, std::shared_ptr<RemoteSource> source);
  void remove(const std::string& alias);
  // The live source; throws pond::Error(not_found) naming the alias when there is none.
  std::shared_ptr<RemoteSource> get(const std::string& alias) const;
  // Cancels the remote statements that queries of `owner` (a DuckDB connection id) run on
  // any source; other connections' queries go on.
  void cancel_for(QueryOwner owner) const;
  // Cancels the remote statements of every source, whoever runs them.
  void cancel_all() const;

 private:
  std::vector<std::shared_ptr<Connector>> connectors_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<RemoteSource>> sources_;  // key: lower-cased alias
  std::vector<std::unique_ptr<engine::TableFunction>> functions_;
};

}  // namespace pond::workspace
