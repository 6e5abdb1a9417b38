#include "workspace/materializations.hpp"

#include <array>
#include <chrono>
#include <ctime>
#include <string>
#include <string_view>

#include "engine/error.hpp"
#include "engine/sql_text.hpp"
#include "engine/transaction.hpp"
#include "workspace/source_manager.hpp"

namespace pond::workspace {
namespace {

// `message` without DuckDB's "LINE n: ..." context: it points into the statement Pond builds
// around the user's query (CREATE TABLE ... AS SELECT * FROM pond_query(...)), not at anything
// the user wrote.
std::string without_sql_context(std::string_view message) {
  size_t context = message.find("\n\nLINE ");
  return std::string(message.substr(0, context));
}

constexpr const char* kProvenanceColumns = "name, source, query, row_count, started_at, finished_at, duration_ms";

std::string utc_text(std::chrono::system_clock::time_point t) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%06lld", static_cast<long long>(micros % 1000000));
  return std::string(buf) + frac;
}

std::string strip_semicolons(std::string query) {
  while (!query.empty() && (query.back() == ';' || std::isspace(static_cast<unsigned char>(query.back())))) {
    query.pop_back();
  }
  return query;
}

// MATERIALIZE and REFRESH commit on their own (the table swap and its provenance in one
// transaction), so they refuse to run inside a client's BEGIN ... COMMIT, before touching
// anything. DuckDB's C API does not say whether a transaction is open: a BEGIN does (and, as
// any failed statement in DuckDB, the refused BEGIN leaves the client's transaction aborted:
// it must ROLLBACK, as after any error there).
void refuse_inside_transaction(engine::Connection& connection, const std::string& what) {
  try {
    connection.query("BEGIN TRANSACTION");
  } catch (const Error& e) {
    const std::string message = e.what();
    if (message.find("within a transaction") == std::string::npos &&
        message.find("transaction is aborted") == std::string::npos) {
      throw;
    }
    throw Error(ErrorKind::invalid_input, what +
                                              " commits on its own and cannot run inside BEGIN ... COMMIT; "
                                              "ROLLBACK or COMMIT first, then run it");
  }
  connection.query("ROLLBACK");
}

}  // namespace

Materializations::Materializations(engine::Connection& connection, SourceManager& sources, bool read_only)
    : connection_(connection), sources_(sources), read_only_(read_only) {
  workspace_catalog_ = connection_.query("SELECT current_database()").fetch_all()[0][0].to_string();
  // DuckDB refuses in-memory databases in a read-only instance: no ephemeral tables there.
  if (read_only_) return;
  std::string eph = sql::quote_identifier(kEphemeralCatalog);
  connection_.query("ATTACH IF NOT EXISTS ':memory:' AS " + eph);
  connection_.query("CREATE SCHEMA IF NOT EXISTS " + eph + ".pond_meta");
  connection_.query("CREATE TABLE IF NOT EXISTS " + eph +
                    ".pond_meta.materializations (name VARCHAR, source VARCHAR, query VARCHAR, row_count BIGINT, "
                    "started_at TIMESTAMP, finished_at TIMESTAMP, duration_ms DOUBLE)");
  apply_search_path(connection_);
}

void Materializations::apply_search_path(engine::Connection& connection) const {
  if (read_only_) return;
  std::string path =
      sql::quote_identifier(workspace_catalog_) + ".main," + sql::quote_identifier(kEphemeralCatalog) + ".main";
  connection.query("SET search_path = " + sql::quote_literal(path));
}

void Materializations::prepare_connection(engine::Connection& connection) const {
  if (ephemeral_created_) apply_search_path(connection);
}

