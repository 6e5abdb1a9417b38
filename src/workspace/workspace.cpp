#include "workspace/workspace.hpp"

#include <array>
#include <cctype>
#include <nlohmann/json.hpp>

#include "engine/error.hpp"
#include "engine/sql_text.hpp"
#include "workspace/materializations.hpp"
#include "workspace/pond_statement.hpp"
#include "workspace/remote_sources.hpp"
#include "workspace/source_manager.hpp"
#include "workspace/source_target.hpp"
#include "workspace/sql_tokenizer.hpp"
#include "workspace/statement_splitter.hpp"
#include "workspace/text_util.hpp"

namespace pond::workspace {
namespace {

engine::DatabaseOptions database_options(const WorkspaceOptions& options) {
  engine::DatabaseOptions out;
  out.path = options.path.empty() ? ":memory:" : options.path;
  out.read_only = options.read_only;
  out.settings = options.settings;
  return out;
}

// The names a statement may use a source by: its names, and the alias given as a string to
// pond_query('alias', ...) or pond_scan('alias', ...).
std::vector<std::string> names_in(std::string_view statement) {
  std::vector<std::string> out;
  const std::vector<Token> tokens = tokenize(statement).tokens;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (!t.is_name()) continue;
    out.push_back(t.text);
    if ((t.is_word("POND_QUERY") || t.is_word("POND_SCAN")) && i + 2 < tokens.size() && tokens[i + 1].is_symbol('(') &&
        tokens[i + 2].kind == TokenKind::string) {
      out.push_back(tokens[i + 2].text);
    }
  }
  return out;
}

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace

Workspace::Workspace(const WorkspaceOptions& options)
    : remote_(std::make_unique<RemoteSources>(options.connectors)),
      database_(database_options(options)),
      meta_connection_(database_.connect()),
      connection_(database_.connect()),
      read_only_(options.read_only) {
  remote_->register_functions(meta_connection_);
  sources_ = std::make_unique<SourceManager>(meta_connection_, read_only_, database_.in_memory() ? "" : options.path,
                                             *remote_);
  // Before the sources are attached: duckdb_tables() then has only the workspace to look at.
  if (!read_only_ && !database_.in_memory()) Materializations::drop_leftover_staging(meta_connection_);
  sources_->restore_all();
  materializations_ = std::make_unique<Materializations>(connection_, *sources_, read_only_);
}

void Workspace::interrupt() const { interrupt(connection_); }

void Workspace::interrupt(const engine::Connection& connection) const {
  connection.interrupt();
  remote_->cancel_for(connection.id());
}

void Workspace::cancel_remote_statements() const { remote_->cancel_all(); }

bool Workspace::ping_source(const std::string& alias) {
  std::optional<SourceRecord> record;
  bool restored = false;
  for (SourceInfo& info : sources()) {
    if (lower(info.record.alias) != lower(alias)) continue;
    if (!info.available) {
      // An explicit test tries again now, whatever the backoff, even a source marked not worth
      // retrying (a refused login): the user says something changed. Success makes it usable.
      info = sources_->retry(info.record.alias);
      if (!info.available) {
        throw Error(ErrorKind::connector,
                    "source '" + info.record.alias + "' is unavailable: " + info.reason +
                        (info.retry_futile ? "; it is not retried on use until a test of its connection succeeds "
                                             "or its secret changes"
                                           : ""),
                    info.retry_futile ? Retry::futile : Retry::may_help);
      }
      restored = true;
    }
    record = std::move(info.record);
  }
  if (!record)
    throw Error(ErrorKind::not_found, "no source named '" + alias + "'; list the sources to see their names");
  engine::Connection connection = open_connection();
  switch (record->kind) {
    case SourceKind::sqlite:
    case SourceKind::postgres:
    case SourceKind::mysql:
      remote_->get(record->alias)->ping();
      return restored;
    case SourceKind::duckdb:
      connection
          .execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ?",
                   std::array<engine::Param, 1>{record->alias})
          .fetch_all();
      return restored;
    case SourceKind::files:
      connection.query("SELECT * FROM " + sql::quote_identifier(record->alias) + " LIMIT 0").fetch_all();
      return restored;
  }
  return restored;
}

engine::Connection Workspace::open_connection() const {
  engine::Connection connection = database_.connect();
  materializations_->prepare_connection(connection);
  return connection;
}

int64_t Workspace::materialize(const std::string& name, const std::string& source, const std::string& query,
                               bool persistent) {
  return materializations_->create(name, source, query, persistent);
}

int64_t Workspace::refresh(const std::string& name) { return materializations_->refresh(name); }

void Workspace::drop_materialization(const std::string& name, bool if_exists) {
  materializations_->drop(name, if_exists);
}

