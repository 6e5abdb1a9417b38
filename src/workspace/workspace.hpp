#pragma once
// Workspace — one DuckDB database plus its source registry. Opening it restores every
// registered source (a broken one is marked unavailable, never fatal) before any user query.
// execute() handles the statements DuckDB does not know (ATTACH with Pond semantics, DETACH,
// USE 'files' AS alias, SHOW SOURCES) and passes everything else to DuckDB untouched.
//
// Thread safety: the primary connection (execute(), connection()) belongs to one thread at a
// time; interrupt() may be called from any thread. Other threads use open_connection() and
// their own connections; source changes are serialized internally.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/connection.hpp"
#include "engine/database.hpp"
#include "engine/error.hpp"
#include "engine/result.hpp"
#include "workspace/connector.hpp"
#include "workspace/secret_store.hpp"
#include "workspace/source.hpp"

namespace pond::workspace {

struct WorkspaceOptions {
  std::string path = ":memory:";  // a DuckDB file (created when missing) or ":memory:"
  bool read_only = false;
  std::vector<std::pair<std::string, std::string>> settings;  // DuckDB settings by name
  // The connectors this process can use (SQLite, PostgreSQL, MySQL); sources of a kind
  // without a connector are listed as unavailable.
  std::vector<std::shared_ptr<Connector>> connectors;
};

struct AttachRequest {
  std::string location;  // file path (relative to the current directory) or connection string
  std::string alias;     // empty: derived from the file name, as DuckDB does
  bool read_only = false;
  std::string type;  // empty or "duckdb"; other kinds need their connector
  bool if_not_exists = false;
  bool must_exist = false;  // refuse to create a new DuckDB file (the CLI's attach)
  // Connector options (lower-case keys): secret, all_varchar, connect_timeout, ...
  std::map<std::string, std::string> options;
};

struct UseFilesRequest {
  std::string pattern;  // a path or glob of CSV / Parquet / JSON files
  std::string alias;
  std::string format;  // empty: from the extension
};

class SourceManager;
class RemoteSources;
class Materializations;

class Workspace {
 public:
  explicit Workspace(const WorkspaceOptions& options = {});
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;
  ~Workspace();

  // Runs one statement (see split_statements for scripts).
  engine::Result execute(std::string_view statement, engine::ExecMode mode = engine::ExecMode::materialized);
  // Runs every statement of a script in order; `on_result` sees each statement's result.
  void execute_script(std::string_view script,
                      const std::function<void(std::string_view statement, engine::Result&)>& on_result);

  void attach(const AttachRequest& request);
  // Removes the source from the registry (even when it is broken) and from this instance.
  void detach(const std::string& alias, bool if_exists = false);
  void use_files(const UseFilesRequest& request);
  std::vector<SourceInfo> sources();
  // The registered record of one source (no restore attempt, no table listing), or nullopt.
  std::optional<SourceRecord> source_record(const std::string& alias);
  // Every registered record as stored (no restore attempt, no table listing).
  std::vector<SourceRecord> source_records();
  // The other aliases registered for what `alias` reads: the same file by its real path, or
  // the same database server with the same connection string and secret (source_target.hpp).
  // Registering a file twice is allowed; callers tell the user. Empty for an unknown alias.
  std::vector<std::string> aliases_sharing_target(const std::string& alias);
  // Registers `record` exactly as it was (created_at included) and restores it as opening
  // does (unreachable: listed as unavailable). Undoes a detach(); the alias must be free.
  void put_back_source(const SourceRecord& record);
  // Tries to restore a registered source now (after its secret was created, say); returns
  // its state (tables not listed). Throws not_found for an unknown alias.
  SourceInfo retry_source(const std::string& alias);
  // For a statement run on a connection of its own (the server's executeQuery): when a source
  // it names is unavailable, one more restore attempt, as execute() makes (rate-limited per
  // source; none for a refused login). Returns the error for the first source it names that
  // is still unavailable (as a statement run by execute() would fail), or nullopt. Costs one
  // atomic load while every source is available. Thread-safe.
  std::optional<Error> unavailable_source_named_in(std::string_view statement);
  // SHOW SOURCES as a result set: alias, kind, location, read_only, status, tables.
  engine::Result show_sources();
  // SHOW SOURCE alias as a result set, one row per column: schema_name, table_name,
  // table_type ('table' or 'view'), column_name, column_type (DuckDB's), remote_type.
  engine::Result show_source(const std::string& alias);

  // Materializes `query` (the source's own SQL) from `source` into table `name`; returns rows.
  int64_t materialize(const std::string& name, const std::string& source, const std::string& query, bool persistent);
  int64_t refresh(const std::string& name);
  // Removes a materialization (table and provenance); false when there was none and if_exists.
  void drop_materialization(const std::string& name, bool if_exists);
  // The same for persistent materializations, inside a transaction the caller opened on
  // connection() (engine::Transaction): nothing is visible to others, and nothing is left,
  // until the caller commits; a rollback keeps the old table, rows and provenance.
  // materialize_in_transaction replaces an existing materialization of that name.
  int64_t materialize_in_transaction(const std::string& name, const std::string& source, const std::string& query);
  void drop_materialization_in_transaction(const std::string& name);

  // Connector secrets, as CREATE [PERSISTENT] SECRET / DROP SECRET do, without SQL text (so
  // that a password never passes through a statement).
  void create_secret(const SecretDefinition& secret, bool or_replace);
  // Returns false when no Pond secret has that name (and if_exists).
  bool drop_secret(const std::string& name, bool if_exists);
  // A persistent secret as stored (references only, never a password), or nullopt.
  std::optional<SecretDefinition> persistent_secret(const std::string& name);

  // Cancels whatever runs on the primary connection, remote queries included. Thread-safe.
  void interrupt() const;
  // Cancels whatever runs on `connection` (the primary one or one from open_connection()),
  // including the remote statements of its query; queries on other connections go on.
  // Thread-safe.
  void interrupt(const engine::Connection& connection) const;
  // Cancels the statements every connector-backed source is running now, for any connection
  // (DuckDB's interrupt cannot reach a remote call waiting on its server). Thread-safe.
  void cancel_remote_statements() const;
  // Checks that a registered source answers: a round trip for connector sources, a catalog
  // lookup for DuckDB files, reading the file headers for file sources. An unavailable source
  // is restored first, now, whatever its backoff and even when its last failure was not worth
  // retrying (a refused login): success makes it usable again; a failure keeps it unavailable
  // (and not retried on use, when the login is still refused). Throws pond::Error(not_found)
  // for an unknown alias, or the error the source reports (never a secret). Returns whether
  // the source was restored (the workspace's catalog changed). Thread-safe (uses its own
  // connection).
  bool ping_source(const std::string& alias);
  engine::Connection& connection() { return connection_; }
  // A further connection (for another thread) that resolves names as the primary one does.
  engine::Connection open_connection() const;
  const std::string& path() const { return database_.path(); }
  bool read_only() const { return read_only_; }

 private:
  engine::Result no_rows();
  engine::Result show_secrets();
  engine::Result dispatch(std::string_view statement, engine::ExecMode mode);
  [[noreturn]] void rethrow_with_source(std::string_view statement, const std::exception& error);

  // Declared first so that it is destroyed last: DuckDB calls into its table functions.
  std::unique_ptr<RemoteSources> remote_;
  engine::Database database_;
  engine::Connection meta_connection_;  // registry and restore, under SourceManager's lock
  engine::Connection connection_;       // the user's statements
  bool read_only_;
  std::unique_ptr<SourceManager> sources_;
  std::unique_ptr<Materializations> materializations_;
};

}  // namespace pond::workspace