std::optional<Materializations::Record> Materializations::find(const std::string& name) {
  if (read_only_) {
    std::array<engine::Param, 1> param{name};
    auto rows =
        connection_
            .execute("SELECT name, source, query FROM pond_meta.materializations WHERE lower(name) = lower(?)", param)
            .fetch_all();
    if (rows.empty()) return std::nullopt;
    return Record{rows[0][0].to_string(), rows[0][1].to_string(), rows[0][2].to_string(), true};
  }
  std::array<engine::Param, 2> params{name, name};
  auto rows = connection_
                  .execute(
                      "SELECT name, source, query, true FROM pond_meta.materializations WHERE lower(name) = "
                      "lower(?) UNION ALL SELECT name, source, query, false FROM "
                      "pond_ephemeral.pond_meta.materializations WHERE lower(name) = lower(?)",
                      params)
                  .fetch_all();
  if (rows.empty()) return std::nullopt;
  return Record{rows[0][0].to_string(), rows[0][1].to_string(), rows[0][2].to_string(), rows[0][3].as_bool()};
}

std::string Materializations::select_for(const std::string& source, const std::string& query) {
  auto record = sources_.registry().find(source);
  if (!record) {
    throw Error(ErrorKind::not_found, "no source named '" + source + "'; SHOW SOURCES lists the registered sources");
  }
  if (auto broken = sources_.unavailable_among({record->alias}); !broken.empty()) {
    if (broken.front().retry_futile) throw unavailable_source_error(broken.front());
    throw Error(ErrorKind::connector, "source '" + record->alias + "' is unavailable (" + broken.front().reason + ")");
  }
  if (record->kind == SourceKind::duckdb || record->kind == SourceKind::files) {
    // A DuckDB-side source: the query is DuckDB SQL over the workspace.
    return "SELECT * FROM (" + strip_semicolons(query) + ")";
  }
  return "SELECT * FROM pond_query(" + sql::quote_literal(record->alias) + ", " + sql::quote_literal(query) + ")";
}

int64_t Materializations::create(const std::string& name, const std::string& source, const std::string& query,
                                 bool persistent) {
  if (name.empty()) throw Error(ErrorKind::invalid_input, "a materialization needs a name");
  if (name.find('\0') != std::string::npos || name.size() > 255) {
    throw Error(ErrorKind::invalid_input, "a materialization's name must be at most 255 bytes, without NUL");
  }
  if (query.find_first_not_of(" \t\r\n;") == std::string::npos) {
    throw Error(ErrorKind::invalid_input,
                "materialize '" + name + "' needs a query to run on source '" + source + "'; it is empty");
  }
  if (persistent && read_only_) {
    throw Error(ErrorKind::invalid_input,
                "the workspace is open read-only; persistent materializations need write access");
  }
  refuse_inside_transaction(connection_, "MATERIALIZE");
  if (auto existing = find(name)) {
    throw Error(ErrorKind::invalid_input, "materialization '" + existing->name +
                                              "' already exists; REFRESH MATERIALIZATION " + existing->name +
                                              " re-runs it, DROP MATERIALIZATION removes it");
  }
  std::string catalog = persistent ? workspace_catalog_ : kEphemeralCatalog;
  std::array<engine::Param, 2> params{catalog, name};
  if (!connection_
           .execute("SELECT 1 FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' AND "
                    "lower(table_name) = lower(?)",
                    params)
           .fetch_all()
           .empty()) {
    throw Error(ErrorKind::invalid_input, "a table named '" + name + "' already exists; choose another name");
  }
  if (!persistent) ephemeral_created_ = true;  // connections opened from now on need the search path
  return fill(Record{name, source, query, persistent});
}

int64_t Materializations::refresh(const std::string& name) {
  refuse_inside_transaction(connection_, "REFRESH MATERIALIZATION");
  auto record = find(name);
  if (!record)
    throw Error(ErrorKind::not_found, "no materialization named '" + name + "'; SHOW MATERIALIZATIONS lists them");
  if (record->persistent && read_only_) {
    throw Error(ErrorKind::invalid_input, "the workspace is open read-only; cannot refresh '" + name + "'");
  }
  return fill(*record);
}

