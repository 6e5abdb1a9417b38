#pragma once
// Materializations — DuckDB tables filled from a source query, with provenance (source,
// query, rows, started/finished, duration). Ephemeral ones live in the in-memory database
// `pond_ephemeral` attached for the session (gone on restart); persistent ones live in the
// workspace file. Both resolve by bare name: the connection's search_path covers both.
// A refresh builds the new table beside the old one and swaps them in one transaction, so
// readers see the old table or the new one, never half. Uses the caller's connection (so
// that interrupt() cancels a running materialization); not thread-safe.
//
// The staging table is `<name>__pond_staging`, created in one transaction with a comment that
// marks it as Pond's (kStagingMarker); the swap renames it and clears the comment. A process
// killed between the two leaves it behind: drop_leftover_staging() removes it at the next
// read-write open.

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "engine/connection.hpp"
#include "engine/result.hpp"

namespace pond::workspace {

class SourceManager;

class Materializations {
 public:
  static constexpr const char* kEphemeralCatalog = "pond_ephemeral";
  static constexpr const char* kStagingSuffix = "__pond_staging";
  static constexpr const char* kStagingMarker = "pond: staging table of a materialization, not yet swapped in";

  // Drops, in one transaction, the staging tables a killed or crashed build left in the
  // workspace's main schema (`connection`'s current database), and returns their names. A
  // table counts as one only when its name is `<M>__pond_staging` (case-insensitively) and
  // either M is a persistent materialization recorded in pond_meta.materializations (a
  // refresh of M drops and rebuilds that table anyway) or the table carries kStagingMarker
  // (a first MATERIALIZE PERSISTENT killed before its provenance existed). Any other table
  // whose name merely ends in the suffix is the user's and is kept. Needs write access and the
  // registry schema (SourceRegistry::ensure_schema).
  static std::vector<std::string> drop_leftover_staging(engine::Connection& connection);

  Materializations(engine::Connection& connection, SourceManager& sources, bool read_only);

  // Makes `connection` resolve bare names in the workspace first, then in pond_ephemeral.
  void apply_search_path(engine::Connection& connection) const;
  // The same for a connection opened later (Workspace::open_connection: the server opens one
  // per request), but only once an ephemeral materialization exists: until then a new
  // connection resolves bare names in the workspace already, and SET search_path is a
  // statement as costly as a small query. Thread-safe.
  void prepare_connection(engine::Connection& connection) const;

  // Returns the number of rows materialized.
  int64_t create(const std::string& name, const std::string& source, const std::string& query, bool persistent);
  int64_t refresh(const std::string& name);
  void drop(const std::string& name, bool if_exists);
  // Persistent materializations inside the caller's open transaction on this connection:
  // the table is built in place (replacing an earlier materialization of that name) and the
  // provenance written, all committed or rolled back with the caller's transaction. A table
  // of that name that is no materialization is refused.
  int64_t replace_in_transaction(const std::string& name, const std::string& source, const std::string& query);
  void drop_in_transaction(const std::string& name);
  engine::Result show();

 private:
  struct Record {
    std::string name;
    std::string source;
    std::string query;
    bool persistent = false;
  };
  std::optional<Record> find(const std::string& name);
  int64_t fill(const Record& record);
  // CREATE TABLE `target` AS the record's query; returns the rows.
  int64_t run_into(const std::string& target, const Record& record);
  void write_provenance(const Record& record, int64_t rows, std::chrono::system_clock::time_point started,
                        std::chrono::system_clock::time_point finished, double duration_ms);
  std::string select_for(const std::string& source, const std::string& query);

  engine::Connection& connection_;
  SourceManager& sources_;
  bool read_only_;
  std::string workspace_catalog_;
  std::atomic<bool> ephemeral_created_{false};  // set before the first ephemeral table exists
};

}  // namespace pond::workspace