int64_t Workspace::materialize_in_transaction(const std::string& name, const std::string& source,
                                              const std::string& query) {
  return materializations_->replace_in_transaction(name, source, query);
}

void Workspace::drop_materialization_in_transaction(const std::string& name) {
  materializations_->drop_in_transaction(name);
}

std::optional<SecretDefinition> Workspace::persistent_secret(const std::string& name) {
  return sources_->secrets().persistent(name);
}

std::optional<SourceRecord> Workspace::source_record(const std::string& alias) { return sources_->find(alias); }

void Workspace::put_back_source(const SourceRecord& record) { sources_->put_back(record); }

std::vector<SourceRecord> Workspace::source_records() { return sources_->records(); }

std::vector<std::string> Workspace::aliases_sharing_target(const std::string& alias) {
  std::vector<SourceRecord> records = sources_->records();
  const std::string key = lower(alias);
  for (const SourceRecord& record : records) {
    if (lower(record.alias) == key) return aliases_with_same_target(record, records);
  }
  return {};
}

void Workspace::create_secret(const SecretDefinition& secret, bool or_replace) {
  sources_->secrets().create(secret, or_replace, false);
  sources_->secrets_changed();
}

bool Workspace::drop_secret(const std::string& name, bool if_exists) {
  bool dropped = sources_->secrets().drop(name, if_exists);
  sources_->secrets_changed();
  return dropped;
}

Workspace::~Workspace() = default;

engine::Result Workspace::execute(std::string_view statement, engine::ExecMode mode) {
  try {
    return dispatch(statement, mode);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::cancelled) throw;
    rethrow_with_source(statement, e);
  }
}

void Workspace::execute_script(std::string_view script,
                               const std::function<void(std::string_view, engine::Result&)>& on_result) {
  for (const std::string& statement : split_statements(script)) {
    engine::Result result = execute(statement, engine::ExecMode::streaming);
    on_result(statement, result);
  }
}

engine::Result Workspace::no_rows() {
  // A statement that returns nothing, so that Pond's own statements look like DuckDB's DDL.
  return connection_.query("RESET VARIABLE pond_no_rows");
}

engine::Result Workspace::dispatch(std::string_view statement, engine::ExecMode mode) {
  std::optional<PondStatement> pond = parse_pond_statement(statement);
  if (!pond) {
    // A query that names a broken source gets one more restore attempt first.
    sources_->unavailable_among(names_in(statement));
    return connection_.query(statement, mode);
  }
  return std::visit(Overloaded{
                        [&](const AttachStatement& s) {
                          if (s.location == ":memory:" || s.location.empty()) {
                            // In-memory databases live for the session; DuckDB handles them as it always does.
                            return connection_.query(statement, mode);
                          }
                          AttachRequest request{s.location, s.alias, s.read_only, s.type, s.if_not_exists, false, {}};
                          for (const auto& [name, value] : s.options) request.options[lower(name)] = value;
                          attach(request);
                          return no_rows();
                        },
                        [&](const DetachStatement& s) {
                          // Databases attached outside the registry (':memory:') are DuckDB's own.
                          if (!sources_->registry().find(s.alias) &&
                              !connection_
                                   .execute("SELECT 1 FROM duckdb_databases() WHERE database_name = ?",
                                            std::array<engine::Param, 1>{s.alias})
                                   .fetch_all()
                                   .empty()) {
                            return connection_.query(statement, mode);
                          }
                          detach(s.alias, s.if_exists);
                          return no_rows();
                        },
                        [&](const UseFilesStatement& s) {
                          use_files(UseFilesRequest{s.pattern, s.alias, s.format});
                          return no_rows();
                        },
                        [&](const ShowSourcesStatement&) { return show_sources(); },
                        [&](const ShowSourceStatement& s) { return show_source(s.alias); },
                        [&](const CreateSecretStatement& s) {
                          sources_->secrets().create(SecretDefinition{s.name, s.type, s.persistent, s.fields},
                                                     s.or_replace, s.if_not_exists);
                          sources_->secrets_changed();
                          return no_rows();
                        },
                        [&](const DropSecretStatement& s) {
                          // DuckDB's own secrets (S3 ...) keep DuckDB's DROP SECRET.
                          if (!sources_->secrets().contains(s.name)) return connection_.query(statement, mode);
                          sources_->secrets().drop(s.name, s.if_exists);
                          sources_->secrets_changed();
                          return no_rows();
                        },
                        [&](const ShowSecretsStatement&) { return show_secrets(); },
                        [&](const MaterializeStatement& s) {
                          materialize(s.name, s.source, s.query, s.persistent);
                          return no_rows();
                        },
                        [&](const RefreshStatement& s) {
                          refresh(s.name);
                          return no_rows();
                        },
                        [&](const DropMaterializationStatement& s) {
                          materializations_->drop(s.name, s.if_exists);
                          return no_rows();
                        },
                        [&](const ShowMaterializationsStatement&) { return materializations_->show(); },
                    },
                    *pond);
}