int64_t Materializations::run_into(const std::string& target, const Record& record) {
  // Through a prepared statement: its execution lets the calling thread sleep while a
  // single-threaded remote scan runs on a worker (Connection::query would spin beside it).
  return connection_.prepare("CREATE TABLE " + target + " AS " + select_for(record.source, record.query))
      .execute()
      .fetch_all()[0][0]
      .as_int64();
}

void Materializations::write_provenance(const Record& record, int64_t rows,
                                        std::chrono::system_clock::time_point started,
                                        std::chrono::system_clock::time_point finished, double duration_ms) {
  std::string meta =
      record.persistent ? "pond_meta.materializations" : std::string(kEphemeralCatalog) + ".pond_meta.materializations";
  std::array<engine::Param, 1> name{record.name};
  connection_.execute("DELETE FROM " + meta + " WHERE lower(name) = lower(?)", name);
  std::array<engine::Param, 7> provenance{record.name,       record.source,      record.query, rows,
                                          utc_text(started), utc_text(finished), duration_ms};
  connection_.execute(
      "INSERT INTO " + meta + " (" + kProvenanceColumns + ") VALUES (?, ?, ?, ?, ?::TIMESTAMP, ?::TIMESTAMP, ?)",
      provenance);
}

int64_t Materializations::fill(const Record& record) {
  std::string catalog = record.persistent ? workspace_catalog_ : kEphemeralCatalog;
  std::string target = sql::qualified_name(catalog, "main", record.name);
  std::string staging = sql::qualified_name(catalog, "main", record.name + kStagingSuffix);

  auto started = std::chrono::system_clock::now();
  auto clock_start = std::chrono::steady_clock::now();
  int64_t rows = 0;
  try {
    connection_.query("DROP TABLE IF EXISTS " + staging);
    // The table and its marker commit together: a staging table that outlives its process
    // is then always recognisable as Pond's (drop_leftover_staging).
    engine::Transaction build(connection_);
    rows = run_into(staging, record);
    connection_.query("COMMENT ON TABLE " + staging + " IS " + sql::quote_literal(kStagingMarker));
    build.commit();
  } catch (const Error& e) {
    try {
      connection_.query("DROP TABLE IF EXISTS " + staging);
    } catch (const Error&) {
      // The original failure is what the user needs to see.
    }
    throw e.reworded("materialize '" + record.name + "' from '" + record.source +
                     "' failed: " + without_sql_context(e.what()));
  }
  double duration_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - clock_start).count();
  auto finished = std::chrono::system_clock::now();

  engine::Transaction tx(connection_);
  connection_.query("DROP TABLE IF EXISTS " + target);
  connection_.query("ALTER TABLE " + staging + " RENAME TO " + sql::quote_identifier(record.name));
  connection_.query("COMMENT ON TABLE " + target + " IS NULL");
  write_provenance(record, rows, started, finished, duration_ms);
  tx.commit();
  return rows;
}

std::vector<std::string> Materializations::drop_leftover_staging(engine::Connection& connection) {
  std::array<engine::Param, 3> params{kStagingSuffix, kStagingMarker, kStagingSuffix};
  std::vector<std::string> leftovers;
  for (const auto& row : connection
                             .execute("SELECT t.table_name FROM duckdb_tables() t WHERE t.database_name = "
                                      "current_database() AND t.schema_name = 'main' AND NOT t.temporary AND "
                                      "ends_with(lower(t.table_name), ?) AND (t.comment = ? OR EXISTS "
                                      "(SELECT 1 FROM pond_meta.materializations m WHERE lower(m.name) || ? = "
                                      "lower(t.table_name))) ORDER BY t.table_name",
                                      params)
                             .fetch_all()) {
    leftovers.push_back(row[0].to_string());
  }
  if (leftovers.empty()) return leftovers;
  std::string workspace = connection.query("SELECT current_database()").fetch_all()[0][0].to_string();
  engine::Transaction tx(connection);
  for (const std::string& table : leftovers) {
    connection.query("DROP TABLE IF EXISTS " + sql::qualified_name(workspace, "main", table));
  }
  tx.commit();
  return leftovers;
}

