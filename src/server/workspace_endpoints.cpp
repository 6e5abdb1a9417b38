// listConnections (and its alias sources), testConnection, listCatalog, attach, detach,
// materialize and refresh: the workspace's sources and catalog over HTTP.

#include <httplib.h>

#include <algorithm>
#include <array>
#include <functional>
#include <set>

#include "engine/error.hpp"
#include "server/http_error.hpp"
#include "server/request_body.hpp"
#include "server/result_stream.hpp"
#include "server/server.hpp"
#include "workspace/file_source.hpp"

namespace pond::server {
namespace {

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Data files (CSV / Parquet / JSON, optionally compressed) and globs become file sources.
bool names_data_files(const std::string& location) {
  return location.find_first_of("*?[") != std::string::npos || !workspace::detect_file_format(location).empty();
}

nlohmann::json source_json(const workspace::SourceInfo& s) {
  // The registry never holds a password: connection strings are stored without one.
  return {{"alias", s.record.alias},
          {"kind", std::string(workspace::source_kind_name(s.record.kind))},
          {"location", s.record.location},
          {"format", s.record.format},
          {"readOnly", s.record.read_only},
          {"available", s.available},
          {"reason", s.reason},
          {"tables", s.tables}};
}

nlohmann::json* find_named(nlohmann::json& array, const std::string& name) {
  for (auto& item : array) {
    if (item["name"] == name) return &item;
  }
  return nullptr;
}

}  // namespace

void Server::list_connections(const httplib::Request& request, httplib::Response& response) {
  RequestBody::parse(request.body, {});
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& s : workspace_.sources()) sources.push_back(source_json(s));
  send_json(response, {{"sources", sources}});
}

void Server::test_connection(const httplib::Request& request, httplib::Response& response) {
  RequestBody body = RequestBody::parse(request.body, {"alias"});
  const std::string alias = body.required_string("alias");
  const auto started = std::chrono::steady_clock::now();
  nlohmann::json out = {{"alias", alias}};
  try {
    workspace_.ping_source(alias);
    out["ok"] = true;
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::not_found &&
        e.what() == "no source named '" + alias + "'; list the sources to see their names") {
      throw;
    }
    out["ok"] = false;
    out["error"] = error_json(std::string(error_kind_name(e.kind())), e.what());
  }
  out["latencyMs"] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  send_json(response, out);
}

void Server::list_catalog(const httplib::Request& request, httplib::Response& response) {
  RequestBody body = RequestBody::parse(request.body, {"source"});
  const std::string source = body.optional_string("source").value_or("");
  std::set<std::string> aliases;
  for (const auto& s : workspace_.sources()) aliases.insert(lowercase(s.record.alias));
  if (!source.empty() && !aliases.contains(lowercase(source))) {
    throw HttpError(404, "not_found", "no source named '" + source + "'; listConnections shows the sources");
  }
  engine::Connection connection = workspace_.open_connection();
  // File sources are views named by their alias in the workspace's own catalog.
  const std::string sql =
      "WITH objects AS (SELECT database_name, schema_name, table_name AS name, 'table' AS kind FROM duckdb_tables() "
      "WHERE NOT internal UNION ALL SELECT database_name, schema_name, view_name, 'view' FROM duckdb_views() WHERE "
      "NOT internal) "
      "SELECT c.database_name, c.schema_name, c.table_name, o.kind, c.column_name, c.data_type, c.is_nullable "
      "FROM duckdb_columns() c JOIN objects o ON o.database_name = c.database_name AND o.schema_name = "
      "c.schema_name AND o.name = c.table_name "
      "WHERE NOT c.internal AND c.database_name NOT IN ('system', 'temp') AND (? = '' OR lower(c.database_name) = "
      "lower(?) OR (c.database_name = current_database() AND lower(c.table_name) = lower(?))) "
      "ORDER BY c.database_name, c.schema_name, c.table_name, c.column_index";
  const std::array<engine::Param, 3> params = {source, source, source};
  nlohmann::json catalogs = nlohmann::json::array();
  for (const auto& row : connection.execute(sql, params).fetch_all()) {
    const std::string database = row[0].to_string();
    nlohmann::json* catalog = find_named(catalogs, database);
    if (catalog == nullptr) {
      catalogs.push_back({{"name", database},
                          {"source", aliases.contains(lowercase(database)) ? nlohmann::json(database) : nullptr},
                          {"schemas", nlohmann::json::array()}});
      catalog = &catalogs.back();
    }
    nlohmann::json* schema = find_named((*catalog)["schemas"], row[1].to_string());
    if (schema == nullptr) {
      (*catalog)["schemas"].push_back({{"name", row[1].to_string()}, {"tables", nlohmann::json::array()}});
      schema = &(*catalog)["schemas"].back();
    }
    nlohmann::json* table = find_named((*schema)["tables"], row[2].to_string());
    if (table == nullptr) {
      (*schema)["tables"].push_back(
          {{"name", row[2].to_string()}, {"kind", row[3].to_string()}, {"columns", nlohmann::json::array()}});
      table = &(*schema)["tables"].back();
    }
    (*table)["columns"].push_back(
        {{"name", row[4].to_string()}, {"type", row[5].to_string()}, {"nullable", row[6].as_bool()}});
  }
  send_json(response, {{"catalogs", catalogs}});
}

