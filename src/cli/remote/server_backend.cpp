#include "cli/remote/server_backend.hpp"

#include <chrono>
#include <optional>
#include <random>
#include <thread>

#include "cli/remote/answer_reader.hpp"
#include "engine/error.hpp"

namespace pond::cli {
namespace {

using nlohmann::json;

std::string text_field(const json& object, const char* key, const std::string& fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

bool bool_field(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

[[noreturn]] void throw_server_error(const json& error, const std::string& url) {
  const std::string code = text_field(error, "code", "internal");
  throw Error(error_kind_of_code(code),
              "server " + url + ": " + text_field(error, "message", "request failed") + " [" + code + "]");
}

// 128 random bits: the id is the capability to cancel the query (docs/http-api.md).
std::string new_query_id() {
  static thread_local std::mt19937_64 generator{std::random_device{}() ^ (uint64_t(std::random_device{}()) << 32)};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "cli-";
  for (int half = 0; half < 2; ++half) {
    uint64_t bits = generator();
    for (int i = 0; i < 16; ++i, bits >>= 4) id += kHex[bits & 0xF];
  }
  return id;
}

json param_json(const engine::Param& param) {
  return std::visit([](const auto& value) -> json { return json(value); }, param);
}

// The numeric column types by DuckDB's name, so that the table writer aligns them as locally.
engine::TypeId type_id_of(const std::string& name) {
  using engine::TypeId;
  static const std::pair<const char*, TypeId> kTypes[] = {
      {"TINYINT", TypeId::tinyint},     {"SMALLINT", TypeId::smallint}, {"INTEGER", TypeId::integer},
      {"BIGINT", TypeId::bigint},       {"HUGEINT", TypeId::hugeint},   {"UTINYINT", TypeId::utinyint},
      {"USMALLINT", TypeId::usmallint}, {"UINTEGER", TypeId::uinteger}, {"UBIGINT", TypeId::ubigint},
      {"UHUGEINT", TypeId::uhugeint},   {"FLOAT", TypeId::float32},     {"DOUBLE", TypeId::float64},
      {"BOOLEAN", TypeId::boolean},     {"VARCHAR", TypeId::varchar},   {"DATE", TypeId::date}};
  if (name.starts_with("DECIMAL")) return TypeId::decimal;
  for (const auto& [type_name, id] : kTypes) {
    if (name == type_name) return id;
  }
  return TypeId::other;
}

// A cell as the row writers expect it: numbers typed by the column, text as DuckDB wrote it.
// ServerClient keeps non-integer numbers (and integers beyond 64 bits) as their exact text.
engine::Value value_of(const json& cell, const engine::Column& column) {
  using engine::TypeId;
  if (cell.is_null()) return engine::Value::null();
  if (cell.is_boolean()) return engine::Value(TypeId::boolean, cell.get<bool>());
  if (cell.is_number_unsigned()) return engine::Value(TypeId::ubigint, cell.get<uint64_t>());
  if (cell.is_number_integer()) return engine::Value(TypeId::bigint, cell.get<int64_t>());
  if (!cell.is_string()) return engine::Value(TypeId::varchar, cell.dump());
  const std::string& text = cell.get_ref<const std::string&>();
  switch (column.type) {
    case TypeId::float32:
    case TypeId::float64:
      return engine::Value(column.type, std::strtod(text.c_str(), nullptr));
    case TypeId::decimal:
    case TypeId::hugeint:
    case TypeId::uhugeint:
    case TypeId::bigint:
    case TypeId::ubigint:
      return engine::Value(column.type, text);  // exact text: a DECIMAL, or an integer beyond 64 bits
    default:
      return engine::Value(TypeId::varchar, text);
  }
}

std::vector<engine::Column> columns_of(const json& list, const std::string& url) {
  if (!list.is_array()) throw Error(ErrorKind::connector, "server " + url + " sent columns that are not a list");
  std::vector<engine::Column> columns;
  for (const json& c : list) {
    columns.push_back(
        engine::Column{text_field(c, "name", "?"), type_id_of(text_field(c, "type", "")), text_field(c, "type", "")});
  }
  return columns;
}

void write_row(const json& row, const std::vector<engine::Column>& columns, const std::string& url,
               std::vector<engine::Value>& values, RowWriter& writer) {
  if (!row.is_array() || row.size() != columns.size())
    throw Error(ErrorKind::connector, "server " + url + " sent a row that does not match its columns");
  values.resize(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) values[i] = value_of(row[i], columns[i]);
  writer.row(values);
}

void write_rows(const json& answer, const std::string& url, RowWriter& writer) {
  if (!answer.contains("columns") || !answer.contains("rows") || !answer["rows"].is_array())
    throw Error(ErrorKind::connector, "server " + url + " answered without columns and rows; is it a pond server?");
  const std::vector<engine::Column> columns = columns_of(answer["columns"], url);
  writer.begin(columns);
  std::vector<engine::Value> values;
  for (const json& row : answer["rows"]) write_row(row, columns, url, values, writer);
  writer.end();
}

}  // namespace

void ServerBackend::check() { client_.post("listConnections", json::object()); }

void ServerBackend::execute(const std::string& statement, std::span<const engine::Param> params,
                            const OpenWriter& open) {
  const std::string id = new_query_id();
  json body = {{"sql", statement}, {"queryId", id}};
  if (!params.empty()) {
    json list = json::array();
    for (const engine::Param& p : params) list.push_back(param_json(p));
    body["params"] = std::move(list);
  }
  {
    std::lock_guard lock(mutex_);
    running_query_id_ = id;
    interrupted_ = false;
  }
  // Rows are printed as they arrive. The writer is opened at the second row, or at the end:
  // a statement that changes rows answers with one row ("Count") and, in the answer's last
  // member, "rowsChanged", and prints nothing, as locally; so the first row waits for the
  // second one or the end.
  const std::string& url = client_.url();
  std::vector<engine::Column> columns;
  bool have_columns = false;
  RowWriter* writer = nullptr;
  std::vector<engine::Value> values;
  std::optional<json> first_row;
  auto open_writer = [&] {
    writer = &open();
    writer->begin(columns);
    if (first_row) write_row(*first_row, columns, url, values, *writer);
    first_row.reset();
  };
  AnswerReader reader(
      [&](const json& list) {
        columns = columns_of(list, url);
        have_columns = true;
      },
      [&](json& row) {
        if (!have_columns) throw Error(ErrorKind::connector, "server " + url + " sent rows before their columns");
        if (writer == nullptr && !first_row) {
          first_row = std::move(row);
          return;
        }
        if (writer == nullptr) open_writer();
        write_row(row, columns, url, values, *writer);
      });
  int error_status = 0;
  std::string error_text;
  std::exception_ptr failure;
  try {
    client_.post_stream("executeQuery", body, [&](int status, const char* data, size_t size) {
      if (status != 200) {
        error_status = status;
        error_text.assign(data, size);
        return true;
      }
      try {
        if (!reader.feed(data, size))
          throw Error(ErrorKind::connector,
                      "server " + url + " answered with JSON that is not a result; is it a pond server?");
      } catch (...) {
        failure = std::current_exception();  // not through the HTTP library: stop reading, rethrow below
        return false;
      }
      return !interrupted_.load();
    });
  } catch (...) {
    std::lock_guard lock(mutex_);
    running_query_id_.clear();
    throw;
  }
  bool interrupted = false;
  {
    std::lock_guard lock(mutex_);
    running_query_id_.clear();
    interrupted = interrupted_;
  }
  if (failure) std::rethrow_exception(failure);
  if (interrupted) throw Error(ErrorKind::cancelled, "cancelled by Ctrl-C");
  if (error_status != 0) client_.throw_status(error_status, error_text);
  if (!reader.complete()) {
    throw Error(ErrorKind::connector, "the server " + url + " ended its answer before the last row");
  }
  const json& answer = reader.fields();
  // An error after the rows started streaming ends the 200 answer with status "error".
  if (text_field(answer, "status", "") != "ok") {
    if (writer != nullptr) writer->end();  // close what was printed, then report
    throw_server_error(answer.contains("error") ? answer["error"] : json::object(), url);
  }
  if (answer.contains("rowsChanged")) return;  // no row set, as locally
  if (!have_columns)
    throw Error(ErrorKind::connector, "server " + url + " answered without columns and rows; is it a pond server?");
  if (writer == nullptr) open_writer();
  writer->end();
}

void ServerBackend::list_sources(const OpenWriter& open) {
  const json answer = client_.post("listConnections", json::object());
  if (!answer.contains("sources") || !answer["sources"].is_array())
    throw Error(ErrorKind::connector, "server " + client_.url() + " answered without sources; is it a pond server?");
  // The same columns as the local SHOW SOURCES.
  json rows = json::array();
  for (const json& s : answer["sources"]) {
    std::string tables;
    if (s.contains("tables") && s["tables"].is_array()) {
      for (const json& t : s["tables"])
        tables += (tables.empty() ? "" : ", ") + (t.is_string() ? t.get<std::string>() : t.dump());
    }
    if (!s.is_object()) continue;
    const bool available = bool_field(s, "available");
    rows.push_back({text_field(s, "alias", ""), text_field(s, "kind", ""), text_field(s, "location", ""),
                    bool_field(s, "readOnly"),
                    available ? std::string("available") : "unavailable: " + text_field(s, "reason", ""), tables});
  }
  const json table = {{"columns",
                       {{{"name", "alias"}, {"type", "VARCHAR"}},
                        {{"name", "kind"}, {"type", "VARCHAR"}},
                        {{"name", "location"}, {"type", "VARCHAR"}},
                        {{"name", "read_only"}, {"type", "BOOLEAN"}},
                        {{"name", "status"}, {"type", "VARCHAR"}},
                        {{"name", "tables"}, {"type", "VARCHAR"}}}},
                      {"rows", rows}};
  write_rows(table, client_.url(), open());
}

void ServerBackend::interrupt() {
  std::string id;
  {
    std::lock_guard lock(mutex_);
    id = running_query_id_;
  }
  if (id.empty()) return;
  interrupted_ = true;  // the statement's reader stops printing at its next piece
  // The server knows the id once executeQuery has reached it; a Ctrl-C right after the
  // statement was sent may come first (404), so try again for a moment.
  for (int attempt = 0; attempt < 40; ++attempt) {
    try {
      client_.post("cancelQuery", {{"queryId", id}});
      return;
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::not_found) return;  // the statement's own call reports the server's state
    } catch (const std::exception&) {
      return;  // on the interrupt watcher's thread: nothing may escape
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::lock_guard lock(mutex_);
    if (running_query_id_ != id) return;  // finished meanwhile
  }
}

}  // namespace pond::cli
