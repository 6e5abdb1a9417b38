#include "catalog/catalog_validator.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "catalog/diagnostics.hpp"
#include "catalog/yaml_values.hpp"
#include "engine/database.hpp"
#include "engine/error.hpp"
#include "engine/sql_text.hpp"
#include "workspace/file_source.hpp"

namespace pond::catalog {
namespace fs = std::filesystem;
namespace {

const std::set<std::string> kReservedNames = {
    "memory", "system", "temp", "main", "pond_meta", "pond_ephemeral", "information_schema", "pg_catalog"};

void collect_references(const nlohmann::json& node, std::vector<TableReference>& out, std::set<std::string>& ctes) {
  if (node.is_array()) {
    for (const nlohmann::json& child : node) collect_references(child, out, ctes);
    return;
  }
  if (!node.is_object()) return;
  if (auto map = node.find("cte_map"); map != node.end() && map->is_object() && map->contains("map")) {
    for (const nlohmann::json& entry : (*map)["map"]) {
      if (entry.is_object() && entry.contains("key") && entry["key"].is_string()) {
        ctes.insert(lower_ascii(entry["key"].get<std::string>()));
      }
    }
  }
  auto text = [&node](const char* key) {
    auto it = node.find(key);
    return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (text("type") == "BASE_TABLE" && node.contains("table_name")) {
    size_t position = 0;
    if (node.contains("query_location") && node["query_location"].is_number_unsigned()) {
      position = node["query_location"].get<size_t>();
    }
    out.push_back(TableReference{text("catalog_name"), text("schema_name"), text("table_name"), position});
  }
  for (const auto& [key, child] : node.items()) collect_references(child, out, ctes);
}

// "line L, column C" of character `position` in `sql`.
std::string sql_position(const std::string& sql, size_t position) {
  int line = 1;
  int column = 1;
  for (size_t i = 0; i < position && i < sql.size(); ++i) {
    if (sql[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

class Validator {
 public:
  Validator(const Catalog& catalog, const WorkspaceNames& existing)
      : catalog_(catalog),
        existing_(existing),
        database_(engine::DatabaseOptions{}),
        connection_(database_.connect()) {}

  void run() {
    check_settings();
    check_extensions();
    check_secrets();
    check_names();
    check_sources();
    check_views();
    check_view_cycles();
    check_materializations();
    diag_.throw_if_any();
  }

 private:
  void check_settings() {
    std::vector<std::string> known;
    for (const auto& row : connection_.query("SELECT name FROM duckdb_settings()").fetch_all()) {
      known.push_back(lower_ascii(row[0].to_string()));
    }
    for (const SettingSpec& s : catalog_.settings) {
      if (std::find(known.begin(), known.end(), lower_ascii(s.name)) == known.end()) {
        diag_.add(s.at, "unknown DuckDB setting '" + s.name + "'" + did_you_mean(s.name, known) +
                            " (SELECT name FROM duckdb_settings() lists them)");
        continue;
      }
      try {
        connection_.query(setting_statement(s));
      } catch (const Error& e) {
        diag_.add(s.at, "invalid value for DuckDB setting '" + s.name + "': " + redact(e.what(), s.value));
      }
    }
  }

  void check_extensions() {
    std::vector<std::string> builtins(builtin_extensions().begin(), builtin_extensions().end());
    for (const ExtensionSpec& e : catalog_.extensions) {
      if (builtin_extensions().contains(lower_ascii(e.name))) continue;
      diag_.add(e.at, "extension '" + e.name + "' is not built into Pond's DuckDB and cannot be installed here" +
                          did_you_mean(e.name, builtins) +
                          " (built in: core_functions, icu, json, parquet; PostgreSQL, MySQL and SQLite are "
                          "Pond sources)");
    }
  }

  void check_secrets() {
    for (const SecretSpec& s : catalog_.secrets) {
      int passwords =
          int(s.fields.count("password")) + int(s.fields.count("password_env")) + int(s.fields.count("password_file"));
      if (passwords > 1) {
        diag_.add(s.at, "secret '" + s.name + "': give only one of password, password_env and password_file");
      }
      if (s.persistent && s.fields.count("password")) {
        diag_.add(s.field_at.at("password"),
                  "secret '" + s.name +
                      "': a persistent secret never stores a password in the workspace; use password_env: VAR or "
                      "password_file: path (mode 0600), or make it persistent: false");
      }
      if (auto it = s.fields.find("password_file"); it != s.fields.end()) {
        std::error_code ec;
        if (!fs::is_regular_file(it->second, ec)) {
          diag_.add(s.field_at.at("password_file"),
                    "secret '" + s.name + "': password_file '" + it->second + "' does not exist");
        }
      }
      if (auto it = s.fields.find("password_env"); it != s.fields.end() && !std::getenv(it->second.c_str())) {
        diag_.add(s.field_at.at("password_env"),
                  "secret '" + s.name + "': environment variable " + it->second + " is not set");
      }
    }
  }

  void check_names() {
    std::map<std::string, std::pair<std::string, Location>> taken;  // lower-case name -> (kind, where)
    auto claim = [&](const std::string& kind, const std::string& name, const Location& at) {
      std::string key = lower_ascii(name);
      if (kReservedNames.contains(key)) {
        diag_.add(at, kind + " '" + name + "': '" + name + "' is a reserved name; choose another");
        return;
      }
      auto [first, inserted] = taken.emplace(key, std::make_pair(kind, at));
      if (!inserted) {
        diag_.add(at, kind + " '" + name + "' has the same name as " + first->second.first + " '" + name + "' (at " +
                          first->second.second.to_string() +
                          "); names are shared by sources, views "
                          "and materializations");
      }
    };
    for (const SourceSpec& s : catalog_.sources) claim("source", s.name, s.at);
    for (const ViewSpec& v : catalog_.views) claim("view", v.name, v.at);
    for (const MaterializationSpec& m : catalog_.materializations) claim("materialization", m.name, m.at);
  }

  void check_sources() {
    static const std::regex keyword(R"((^|\s)password\s*=)", std::regex::icase);
    static const std::regex uri_password(R"(://[^/@\s]*:[^/@\s]*@)");
    for (const SourceSpec& s : catalog_.sources) {
      std::string what = "source '" + s.name + "'";
      std::error_code ec;
      if (s.type == "duckdb" || s.type == "sqlite") {
        if (!fs::is_regular_file(s.location, ec)) {
          diag_.add(s.location_at, what + ": file '" + s.location + "' does not exist; check the path");
        } else if (s.type == "duckdb" && catalog_.workspace != ":memory:" &&
                   fs::equivalent(s.location, catalog_.workspace, ec)) {
          diag_.add(s.location_at, what + ": cannot attach the workspace file to itself");
        }
      } else if (s.type == "files") {
        std::array<engine::Param, 1> params{s.location};
        if (connection_.execute("SELECT count(*) FROM glob(?)", params).fetch_all()[0][0].as_int64() == 0) {
          diag_.add(s.location_at, what + ": no files match '" + s.location + "'; check the path or glob");
        }
        if (s.format.empty() && workspace::detect_file_format(s.location).empty()) {
          diag_.add(s.location_at,
                    what + ": cannot tell the file format from the name; add format: csv, parquet or json");
        }
      } else {
        if (std::regex_search(s.location, keyword) || std::regex_search(s.location, uri_password)) {
          diag_.add(s.location_at, what +
                                       ": the dsn contains a password; move it into a secret (password: "
                                       "\"${VAR}\" or password_env) and name the secret with secret:");
        }
        if (!s.secret.empty() && !catalog_.find_secret(s.secret) &&
            !existing_.secrets.contains(lower_ascii(s.secret))) {
          std::vector<std::string> names;
          for (const SecretSpec& secret : catalog_.secrets) names.push_back(secret.name);
          diag_.add(s.secret_at, what + ": unknown secret '" + s.secret + "'" + did_you_mean(s.secret, names));
        } else if (const SecretSpec* secret = catalog_.find_secret(s.secret); secret && secret->type != s.type) {
          diag_.add(s.secret_at, what + ": secret '" + s.secret + "' is a " + secret->type + " secret, not " + s.type);
        }
      }
    }
  }

  void check_views() {
    std::vector<std::string> source_names;
    for (const SourceSpec& s : catalog_.sources) source_names.push_back(s.name);
    for (const ViewSpec& v : catalog_.views) {
      std::string what = "view '" + v.name + "'";
      std::array<engine::Param, 1> params{v.sql};
      auto rows = connection_.execute("SELECT json_serialize_sql(?::VARCHAR)", params).fetch_all();
      nlohmann::json parsed = nlohmann::json::parse(rows[0][0].to_string(), nullptr, false);
      if (parsed.is_discarded()) continue;
      if (parsed.value("error", false)) {
        std::string message = parsed.value("error_message", std::string("invalid SQL"));
        if (message.find("Only SELECT") != std::string::npos) message = "a view must be a SELECT statement";
        diag_.add(v.sql_at, what + ": " + message + position_note(v.sql, parsed));
        continue;
      }
      if (parsed.contains("statements") && parsed["statements"].size() != 1) {
        diag_.add(v.sql_at, what + ": a view must be exactly one SELECT statement");
        continue;
      }
      std::set<std::string> reported;
      for (const SourceReference& ref : source_references(connection_, v.sql)) {
        std::string key = lower_ascii(ref.name);
        if (catalog_.find_source(ref.name) || kReservedNames.contains(key) || existing_.sources.contains(key) ||
            existing_.databases.contains(key) || !reported.insert(key).second) {
          continue;
        }
        diag_.add(v.sql_at, what + " references unknown source '" + ref.name + "' (" +
                                sql_position(v.sql, ref.position) + " of the SQL)" +
                                did_you_mean(ref.name, source_names));
      }
    }
  }

  // Views of this catalog that read each other in a circle cannot be created in any order.
  void check_view_cycles() {
    std::map<std::string, const ViewSpec*> views;
    for (const ViewSpec& v : catalog_.views) views[lower_ascii(v.name)] = &v;
    std::map<std::string, std::vector<std::string>> reads;
    for (const ViewSpec& v : catalog_.views) {
      for (const TableReference& ref : table_references(connection_, v.sql)) {
        if (ref.maybe_cte || !ref.catalog.empty() || (!ref.schema.empty() && lower_ascii(ref.schema) != "main")) {
          continue;
        }
        if (views.contains(lower_ascii(ref.table))) reads[lower_ascii(v.name)].push_back(lower_ascii(ref.table));
      }
    }
    std::map<std::string, int> state;  // 1: on the current path, 2: done
    std::vector<std::string> path;
    std::function<void(const std::string&)> visit = [&](const std::string& name) {
      state[name] = 1;
      path.push_back(name);
      for (const std::string& next : reads[name]) {
        if (state[next] == 1) {
          std::string circle;
          for (auto it = std::find(path.begin(), path.end(), next); it != path.end(); ++it) {
            circle += views[*it]->name + " -> ";
          }
          const ViewSpec& first = *views[next];
          diag_.add(first.sql_at,
                    "view '" + first.name + "' reads itself through " + circle + first.name + "; break the cycle");
        } else if (state[next] == 0) {
          visit(next);
        }
      }
      path.pop_back();
      state[name] = 2;
    };
    for (const ViewSpec& v : catalog_.views) {
      if (state[lower_ascii(v.name)] == 0) visit(lower_ascii(v.name));
    }
  }

  void check_materializations() {
    std::vector<std::string> source_names;
    for (const SourceSpec& s : catalog_.sources) source_names.push_back(s.name);
    for (const MaterializationSpec& m : catalog_.materializations) {
      if (catalog_.find_source(m.source) || existing_.sources.contains(lower_ascii(m.source))) continue;
      diag_.add(m.source_at, "materialization '" + m.name + "': unknown source '" + m.source + "'" +
                                 did_you_mean(m.source, source_names));
    }
  }

  // " (line L, column C of the SQL)" from DuckDB's character position, when it gave one.
  static std::string position_note(const std::string& sql, const nlohmann::json& parsed) {
    if (!parsed.contains("position")) return "";
    size_t position = 0;
    try {
      position = std::stoul(parsed["position"].get<std::string>());
    } catch (const std::exception&) {
      return "";
    }
    return " (" + sql_position(sql, position) + " of the SQL)";
  }

  const Catalog& catalog_;
  const WorkspaceNames& existing_;
  engine::Database database_;
  engine::Connection connection_;
  Diagnostics diag_;
};

}  // namespace

std::string setting_statement(const SettingSpec& setting) {
  return "SET GLOBAL " + sql::quote_identifier(setting.name) + " = " + sql::quote_literal(setting.value);
}

std::string redact(std::string message, const std::string& value) {
  // A setting can be a credential (s3_secret_access_key ...): its value never reaches a message.
  if (value.empty()) return message;
  for (size_t at = message.find(value); at != std::string::npos; at = message.find(value, at + 3)) {
    message.replace(at, value.size(), "***");
  }
  return message;
}

std::vector<TableReference> table_references(engine::Connection& connection, const std::string& sql) {
  std::array<engine::Param, 1> params{sql};
  auto rows = connection.execute("SELECT json_serialize_sql(?::VARCHAR)", params).fetch_all();
  nlohmann::json parsed = nlohmann::json::parse(rows[0][0].to_string(), nullptr, false);
  std::vector<TableReference> out;
  if (parsed.is_discarded() || !parsed.is_object() || parsed.value("error", false) || !parsed.contains("statements")) {
    return out;
  }
  std::set<std::string> ctes;
  collect_references(parsed["statements"], out, ctes);
  for (TableReference& t : out) {
    t.maybe_cte = t.catalog.empty() && t.schema.empty() && ctes.contains(lower_ascii(t.table));
  }
  return out;
}

std::vector<SourceReference> source_references(engine::Connection& connection, const std::string& sql) {
  std::vector<SourceReference> out;
  for (const TableReference& t : table_references(connection, sql)) {
    std::string name = t.catalog.empty() ? t.schema : t.catalog;
    if (!name.empty()) out.push_back(SourceReference{name, t.position});
  }
  return out;
}

const std::set<std::string>& builtin_extensions() {
  static const std::set<std::string> names = {"core_functions", "icu", "json", "parquet"};
  return names;
}

void validate_catalog(const Catalog& catalog, const WorkspaceNames& existing) { Validator(catalog, existing).run(); }

}  // namespace pond::catalog
