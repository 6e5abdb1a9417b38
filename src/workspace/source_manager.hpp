#pragma once
// SourceManager — registers, restores and removes sources, keeping the registry and the
// DuckDB instance in agreement: a registry change and the catalog change it records commit
// together (file views), or the instance change is undone when the registry write fails
// (attachments, which DuckDB never persists). Serialized by an internal mutex.

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/connection.hpp"
#include "engine/error.hpp"
#include "workspace/remote_sources.hpp"
#include "workspace/secret_store.hpp"
#include "workspace/source.hpp"
#include "workspace/source_registry.hpp"
#include "workspace/workspace.hpp"

namespace pond::workspace {

// The error for a statement that needs `info`'s unavailable source: not_found ("fix it and
// retry") for a failure that may pass, connector ("fix its secret") for one that will not.
Error unavailable_source_error(const SourceInfo& info);

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
  // Every column of every table and view of the source, in catalog order. Throws
  // pond::Error(not_found) for an unknown alias or one that is unavailable (after one more
  // restore attempt).
  std::vector<SourceColumn> columns_of(const std::string& alias);
  SecretStore& secrets() { return secrets_; }
  SourceRegistry& registry() { return registry_; }

  // The registered record of `alias` (case-insensitive), or nullopt.
  std::optional<SourceRecord> find(const std::string& alias);
  // Every registered record, in registry order (no restore attempt).
  std::vector<SourceRecord> records();
  // Registers `record` exactly as given (created_at included) and restores it as opening the
  // workspace does: a source that cannot be reached is listed as unavailable, not an error.
  // Puts back a source that detach() removed. Throws invalid_input when the alias is taken.
  void put_back(const SourceRecord& record);

  // Tries to restore one registered source now, whatever its backoff; returns its state.
  SourceInfo retry(const std::string& alias);

  // Unavailable sources whose alias appears among `names` (case-insensitive), after one
  // more restore attempt for each (rate-limited per source; none for a failure that retrying
  // cannot cure, such as a wrong password).
  std::vector<SourceInfo> unavailable_among(const std::vector<std::string>& names);

  // A secret was created, replaced or dropped: sources refused for their credentials are tried
  // again on their next use.
  void secrets_changed();

  // Whether some registered source is unavailable now. Lock-free: a hint for callers that
  // would otherwise pay for unavailable_among() on every statement.
  bool any_unavailable() const { return unavailable_count_.load(std::memory_order_relaxed) > 0; }

 private:
  struct State {
    bool available = false;
    std::string reason;
    std::chrono::steady_clock::time_point last_attempt;
    int attempts = 0;
    bool futile = false;  // the last failure was Retry::futile
  };

  void restore(const SourceRecord& record);
  void restore_duckdb(const SourceRecord& record);
  void restore_files(const SourceRecord& record);
  void restore_remote(const SourceRecord& record);
  void attach_remote(const AttachRequest& request, SourceKind kind);
  bool database_attached(const std::string& alias);
  void check_new_alias(const std::string& alias);
  std::vector<std::string> tables_of(const SourceRecord& record);
  void set_state(const std::string& alias, bool available, std::string reason, bool futile = false);
  void count_unavailable();  // refreshes unavailable_count_ after states_ changed

  engine::Connection& connection_;
  bool read_only_;
  std::string workspace_path_;
  std::string workspace_name_;
  SourceRegistry registry_;
  RemoteSources& remote_;
  SecretStore secrets_;
  std::mutex mutex_;
  std::map<std::string, State> states_;  // key: lower-cased alias
  std::atomic<size_t> unavailable_count_{0};
};

}  // namespace pond::workspace
