#include "workspace/source_manager.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <system_error>

#include "engine/error.hpp"
#include "engine/sql_text.hpp"
#include "engine/transaction.hpp"
#include "workspace/file_source.hpp"
#include "workspace/text_util.hpp"

namespace pond::workspace {
namespace fs = std::filesystem;
namespace {

// DuckDB names an attachment without AS after the file's stem.
std::string alias_from_path(const std::string& path) {
  std::string stem = fs::path(path).stem().string();
  if (stem.empty()) {
    throw Error(ErrorKind::invalid_input, "cannot derive an alias from '" + path + "'; add AS <alias>");
  }
  return stem;
}

// A SQLite database file starts with the 16-byte header "SQLite format 3\0". ATTACH without TYPE gives such a file to
// Pond's SQLite connector, as DuckDB would give it to its sqlite extension, which cannot be installed here.
bool is_sqlite_file(const std::string& path) {
  static constexpr char kHeader[16] = {'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f', 'o', 'r', 'm', 'a', 't', ' ', '3', '\0'};
  std::ifstream in(path, std::ios::binary);
  char head[16] = {};
  return in.read(head, sizeof head) && std::equal(head, head + sizeof head, kHeader);
}

// Lower-cased names of every database attached to the instance.
std::set<std::string> attached_databases(engine::Connection& connection) {
  std::set<std::string> out;
  for (const auto& row : connection.query("SELECT lower(database_name) FROM duckdb_databases()").fetch_all()) {
    out.insert(row[0].to_string());
  }
  return out;
}

void attach_duckdb_file(engine::Connection& connection, const SourceRecord& record) {
  std::error_code ec;
  if (!fs::is_regular_file(record.location, ec)) {
    // ATTACH would silently create an empty database in its place.
    throw Error(ErrorKind::not_found, "file not found: " + record.location);
  }
  std::string sql = "ATTACH " + sql::quote_literal(record.location) + " AS " + sql::quote_identifier(record.alias);
  if (record.read_only) sql += " (READ_ONLY)";
  connection.query(sql);
}

// A broken source is retried when a statement names it: after 1 s, then 2, 4, ... 30 s.
constexpr auto kRetryBackoff = std::chrono::seconds(1);
constexpr auto kMaxRetryBackoff = std::chrono::seconds(30);

}  // namespace

SourceManager::SourceManager(engine::Connection& connection, bool read_only, std::string workspace_path,
                             RemoteSources& remote)
    : connection_(connection),
      read_only_(read_only),
      workspace_path_(std::move(workspace_path)),
      registry_(connection),
      remote_(remote),
      secrets_(connection, registry_.ensure_schema(read_only)) {
  workspace_name_ = connection_.query("SELECT current_database()").fetch_all()[0][0].to_string();
}

Error unavailable_source_error(const SourceInfo& info) {
  const std::string& alias = info.record.alias;
  if (info.retry_futile) {
    return Error(ErrorKind::connector,
                 "source '" + alias + "' is unavailable and is not retried: " + info.reason +
                     "; fix its secret (CREATE OR REPLACE SECRET, or the variable or file the secret reads, then "
                     "reopen the workspace or test the source's connection), or DETACH " +
                     alias,
                 Retry::futile);
  }
  return Error(ErrorKind::not_found,
               "source '" + alias + "' is unavailable (" + info.reason + "); fix it and retry, or DETACH " + alias);
}

void SourceManager::set_state(const std::string& alias, bool available, std::string reason, bool futile) {
  State& s = states_[lower(alias)];
  s.available = available;
  s.reason = std::move(reason);
  s.futile = futile;
  s.last_attempt = std::chrono::steady_clock::now();
  ++s.attempts;
  count_unavailable();
}

void SourceManager::count_unavailable() {
  unavailable_count_.store(static_cast<size_t>(std::count_if(states_.begin(), states_.end(),
                                                             [](const auto& kv) { return !kv.second.available; })),
                           std::memory_order_relaxed);
}

bool SourceManager::database_attached(const std::string& alias) {
  std::array<engine::Param, 1> params{alias};
  return !connection_.execute("SELECT 1 FROM duckdb_databases() WHERE lower(database_name) = lower(?)", params)
              .fetch_all()
              .empty();
}

void SourceManager::restore_all() {
  std::lock_guard lock(mutex_);
  // duckdb_databases() and duckdb_views() cost O(attached databases) per call, so one check per
  // source made opening quadratic (3 of 4.5 s at 1000 sources). Other kinds are restored first,
  // while few databases are attached, and one look at duckdb_databases() serves every DuckDB
  // file: restoring a source never attaches another source's alias.
  std::vector<SourceRecord> records = registry_.list();
  for (const SourceRecord& record : records) {
    if (record.kind != SourceKind::duckdb) restore(record);
  }
  std::set<std::string> attached = attached_databases(connection_);
  for (const SourceRecord& record : records) {
    if (record.kind != SourceKind::duckdb) continue;
    try {
      if (!attached.contains(lower(record.alias))) attach_duckdb_file(connection_, record);
      set_state(record.alias, true, "");
    } catch (const Error& e) {
      set_state(record.alias, false, e.what());
    }
  }
}

void SourceManager::restore(const SourceRecord& record) {
  try {
    switch (record.kind) {
      case SourceKind::duckdb:
        restore_duckdb(record);
        break;
      case SourceKind::files:
        restore_files(record);
        break;
      default:
        restore_remote(record);
        break;
    }
    set_state(record.alias, true, "");
  } catch (const Error& e) {
    set_state(record.alias, false, e.what(), e.retry_futile());
  }
}

void SourceManager::restore_duckdb(const SourceRecord& record) {
  if (database_attached(record.alias)) return;
  attach_duckdb_file(connection_, record);
}

void SourceManager::restore_files(const SourceRecord& record) {
  std::array<engine::Param, 1> params{record.location};
  auto rows = connection_.execute("SELECT count(*) FROM glob(?)", params).fetch_all();
  if (rows[0][0].as_int64() == 0) throw Error(ErrorKind::not_found, "no files match " + record.location);
  if (read_only_) return;
  // Recreate the view if someone dropped it; it is what the registry promises.
  std::array<engine::Param, 1> name{record.alias};
  bool exists = !connection_
                     .execute(
                         "SELECT 1 FROM duckdb_views() WHERE database_name = current_database() AND "
                         "schema_name = 'main' AND view_name = ?",
                         name)
                     .fetch_all()
                     .empty();
  if (!exists) {
    connection_.query("CREATE VIEW main." + sql::quote_identifier(record.alias) + " AS " +
                      file_reader_sql(record.format, record.location));
  }
}

void SourceManager::check_new_alias(const std::string& alias) {
  if (alias.empty()) throw Error(ErrorKind::invalid_input, "an alias cannot be empty");
  if (alias.find('\0') != std::string::npos) throw Error(ErrorKind::invalid_input, "an alias cannot contain NUL");
  if (alias.size() > 255) throw Error(ErrorKind::invalid_input, "alias is longer than 255 bytes; choose a shorter one");
  std::string l = lower(alias);
  for (const char* reserved : {"memory", "system", "temp", "main", "pond_meta", "information_schema", "pg_catalog"}) {
    if (l == reserved) {
      throw Error(ErrorKind::invalid_input, "'" + alias + "' is a reserved name; choose another alias");
    }
  }
  if (l == lower(workspace_name_)) {
    throw Error(ErrorKind::invalid_input, "'" + alias + "' is the workspace's own database name; choose another alias");
  }
  if (auto existing = registry_.find(alias)) {
    throw Error(ErrorKind::invalid_input, "a source named '" + existing->alias + "' already exists (" +
                                              std::string(source_kind_name(existing->kind)) + " at " +
                                              existing->location + "); DETACH it first or choose another alias");
  }
  if (database_attached(alias)) {
    throw Error(ErrorKind::invalid_input, "a database named '" + alias + "' is already attached; choose another alias");
  }
  bool taken = !connection_
                    .execute(
                        "SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = "
                        "'main' AND lower(table_name) = lower(?) UNION ALL SELECT 1 FROM duckdb_views() WHERE "
                        "database_name = current_database() AND schema_name = 'main' AND lower(view_name) = "
                        "lower(?)",
                        std::array<engine::Param, 2>{alias, alias})
                    .fetch_all()
                    .empty();
  if (taken) {
    throw Error(ErrorKind::invalid_input,
                "a table or view named '" + alias + "' already exists in the workspace; choose another alias");
  }
}

void SourceManager::attach(const AttachRequest& request) {
  std::lock_guard lock(mutex_);
  std::string type = lower(request.type);
  if ((type.empty() || type == "duckdb") && !request.location.empty() &&
      is_sqlite_file(absolute_location(request.location))) {
    if (!type.empty()) {
      throw Error(ErrorKind::invalid_input,
                  "'" + request.location +
                      "' is a SQLite database, not a DuckDB file; attach it as sqlite, or give no type (SQLite "
                      "files are recognised)");
    }
    type = "sqlite";
  }
  if (!type.empty() && type != "duckdb") {
    if (type == "postgresql") type = "postgres";
    if (type == "mariadb") type = "mysql";
    if (type != "sqlite" && type != "postgres" && type != "mysql") {
      throw Error(ErrorKind::invalid_input,
                  "unknown source TYPE '" + request.type + "'; expected DUCKDB, SQLITE, POSTGRES or MYSQL");
    }
    attach_remote(request, parse_source_kind(type));
    return;
  }
  if (request.location.empty()) throw Error(ErrorKind::invalid_input, "ATTACH needs a file path");
  if (!request.options.empty()) {
    throw Error(ErrorKind::invalid_input, "ATTACH option " + request.options.begin()->first +
                                              " is not supported for DuckDB files; only READ_ONLY and TYPE are");
  }
  if (read_only_) {
    throw Error(ErrorKind::invalid_input,
                "the workspace is open read-only; reopen it without --read-only to attach sources");
  }
  std::string location = absolute_location(request.location);
  std::string alias = request.alias.empty() ? alias_from_path(location) : request.alias;
  if (request.if_not_exists && registry_.find(alias)) return;
  check_new_alias(alias);

  std::error_code ec;
  if (fs::is_directory(location, ec)) {
    throw Error(ErrorKind::invalid_input, "'" + request.location + "' is a directory, not a DuckDB file");
  }
  bool exists = fs::exists(location, ec);
  if (!exists && (request.must_exist || request.read_only)) {
    throw Error(ErrorKind::not_found, "file '" + request.location +
                                          "' does not exist; check the path (attach needs an existing DuckDB or "
                                          "SQLite file)");
  }
  if (!workspace_path_.empty() && workspace_path_ != ":memory:" && fs::equivalent(location, workspace_path_, ec)) {
    throw Error(ErrorKind::invalid_input, "cannot attach the workspace file to itself");
  }

  std::string sql = "ATTACH " + sql::quote_literal(location) + " AS " + sql::quote_identifier(alias);
  if (request.read_only) sql += " (READ_ONLY)";
  try {
    connection_.query(sql);
  } catch (const Error& e) {
    throw Error(e.kind() == ErrorKind::cancelled ? e.kind() : ErrorKind::io,
                "cannot attach '" + request.location + "' as '" + alias + "': " + e.what());
  }
  try {
    registry_.insert(SourceRecord{alias, SourceKind::duckdb, location, "", request.read_only, "{}", ""});
  } catch (...) {
    connection_.query("DETACH DATABASE IF EXISTS " + sql::quote_identifier(alias));
    throw;
  }
  set_state(alias, true, "");
}

void SourceManager::detach(const std::string& alias, bool if_exists) {
  std::lock_guard lock(mutex_);
  auto record = registry_.find(alias);
  if (!record) {
    if (if_exists) return;
    throw Error(ErrorKind::not_found, "no source named '" + alias + "'; SHOW SOURCES lists the registered sources");
  }
  if (read_only_) {
    throw Error(ErrorKind::invalid_input, "the workspace is open read-only; reopen it without --read-only to detach");
  }
  if (record->kind == SourceKind::files) {
    engine::Transaction tx(connection_);
    connection_.query("DROP VIEW IF EXISTS main." + sql::quote_identifier(record->alias));
    registry_.remove(record->alias);
    tx.commit();
  } else {
    registry_.remove(record->alias);
    if (database_attached(record->alias)) {
      connection_.query("DETACH DATABASE IF EXISTS " + sql::quote_identifier(record->alias));
    }
    remote_.remove(record->alias);
  }
  states_.erase(lower(record->alias));
  count_unavailable();
}

void SourceManager::use_files(const UseFilesRequest& request) {
  std::lock_guard lock(mutex_);
  if (request.pattern.empty()) throw Error(ErrorKind::invalid_input, "USE needs a file path or glob");
  if (read_only_) {
    throw Error(ErrorKind::invalid_input,
                "the workspace is open read-only; reopen it without --read-only to add sources");
  }
  std::string location = absolute_location(request.pattern);
  std::string format = request.format.empty() ? detect_file_format(location) : lower(request.format);
  if (format.empty()) {
    throw Error(ErrorKind::invalid_input, "cannot tell the file format of '" + request.pattern +
                                              "'; add (FORMAT csv), (FORMAT parquet) or (FORMAT json)");
  }
  std::string reader = file_reader_sql(format, location);
  check_new_alias(request.alias);
  std::array<engine::Param, 1> params{location};
  if (connection_.execute("SELECT count(*) FROM glob(?)", params).fetch_all()[0][0].as_int64() == 0) {
    throw Error(ErrorKind::not_found, "no files match '" + request.pattern + "'; check the path or glob");
  }
  engine::Transaction tx(connection_);
  try {
    connection_.query("CREATE VIEW main." + sql::quote_identifier(request.alias) + " AS " + reader);
  } catch (const Error& e) {
    throw Error(ErrorKind::invalid_input, "cannot read '" + request.pattern + "' as " + format + ": " + e.what());
  }
  registry_.insert(SourceRecord{request.alias, SourceKind::files, location, format, true, "{}", ""});
  tx.commit();
  set_state(request.alias, true, "");
}

std::vector<std::string> SourceManager::tables_of(const SourceRecord& record) {
  if (record.kind == SourceKind::files) return {record.alias};
  if (record.kind != SourceKind::duckdb) {
    std::vector<std::string> out;
    for (const RemoteTable& t : remote_.get(record.alias)->tables()) out.push_back(t.schema + "." + t.name);
    return out;
  }
  std::array<engine::Param, 2> params{record.alias, record.alias};
  std::vector<std::string> out;
  for (const auto& row : connection_
                             .execute("SELECT schema_name || '.' || table_name AS t FROM duckdb_tables() WHERE "
                                      "database_name = ? AND schema_name <> 'pond_meta' UNION ALL SELECT "
                                      "schema_name || '.' || view_name FROM duckdb_views() WHERE database_name = ? "
                                      "AND NOT internal ORDER BY 1",
                                      params)
                             .fetch_all()) {
    out.push_back(row[0].to_string());
  }
  return out;
}

std::vector<SourceColumn> SourceManager::columns_of(const std::string& alias) {
  auto record = registry_.find(alias);
  if (!record) {
    throw Error(ErrorKind::not_found, "no source named '" + alias + "'; SHOW SOURCES lists the registered sources");
  }
  if (auto broken = unavailable_among({record->alias}); !broken.empty()) throw unavailable_source_error(broken.front());
  std::lock_guard lock(mutex_);
  std::vector<SourceColumn> out;
  if (record->kind != SourceKind::duckdb && record->kind != SourceKind::files) {
    for (const RemoteTable& t : remote_.get(record->alias)->tables()) {
      for (const RemoteColumn& c : t.columns) {
        out.push_back({t.schema, t.name, t.is_view, c.name, c.type.name(), c.remote_type});
      }
    }
    return out;
  }
  bool files = record->kind == SourceKind::files;
  std::string where = files ? "c.database_name = current_database() AND c.schema_name = 'main' AND c.table_name = ?"
                            : "c.database_name = ? AND c.schema_name <> 'pond_meta' AND NOT c.internal";
  std::array<engine::Param, 1> params{record->alias};
  for (const auto& row :
       connection_
           .execute("SELECT c.schema_name, c.table_name, v.view_name IS NOT NULL, c.column_name, c.data_type FROM "
                    "duckdb_columns() c LEFT JOIN duckdb_views() v ON v.database_name = c.database_name AND "
                    "v.schema_name = c.schema_name AND v.view_name = c.table_name WHERE " +
                        where + " ORDER BY c.schema_name, c.table_name, c.column_index",
                    params)
           .fetch_all()) {
    std::string type = row[4].to_string();
    out.push_back({row[0].to_string(), row[1].to_string(), row[2].as_bool(), row[3].to_string(), type, type});
  }
  return out;
}

std::vector<SourceInfo> SourceManager::sources() {
  std::lock_guard lock(mutex_);
  std::vector<SourceInfo> out;
  for (SourceRecord& record : registry_.list()) {
    SourceInfo info;
    auto it = states_.find(lower(record.alias));
    info.available = it != states_.end() && it->second.available;
    info.reason = it == states_.end() ? "not restored" : it->second.reason;
    info.retry_futile = it != states_.end() && it->second.futile;
    if (info.available) info.tables = tables_of(record);
    info.record = std::move(record);
    out.push_back(std::move(info));
  }
  return out;
}

std::optional<SourceRecord> SourceManager::find(const std::string& alias) {
  std::lock_guard lock(mutex_);
  return registry_.find(alias);
}

std::vector<SourceRecord> SourceManager::records() {
  std::lock_guard lock(mutex_);
  return registry_.list();
}

void SourceManager::put_back(const SourceRecord& record) {
  std::lock_guard lock(mutex_);
  if (read_only_) throw Error(ErrorKind::invalid_input, "the workspace is open read-only; sources cannot change");
  if (auto existing = registry_.find(record.alias)) {
    throw Error(ErrorKind::invalid_input, "cannot put source '" + record.alias + "' back: a source named '" +
                                              existing->alias + "' is registered");
  }
  if (record.kind == SourceKind::files) {
    // The view and the row together, as use_files() makes them.
    engine::Transaction tx(connection_);
    registry_.insert(record);
    connection_.query("DROP VIEW IF EXISTS main." + sql::quote_identifier(record.alias));
    connection_.query("CREATE VIEW main." + sql::quote_identifier(record.alias) + " AS " +
                      file_reader_sql(record.format, record.location));
    tx.commit();
    set_state(record.alias, true, "");
    return;
  }
  registry_.insert(record);
  restore(record);
}

SourceInfo SourceManager::retry(const std::string& alias) {
  std::lock_guard lock(mutex_);
  auto record = registry_.find(alias);
  if (!record) {
    throw Error(ErrorKind::not_found, "no source named '" + alias + "'; SHOW SOURCES lists the registered sources");
  }
  restore(*record);
  const State& state = states_[lower(record->alias)];
  return SourceInfo{*record, state.available, state.reason, state.futile, {}};
}

std::vector<SourceInfo> SourceManager::unavailable_among(const std::vector<std::string>& names) {
  std::lock_guard lock(mutex_);
  std::vector<SourceInfo> out;
  if (states_.empty()) return out;
  bool any_unavailable = std::any_of(states_.begin(), states_.end(), [](auto& kv) { return !kv.second.available; });
  if (!any_unavailable) return out;
  for (const std::string& name : names) {
    auto it = states_.find(lower(name));
    if (it == states_.end() || it->second.available) continue;
    auto record = registry_.find(name);
    if (!record) continue;
    // The file may be back: one more try, at most once per backoff interval. A wrong password
    // stays wrong: trying it again only costs time (and may lock the account).
    auto backoff = std::min(kMaxRetryBackoff, kRetryBackoff * (1 << std::min(it->second.attempts - 1, 5)));
    if (!it->second.futile && std::chrono::steady_clock::now() - it->second.last_attempt >= backoff) restore(*record);
    const State& state = states_[lower(name)];
    if (!state.available) out.push_back(SourceInfo{*record, false, state.reason, state.futile, {}});
  }
  return out;
}

void SourceManager::secrets_changed() {
  std::lock_guard lock(mutex_);
  for (auto& [alias, state] : states_) {
    if (!state.futile) continue;
    state.futile = false;
    state.last_attempt = {};  // no backoff: the next use tries the new secret
  }
}

}  // namespace pond::workspace
