// `pond query --server URL`: the statements run on a `pond serve` server through its
// executeQuery endpoint; the rows print exactly as `pond query` prints local ones.

#include <httplib.h>

#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands/commands.hpp"
#include "cli/output/row_writer.hpp"
#include "engine/error.hpp"
#include "workspace/statement_splitter.hpp"

namespace pond::cli {
namespace {

ErrorKind kind_of(const std::string& code) {
  for (ErrorKind kind : {ErrorKind::usage, ErrorKind::not_found, ErrorKind::invalid_input, ErrorKind::connector,
                         ErrorKind::io, ErrorKind::cancelled, ErrorKind::internal}) {
    if (error_kind_name(kind) == code) return kind;
  }
  if (code == "timeout" || code == "shutting_down") return ErrorKind::cancelled;
  if (code == "invalid_json" || code == "too_large") return ErrorKind::invalid_input;
  return ErrorKind::connector;
}

[[noreturn]] void throw_server_error(const nlohmann::json& error, const std::string& url) {
  const std::string code = error.value("code", "internal");
  throw Error(kind_of(code), "server " + url + ": " + error.value("message", "request failed") + " [" + code + "]");
}

// A cell as the row writers expect it: numbers typed by the column, text as DuckDB wrote it.
engine::Value value_of(const nlohmann::json& cell, const std::string& type) {
  using engine::TypeId;
  if (cell.is_null()) return engine::Value::null();
  if (cell.is_boolean()) return engine::Value(TypeId::boolean, cell.get<bool>());
  if (cell.is_number_float()) {
    if (type.starts_with("DECIMAL")) return engine::Value(TypeId::decimal, cell.dump());
    return engine::Value(TypeId::float64, cell.get<double>());
  }
  if (cell.is_number_unsigned()) return engine::Value(TypeId::ubigint, cell.get<uint64_t>());
  if (cell.is_number_integer()) return engine::Value(TypeId::bigint, cell.get<int64_t>());
  if (cell.is_string()) return engine::Value(TypeId::varchar, cell.get<std::string>());
  return engine::Value(TypeId::varchar, cell.dump());
}

}  // namespace

int run_query_on_server(const QueryArgs& args) {
  OutputOptions output = make_output_options(args.output);
  httplib::Client client(args.server);
  if (!client.is_valid())
    throw Error(ErrorKind::usage, "--server '" + args.server + "' is not an http://HOST:PORT URL");
  client.set_read_timeout(3600, 0);
  httplib::Headers headers = {{"Accept", "application/json"}};
  if (const char* token = std::getenv("POND_TOKEN"); token != nullptr && *token != '\0') {
    headers.emplace("Authorization", std::string("Bearer ") + token);
  }
  size_t printed = 0;
  for (const std::string& statement : workspace::split_statements(args.sql)) {
    const std::string body = nlohmann::json{{"sql", statement}}.dump();
    httplib::Result reply = client.Post("/v1/executeQuery", headers, body, "application/json");
    if (!reply) {
      throw Error(ErrorKind::connector,
                  "cannot reach the server " + args.server + " (" + httplib::to_string(reply.error()) + ")");
    }
    nlohmann::json json = nlohmann::json::parse(reply->body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
      throw Error(ErrorKind::connector, "server " + args.server + " answered HTTP " + std::to_string(reply->status) +
                                            " without a JSON body; is it a pond server?");
    }
    if (reply->status != 200) throw_server_error(json, args.server);
    if (json.value("status", "") != "ok")
      throw_server_error(json.value("error", nlohmann::json::object()), args.server);
    if (json.contains("rowsChanged")) continue;  // not a row set, as `pond query` prints nothing for it

    std::vector<engine::Column> columns;
    for (const auto& c : json["columns"]) {
      columns.push_back(
          engine::Column{c["name"].get<std::string>(), engine::TypeId::other, c["type"].get<std::string>()});
    }
    if (printed++ > 0 && output.format != OutputFormat::ndjson) std::cout << '\n';
    auto writer = make_row_writer(output, std::cout);
    writer->begin(columns);
    std::vector<engine::Value> values(columns.size());
    for (const auto& row : json["rows"]) {
      for (size_t i = 0; i < columns.size(); ++i) values[i] = value_of(row[i], columns[i].type_name);
      writer->row(values);
    }
    writer->end();
  }
  return 0;
}

}  // namespace pond::cli
