// SourceManager's part for connector-backed sources (SQLite, PostgreSQL, MySQL): each one is
// an in-memory DuckDB catalog named by the alias, holding a view per remote table over
// pond_scan(alias, schema, table).

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <utility>

#include "engine/error.hpp"
#include "engine/sql_text.hpp"
#include "workspace/file_source.hpp"
#include "workspace/source_manager.hpp"
#include "workspace/text_util.hpp"

namespace pond::workspace {
namespace {

ConnectionSettings settings_for(const SourceRecord& record, SecretStore& secrets) {
  ConnectionSettings settings;
  settings.alias = record.alias;
  settings.location = record.location;
  settings.read_only = record.read_only;
  nlohmann::json options = nlohmann::json::parse(record.options.empty() ? "{}" : record.options);
  for (auto& [key, value] : options.items()) {
    if (key == "secret") continue;
    settings.options[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  if (options.contains("secret")) settings.secret = secrets.resolve(options["secret"].get<std::string>());
  return settings;
}

std::string view_sql(const std::string& alias, const std::string& schema, const std::string& view_schema,
                     const std::string& table) {
  return "CREATE OR REPLACE VIEW " + sql::qualified_name(alias, view_schema, table) + " AS SELECT * FROM pond_scan(" +
         sql::quote_literal(alias) + ", " + sql::quote_literal(schema) + ", " + sql::quote_literal(table) + ")";
}

// A password inside the connection string would end up in the registry and in SHOW SOURCES.
void reject_inline_password(const std::string& location) {
  static const std::regex keyword(R"((^|\s)password\s*=)", std::regex::icase);
  static const std::regex uri_password(R"(://[^/@\s]*:[^/@\s]*@)");
  if (std::regex_search(location, keyword) || std::regex_search(location, uri_password)) {
    throw Error(ErrorKind::invalid_input,
                "the connection string contains a password; remove it, CREATE SECRET name (TYPE ..., PASSWORD_ENV "
                "'VAR') and ATTACH ... (SECRET name)");
  }
}

}  // namespace

void SourceManager::restore_remote(const SourceRecord& record) {
  Connector* connector = remote_.connector(record.kind);
  if (!connector) {
    throw Error(ErrorKind::connector,
                "this build of pond has no " + std::string(source_kind_name(record.kind)) + " connector");
  }
  std::shared_ptr<RemoteSource> source = connector->open(settings_for(record, secrets_));
  std::vector<RemoteTable> tables = source->tables();
  std::string default_schema = source->default_schema();

  // Rebuild the catalog from scratch so that a retry sees tables added since.
  if (database_attached(record.alias)) {
    connection_.query("DETACH DATABASE IF EXISTS " + sql::quote_identifier(record.alias));
  }
  remote_.put(record.alias, source);
  try {
    connection_.query("ATTACH ':memory:' AS " + sql::quote_identifier(record.alias));
    // DuckDB's names are case-insensitive: of two remote tables whose names differ only in
    // case ("Orders" and "orders"), the first keeps the view and the other is read with
    // pond_scan — a CREATE OR REPLACE would silently make one name show the other's rows.
    std::set<std::pair<std::string, std::string>> views;
    auto create_view = [&](const RemoteTable& t, const std::string& view_schema) {
      if (!views.emplace(lower(view_schema), lower(t.name)).second) return;
      connection_.query(view_sql(record.alias, t.schema, view_schema, t.name));
    };
    for (const RemoteTable& t : tables) {
      std::string schema = t.schema.empty() ? "main" : t.schema;
      if (schema != "main") {
        connection_.query("CREATE SCHEMA IF NOT EXISTS " + sql::qualified_name(record.alias, schema, ""));
      }
      create_view(t, schema);
      if (schema == default_schema && schema != "main") create_view(t, "main");
    }
  } catch (...) {
    remote_.remove(record.alias);
    connection_.query("DETACH DATABASE IF EXISTS " + sql::quote_identifier(record.alias));
    throw;
  }
}

void SourceManager::attach_remote(const AttachRequest& request, SourceKind kind) {
  if (read_only_) {
    throw Error(ErrorKind::invalid_input,
                "the workspace is open read-only; reopen it without --read-only to attach sources");
  }
  if (request.location.empty()) throw Error(ErrorKind::invalid_input, "ATTACH needs a location");
  std::string location = request.location;
  if (kind == SourceKind::sqlite) {
    location = absolute_location(request.location);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(location, ec)) {
      throw Error(ErrorKind::not_found, "SQLite file '" + request.location + "' does not exist; check the path");
    }
  } else {
    reject_inline_password(location);
  }
  if (request.alias.empty() && kind != SourceKind::sqlite) {
    throw Error(ErrorKind::invalid_input, "ATTACH of a database server needs AS <alias>");
  }
  std::string alias = request.alias.empty() ? std::filesystem::path(location).stem().string() : request.alias;
  if (request.if_not_exists && registry_.find(alias)) return;
  check_new_alias(alias);

  nlohmann::json options = nlohmann::json::object();
  for (const auto& [key, value] : request.options) options[lower(key)] = value;
  if (options.contains("secret") && !secrets_.contains(options["secret"].get<std::string>())) {
    throw Error(ErrorKind::not_found,
                "secret '" + options["secret"].get<std::string>() + "' does not exist; CREATE SECRET it before ATTACH");
  }
  SourceRecord record{alias, kind, location, "", true, options.dump(), ""};
  try {
    restore_remote(record);
  } catch (const Error& e) {
    throw e.reworded("cannot attach '" + alias + "': " + e.what());
  }
  try {
    registry_.insert(record);
  } catch (...) {
    remote_.remove(alias);
    connection_.query("DETACH DATABASE IF EXISTS " + sql::quote_identifier(alias));
    throw;
  }
  set_state(alias, true, "");
}

}  // namespace pond::workspace