int64_t Materializations::replace_in_transaction(const std::string& name, const std::string& source,
                                                 const std::string& query) {
  if (read_only_) {
    throw Error(ErrorKind::invalid_input,
                "the workspace is open read-only; persistent materializations need write access");
  }
  if (query.find_first_not_of(" \t\r\n;") == std::string::npos) {
    throw Error(ErrorKind::invalid_input,
                "materialize '" + name + "' needs a query to run on source '" + source + "'; it is empty");
  }
  auto existing = find(name);
  if (existing && !existing->persistent) {
    throw Error(ErrorKind::invalid_input, "'" + name + "' is an ephemeral materialization of this session");
  }
  std::string target = sql::qualified_name(workspace_catalog_, "main", existing ? existing->name : name);
  std::array<engine::Param, 2> params{workspace_catalog_, name};
  bool table = !connection_
                    .execute(
                        "SELECT 1 FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' AND "
                        "lower(table_name) = lower(?)",
                        params)
                    .fetch_all()
                    .empty();
  if (table && !existing) {
    throw Error(ErrorKind::invalid_input, "a table named '" + name + "' already exists; choose another name");
  }
  Record record{name, source, query, true};
  auto started = std::chrono::system_clock::now();
  auto clock_start = std::chrono::steady_clock::now();
  int64_t rows = 0;
  try {
    connection_.query("DROP TABLE IF EXISTS " + target);
    rows = run_into(sql::qualified_name(workspace_catalog_, "main", name), record);
  } catch (const Error& e) {
    throw Error(e.kind(), "materialize '" + name + "' from '" + source + "' failed: " + without_sql_context(e.what()));
  }
  double duration_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - clock_start).count();
  write_provenance(record, rows, started, std::chrono::system_clock::now(), duration_ms);
  return rows;
}

void Materializations::drop_in_transaction(const std::string& name) {
  auto record = find(name);
  if (!record || !record->persistent) return;
  connection_.query("DROP TABLE IF EXISTS " + sql::qualified_name(workspace_catalog_, "main", record->name));
  std::array<engine::Param, 1> params{record->name};
  connection_.execute("DELETE FROM pond_meta.materializations WHERE lower(name) = lower(?)", params);
}

void Materializations::drop(const std::string& name, bool if_exists) {
  auto record = find(name);
  if (!record) {
    if (if_exists) return;
    throw Error(ErrorKind::not_found, "no materialization named '" + name + "'; SHOW MATERIALIZATIONS lists them");
  }
  std::string catalog = record->persistent ? workspace_catalog_ : kEphemeralCatalog;
  std::string meta = record->persistent ? "pond_meta.materializations"
                                        : std::string(kEphemeralCatalog) + ".pond_meta.materializations";
  engine::Transaction tx(connection_);
  connection_.query("DROP TABLE IF EXISTS " + sql::qualified_name(catalog, "main", record->name));
  std::array<engine::Param, 1> params{record->name};
  connection_.execute("DELETE FROM " + meta + " WHERE lower(name) = lower(?)", params);
  tx.commit();
}

engine::Result Materializations::show() {
  if (read_only_) {
    return connection_.query(
        "SELECT name, source, true AS persistent, row_count AS rows, started_at, finished_at, round(duration_ms, 1) "
        "AS duration_ms, query FROM pond_meta.materializations ORDER BY name");
  }
  return connection_.query(
      "SELECT name, source, persistent, row_count AS rows, started_at, finished_at, round(duration_ms, 1) AS "
      "duration_ms, query FROM (SELECT *, true AS persistent FROM pond_meta.materializations UNION ALL SELECT *, "
      "false FROM pond_ephemeral.pond_meta.materializations) ORDER BY name");
}

}  // namespace pond::workspace
