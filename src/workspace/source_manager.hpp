#pragma once
// SourceManager — registers, restores and removes sources, keeping the registry and the
// DuckDB instance in agreement: a registry change and the catalog change it records commit
// together (file views), or the instance change is undone when the registry write fails
// (attachments, which DuckDB never persists). Serialized by an internal mutex.

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/connection.hpp"
#include "workspace/remote_sources.hpp"
#include "workspace/secret_store.hpp"
#include "workspace/source.hpp"
#include "workspace/source_registry.hpp"
#include "workspace/workspace.hpp"

namespace pond::workspace {

class SourceManager {
 public:
  // `connection` is the workspace's metadata connection, used only under this manager's lock.
  SourceManager(engine::Connection& connection, bool read_only, std::string workspace_path, RemoteSources& remote);

  // Restores every registered source; a broken one is recorded as unavailable.
  void restore_all();
  void attach(const AttachRequest& request);
  void detach(const std::string& alias, bool if_exists);
  void use_files(const UseFilesRequest& request);
  std::vector<SourceInfo> sources();
  SecretStore& secrets() { return secrets_; }
  SourceRegistry& registry() { return registry_; }

  // Tries to restore one registered source now, whatever its backoff; returns its state.
  SourceInfo retry(const std::string& alias);

  // Unavailable sources whose alias appears among `names` (case-insensitive), after one
  // more restore attempt for each (rate-limited per source).
  std::vector<SourceInfo> unavailable_among(const std::vector<std::string>& names);

 private:
  struct State {
    bool available = false;
    std::string reason;
    std::chrono::steady_clock::time_point last_attempt;
    int attempts = 0;
  };

  void restore(const SourceRecord& record);
  void restore_duckdb(const SourceRecord& record);
  void restore_files(const SourceRecord& record);
  void restore_remote(const SourceRecord& record);
  void attach_remote(const AttachRequest& request, SourceKind kind);
  bool database_attached(const std::string& alias);
  void check_new_alias(const std::string& alias);
  std::vector<std::string> tables_of(const SourceRecord& record);
  void set_state(const std::string& alias, bool available, std::string reason);

  engine::Connection& connection_;
  bool read_only_;
  std::string workspace_path_;
  std::string workspace_name_;
  SourceRegistry registry_;
  RemoteSources& remote_;
  SecretStore secrets_;
  std::mutex mutex_;
  std::map<std::string, State> states_;  // key: lower-cased alias
};

}  // namespace pond::workspace
