#pragma once
// SqliteSource — one attached SQLite file: its catalog (tables, views, columns with their
// declared types) and scans of its tables and of native queries. Thread-safe.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "connectors/sqlite/active_connections.hpp"
#include "workspace/connector.hpp"

namespace pond::connectors::sqlite {

class SqliteSource : public workspace::RemoteSource {
 public:
  SqliteSource(std::string path, std::string alias, bool all_varchar);

  std::vector<workspace::RemoteTable> tables() override;
  void refresh() override;
  std::string default_schema() const override { return "main"; }
  std::unique_ptr<engine::BoundScan> scan_table(const std::string& schema, const std::string& table,
                                                workspace::QueryOwner owner = workspace::kNoOwner) override;
  std::unique_ptr<engine::BoundScan> run_query(const std::string& sql,
                                               workspace::QueryOwner owner = workspace::kNoOwner) override;
  void cancel_for(workspace::QueryOwner owner) override { active_->interrupt_owner(owner); }
  void cancel() override { active_->interrupt_all(); }
  void ping() override;

 private:
  std::vector<workspace::RemoteTable> load_tables();

  std::string path_;
  std::string alias_;
  bool all_varchar_;
  std::shared_ptr<ActiveConnections> active_ = std::make_shared<ActiveConnections>();
  std::mutex mutex_;
  std::optional<std::vector<workspace::RemoteTable>> tables_;
};

}  // namespace pond::connectors::sqlite