std::optional<Error> Workspace::unavailable_source_named_in(std::string_view statement) {
  if (!sources_->any_unavailable()) return std::nullopt;
  std::vector<SourceInfo> broken = sources_->unavailable_among(names_in(statement));
  if (broken.empty()) return std::nullopt;
  return unavailable_source_error(broken.front());
}

void Workspace::rethrow_with_source(std::string_view statement, const std::exception& error) {
  std::vector<SourceInfo> broken;
  try {
    broken = sources_->unavailable_among(names_in(statement));
  } catch (const Error&) {
    // Looking for a culprit must not hide the original error.
  }
  if (!broken.empty()) throw unavailable_source_error(broken.front());
  if (auto* e = dynamic_cast<const Error*>(&error)) throw *e;
  throw Error(ErrorKind::internal, error.what());
}

void Workspace::attach(const AttachRequest& request) { sources_->attach(request); }

void Workspace::detach(const std::string& alias, bool if_exists) { sources_->detach(alias, if_exists); }

void Workspace::use_files(const UseFilesRequest& request) { sources_->use_files(request); }

std::vector<SourceInfo> Workspace::sources() { return sources_->sources(); }

SourceInfo Workspace::retry_source(const std::string& alias) { return sources_->retry(alias); }

engine::Result Workspace::show_secrets() {
  std::string sql =
      "SELECT NULL::VARCHAR AS name, NULL::VARCHAR AS type, NULL::BOOLEAN AS persistent, NULL::VARCHAR AS fields "
      "WHERE false";
  std::vector<engine::Param> params;
  for (const SecretSummary& s : sources_->secrets().list()) {
    std::string fields;
    for (const std::string& f : s.fields) fields += (fields.empty() ? "" : ", ") + f;
    sql += " UNION ALL SELECT ?, ?, ?, ?";
    params.emplace_back(s.name);
    params.emplace_back(s.type);
    params.emplace_back(s.persistent);
    params.emplace_back(fields);
  }
  return connection_.prepare(sql + " ORDER BY name").execute(params);
}

engine::Result Workspace::show_source(const std::string& alias) {
  // One JSON parameter rather than a statement that grows with the number of columns.
  nlohmann::json rows = nlohmann::json::array();
  for (const SourceColumn& c : sources_->columns_of(alias)) {
    rows.push_back({{"schema_name", c.schema},
                    {"table_name", c.table},
                    {"table_type", c.is_view ? "view" : "table"},
                    {"column_name", c.name},
                    {"column_type", c.type},
                    {"remote_type", c.remote_type}});
  }
  std::array<engine::Param, 1> params{rows.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
  return connection_.execute(
      "SELECT unnest(from_json(?, '[{\"schema_name\": \"VARCHAR\", \"table_name\": \"VARCHAR\", \"table_type\": "
      "\"VARCHAR\", \"column_name\": \"VARCHAR\", \"column_type\": \"VARCHAR\", \"remote_type\": "
      "\"VARCHAR\"}]'), recursive := true)",
      params);
}

engine::Result Workspace::show_sources() {
  std::vector<SourceInfo> all = sources();
  if (all.empty()) {
    return connection_.query(
        "SELECT NULL::VARCHAR AS alias, NULL::VARCHAR AS kind, NULL::VARCHAR AS location, NULL::BOOLEAN AS "
        "read_only, NULL::VARCHAR AS status, NULL::VARCHAR AS tables WHERE false");
  }
  std::string sql = "SELECT * FROM (VALUES ";
  std::vector<engine::Param> params;
  for (size_t i = 0; i < all.size(); ++i) {
    const SourceInfo& s = all[i];
    sql += i ? ", (?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?)";
    std::string tables;
    for (const std::string& t : s.tables) tables += (tables.empty() ? "" : ", ") + t;
    params.emplace_back(s.record.alias);
    params.emplace_back(std::string(source_kind_name(s.record.kind)));
    params.emplace_back(s.record.location);
    params.emplace_back(s.record.read_only);
    params.emplace_back(s.available ? std::string("available") : "unavailable: " + s.reason);
    params.emplace_back(tables);
  }
  sql += ") AS sources(alias, kind, location, read_only, status, tables) ORDER BY alias";
  // Not cached: the text changes with the number of sources.
  return connection_.prepare(sql).execute(params);
}

}  // namespace pond::workspace