void Server::attach(const httplib::Request& request, httplib::Response& response) {
  RequestBody body =
      RequestBody::parse(request.body, {"location", "alias", "type", "readOnly", "ifNotExists", "format", "options"});
  const std::string location = body.required_string("location");
  const std::string alias = body.optional_string("alias").value_or("");
  const std::string type = lowercase(body.optional_string("type").value_or(""));
  const std::string format = lowercase(body.optional_string("format").value_or(""));
  std::set<std::string> before;
  for (const auto& s : workspace_.sources()) before.insert(s.record.alias);
  InvalidateOnExit catalog_changes(pool_);

  if (type == "files" || (type.empty() && names_data_files(location))) {
    if (alias.empty()) throw HttpError(400, "usage", "attaching data files needs an \"alias\"");
    roots_.check(location);
    workspace_.use_files({location, alias, format});
  } else {
    if (!type.empty() && type != "duckdb" && type != "sqlite" && type != "postgres" && type != "mysql") {
      throw HttpError(400, "usage", "unknown source type '" + type + "'; use duckdb, files, sqlite, postgres or mysql");
    }
    if (type.empty() || type == "duckdb" || type == "sqlite") roots_.check(location);
    workspace::AttachRequest attach;
    attach.location = location;
    attach.alias = alias;
    attach.type = type;
    attach.read_only = body.optional_bool("readOnly", false);
    attach.if_not_exists = body.optional_bool("ifNotExists", false);
    attach.must_exist = true;
    for (const auto& [key, value] : body.optional_string_map("options")) attach.options[lowercase(key)] = value;
    workspace_.attach(attach);
  }
  nlohmann::json attached = nullptr;
  std::string attached_alias;
  for (const auto& s : workspace_.sources()) {
    if ((!alias.empty() && lowercase(s.record.alias) == lowercase(alias)) ||
        (alias.empty() && !before.contains(s.record.alias))) {
      attached = source_json(s);
      attached_alias = s.record.alias;
    }
  }
  // Registering one file under two aliases is allowed; the client is told, as the CLI's note does.
  nlohmann::json also = nlohmann::json::array();
  if (!attached_alias.empty()) {
    for (const auto& other : workspace_.aliases_sharing_target(attached_alias)) also.push_back(other);
  }
  send_json(response, {{"attached", true}, {"source", attached}, {"alsoRegisteredAs", also}});
}

void Server::detach(const httplib::Request& request, httplib::Response& response) {
  RequestBody body = RequestBody::parse(request.body, {"alias", "ifExists"});
  const std::string alias = body.required_string("alias");
  InvalidateOnExit catalog_changes(pool_);
  workspace_.detach(alias, body.optional_bool("ifExists", false));
  send_json(response, {{"detached", alias}});
}

// Materialize and refresh run on the workspace's primary connection, one at a time, each as a
// query of the registry: cancelQuery and --query-timeout stop them (waiting for the
// connection included), and they count against --max-queries.
nlohmann::json Server::run_on_primary(const std::string& id, const std::function<nlohmann::json()>& work) {
  check_query_id(id);
  std::shared_ptr<ActiveQuery> query = registry_.start_borrowing(id);
  RunningQueryGuard guard(registry_, query->id());
  try {
    std::unique_lock lock(primary_mutex_, std::defer_lock);
    while (!lock.try_lock_for(std::chrono::milliseconds(50))) {
      query->throw_if_stopped();
    }
    query->throw_if_stopped();
    QueryTargetScope target(*query, workspace_.connection());
    InvalidateOnExit catalog_changes(pool_);
    // Work that finished before a stop could interrupt it is reported as done: it was.
    nlohmann::json out = work();
    out["queryId"] = query->id();
    return out;
  } catch (const std::exception& e) {
    ErrorBody error = query_error(*query, e);
    throw HttpError(error.status, error.body["code"].get<std::string>(), error.body["message"].get<std::string>(),
                    error.body["detail"]);
  }
}

void Server::materialize(const httplib::Request& request, httplib::Response& response) {
  RequestBody body = RequestBody::parse(request.body, {"name", "source", "query", "persistent", "queryId"});
  const std::string name = body.required_string("name");
  const std::string source = body.required_string("source");
  const std::string query = body.required_string("query");
  const bool persistent = body.optional_bool("persistent", false);
  const std::string id = body.optional_string("queryId").value_or("");
  nlohmann::json out = run_on_primary(id, [&] {
    const int64_t rows = workspace_.materialize(name, source, query, persistent);
    return nlohmann::json{{"name", name}, {"rows", rows}, {"persistent", persistent}};
  });
  response.set_header("Pond-Query-Id", out["queryId"].get<std::string>());
  send_json(response, out);
}

void Server::refresh(const httplib::Request& request, httplib::Response& response) {
  RequestBody body = RequestBody::parse(request.body, {"name", "queryId"});
  const std::string name = body.required_string("name");
  const std::string id = body.optional_string("queryId").value_or("");
  nlohmann::json out = run_on_primary(id, [&] {
    const int64_t rows = workspace_.refresh(name);
    return nlohmann::json{{"name", name}, {"rows", rows}};
  });
  response.set_header("Pond-Query-Id", out["queryId"].get<std::string>());
  send_json(response, out);
}

}  // namespace pond::server
