#include "catalog/catalog_parser.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "catalog/diagnostics.hpp"
#include "catalog/yaml_values.hpp"
#include "engine/error.hpp"

namespace pond::catalog {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kMaxCatalogBytes = 16 * 1024 * 1024;
constexpr int kMaxIncludeDepth = 32;

const std::vector<std::string> kTopKeys = {"version", "workspace", "settings", "extensions",      "secrets",
                                           "sources", "views",     "include",  "materializations"};
const std::vector<std::string> kSecretKeys = {"type",         "persistent",    "user",   "password",
                                              "password_env", "password_file", "host",   "port",
                                              "database",     "dbname",        "sslmode"};
const std::vector<std::string> kSourceTypes = {"duckdb", "sqlite", "postgres", "mysql", "files"};
const std::vector<std::string> kViewKeys = {"sql", "sql_file"};
const std::vector<std::string> kMaterializationKeys = {"source", "query", "persistent"};

std::vector<std::string> source_keys(const std::string& type) {
  if (type == "duckdb") return {"type", "path", "read_only"};
  if (type == "files") return {"type", "path", "format"};
  if (type == "sqlite") return {"type", "path", "options", "retries", "retry_backoff"};
  return {"type", "dsn", "secret", "connect_timeout", "options", "retries", "retry_backoff"};
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::io, "cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class Reader {
 public:
  Reader(Catalog& out, Diagnostics& diag, const ParseOptions& options)
      : out_(out), diag_(diag), values_(diag, options.env) {}

  void read_file(const fs::path& file, const std::string& display, const Location& included_at) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(fs::absolute(file), ec);
    if (!fs::is_regular_file(canonical, ec)) {
      diag_.add(included_at, "catalog file '" + display + "' does not exist; check the path");
      return;
    }
    if (auto cycle = std::find(stack_.begin(), stack_.end(), canonical); cycle != stack_.end()) {
      std::string chain;
      for (auto it = cycle; it != stack_.end(); ++it) chain += it->filename().string() + " -> ";
      diag_.add(included_at, "include cycle: " + chain + canonical.filename().string());
      return;
    }
    if (stack_.size() >= kMaxIncludeDepth) {
      diag_.add(included_at, "includes are nested more than " + std::to_string(kMaxIncludeDepth) + " deep");
      return;
    }
    if (fs::file_size(canonical, ec) > kMaxCatalogBytes) {
      diag_.add(included_at, "catalog file '" + display + "' is larger than 16 MiB");
      return;
    }
    YAML::Node root;
    try {
      root = YAML::Load(read_text(canonical));
    } catch (const YAML::Exception& e) {
      diag_.add(Location{display, e.mark.line + 1, e.mark.column + 1}, "invalid YAML: " + e.msg);
      return;
    }
    out_.included.push_back(canonical);
    stack_.push_back(canonical);
    read_root(root, FileContext{display, canonical.parent_path(), stack_.size() == 1});
    stack_.pop_back();
  }

 private:
  void read_root(const YAML::Node& root, const FileContext& f) {
    if (!root.IsDefined() || root.IsNull()) {
      diag_.add(Location{f.display, 1, 1}, "the catalog is empty; it needs at least 'version: 1'");
      return;
    }
    if (!values_.check_map(root, f, "the catalog", kTopKeys,
                           f.top ? std::vector<std::string>{"version"} : std::vector<std::string>{}))
      return;
    for (auto it = root.begin(); it != root.end(); ++it) {
      std::string key = it->first.Scalar();
      const YAML::Node& value = it->second;
      if (key == "version") {
        if (auto v = values_.integer(value, f, "version")) {
          if (*v != 1)
            diag_.add(at(f, value),
                      "unsupported catalog version " + std::to_string(*v) + "; this pond reads version 1");
        }
      } else if (key == "workspace") {
        if (!f.top) {
          diag_.add(at(f, it->first), "'workspace' may only be set in the top catalog file, not in an included one");
        } else if (auto v = values_.string(value, f, "workspace")) {
          out_.workspace = *v == ":memory:" ? *v : resolve(f, *v);
          out_.workspace_at = at(f, value);
        }
      } else if (key == "settings") {
        read_settings(value, f);
      } else if (key == "extensions") {
        read_extensions(value, f);
      } else if (key == "secrets") {
        for_each_named(value, f, "secrets", [&](const std::string& name, const YAML::Node& n, const Location& l) {
          read_secret(name, n, f, l);
        });
      } else if (key == "sources") {
        for_each_named(value, f, "sources", [&](const std::string& name, const YAML::Node& n, const Location& l) {
          read_source(name, n, f, l);
        });
      } else if (key == "views") {
        for_each_named(value, f, "views", [&](const std::string& name, const YAML::Node& n, const Location& l) {
          read_view(name, n, f, l);
        });
      } else if (key == "materializations") {
        for_each_named(value, f, "materializations",
                       [&](const std::string& name, const YAML::Node& n, const Location& l) {
                         read_materialization(name, n, f, l);
                       });
      } else if (key == "include") {
        read_includes(value, f);
      }
    }
  }

  Location at(const FileContext& f, const YAML::Node& node) const { return values_.at(f, node); }

  static std::string resolve(const FileContext& f, const std::string& path) {
    return (fs::path(path).is_absolute() ? fs::path(path) : f.dir / path).lexically_normal().string();
  }

  template <class Fn>
  void for_each_named(const YAML::Node& section, const FileContext& f, const std::string& what, Fn fn) {
    if (section.IsNull()) return;
    if (!values_.check_map(section, f, "'" + what + "'", {}, {})) return;
    for (auto it = section.begin(); it != section.end(); ++it) {
      const std::string& name = it->first.Scalar();
      Location l = at(f, it->first);
      if (name.empty()) {
        diag_.add(l, "a name in '" + what + "' is empty");
        continue;
      }
      auto [first, inserted] = names_[what].emplace(lower_ascii(name), l);
      if (!inserted) {
        diag_.add(
            l, "duplicate name '" + name + "' in " + what + " (first declared at " + first->second.to_string() + ")");
        continue;
      }
      fn(name, it->second, l);
    }
  }

  void read_settings(const YAML::Node& node, const FileContext& f) {
    if (node.IsNull() || !values_.check_map(node, f, "'settings'", {}, {})) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string& name = it->first.Scalar();
      auto [first, inserted] = names_["settings"].emplace(lower_ascii(name), at(f, it->first));
      if (!inserted) {
        diag_.add(at(f, it->first), "setting '" + name + "' is set twice (first at " + first->second.to_string() + ")");
        continue;
      }
      if (auto v = values_.string(it->second, f, "setting '" + name + "'")) {
        out_.settings.push_back({name, *v, at(f, it->first)});
      }
    }
  }

  void read_extensions(const YAML::Node& node, const FileContext& f) {
    if (node.IsNull()) return;
    if (!node.IsSequence()) {
      diag_.add(at(f, node), "'extensions' must be a list of names, e.g. [parquet, json]");
      return;
    }
    for (const YAML::Node& item : node) {
      if (auto v = values_.string(item, f, "an extension")) out_.extensions.push_back({*v, at(f, item)});
    }
  }

  void read_includes(const YAML::Node& node, const FileContext& f) {
    std::vector<YAML::Node> items;
    if (node.IsSequence()) {
      for (const YAML::Node& item : node) items.push_back(item);
    } else {
      items.push_back(node);
    }
    for (const YAML::Node& item : items) {
      auto v = values_.string(item, f, "include");
      if (!v) continue;
      fs::path target = fs::path(*v).is_absolute() ? fs::path(*v) : f.dir / *v;
      std::string display =
          fs::path(*v).is_absolute() ? *v : (fs::path(f.display).parent_path() / *v).lexically_normal().string();
      read_file(target, display, at(f, item));
    }
  }

  void read_secret(const std::string& name, const YAML::Node& node, const FileContext& f, const Location& l) {
    std::string what = "secret '" + name + "'";
    if (!values_.check_map(node, f, what, kSecretKeys, {"type"})) return;
    SecretSpec s;
    s.name = name;
    s.at = l;
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::string key = it->first.Scalar();
      if (key == "type") {
        if (auto v = values_.string(it->second, f, what + " type")) {
          s.type = lower_ascii(*v);
          if (s.type == "postgresql") s.type = "postgres";
          if (s.type == "mariadb") s.type = "mysql";
          if (s.type != "postgres" && s.type != "mysql") {
            diag_.add(at(f, it->second), what + ": type must be postgres or mysql, not '" + *v + "'" +
                                             did_you_mean(*v, {"postgres", "mysql"}));
          }
        }
      } else if (key == "persistent") {
        if (auto v = values_.boolean(it->second, f, what + " persistent")) s.persistent = *v;
      } else if (auto v = values_.string(it->second, f, what + " " + key)) {
        std::string field = key == "dbname" ? "database" : key;
        if (field == "password_file" && !v->empty()) *v = resolve(f, *v);
        s.fields[field] = *v;
        s.field_at[field] = at(f, it->second);
      }
    }
    out_.secrets.push_back(std::move(s));
  }

  void read_source(const std::string& name, const YAML::Node& node, const FileContext& f, const Location& l) {
    std::string what = "source '" + name + "'";
    if (!node.IsMap()) {
      values_.check_map(node, f, what, {}, {});
      return;
    }
    SourceSpec s;
    s.name = name;
    s.at = l;
    if (!node["type"]) {
      diag_.add(l, what + " is missing required key 'type' (one of duckdb, sqlite, postgres, mysql, files)");
      return;
    }
    auto type = values_.string(node["type"], f, what + " type");
    if (!type) return;
    s.type = lower_ascii(*type);
    if (s.type == "postgresql") s.type = "postgres";
    if (s.type == "mariadb") s.type = "mysql";
    if (std::find(kSourceTypes.begin(), kSourceTypes.end(), s.type) == kSourceTypes.end()) {
      diag_.add(at(f, node["type"]), what + ": unknown type '" + *type + "'" + did_you_mean(*type, kSourceTypes) +
                                         " (one of duckdb, sqlite, postgres, mysql, files)");
      return;
    }
    bool server = s.type == "postgres" || s.type == "mysql";
    std::string location_key = server ? "dsn" : "path";
    if (!values_.check_map(node, f, what + " (" + s.type + ")", source_keys(s.type), {location_key})) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::string key = it->first.Scalar();
      const YAML::Node& v = it->second;
      if (key == "path" || key == "dsn") {
        if (auto text = values_.string(v, f, what + " " + key)) {
          s.location = server ? *text : resolve(f, *text);
          s.location_at = at(f, v);
          if (text->empty()) diag_.add(at(f, v), what + ": " + key + " is empty");
        }
      } else if (key == "read_only") {
        if (auto b = values_.boolean(v, f, what + " read_only")) s.read_only = *b;
      } else if (key == "format") {
        if (auto text = values_.string(v, f, what + " format")) {
          s.format = lower_ascii(*text);
          if (s.format != "csv" && s.format != "parquet" && s.format != "json") {
            diag_.add(at(f, v), what + ": format must be csv, parquet or json, not '" + *text + "'" +
                                    did_you_mean(*text, {"csv", "parquet", "json"}));
          }
        }
      } else if (key == "secret") {
        if (auto text = values_.string(v, f, what + " secret")) {
          s.secret = *text;
          s.secret_at = at(f, v);
        }
      } else if (key == "connect_timeout") {
        if (auto n = values_.integer(v, f, what + " connect_timeout", 1, 3600))
          s.options["connect_timeout"] = std::to_string(*n);
      } else if (key == "retries") {
        if (auto n = values_.integer(v, f, what + " retries", 0, 10)) s.retries = static_cast<int>(*n);
      } else if (key == "retry_backoff") {
        if (auto d = values_.number(v, f, what + " retry_backoff", 0.0, 60.0)) s.retry_backoff_s = *d;
      } else if (key == "options") {
        read_options(v, f, what, s.options);
      }
    }
    out_.sources.push_back(std::move(s));
  }

  void read_options(const YAML::Node& node, const FileContext& f, const std::string& what,
                    std::map<std::string, std::string>& options) {
    if (!values_.check_map(node, f, what + " options", {}, {})) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::string key = lower_ascii(it->first.Scalar());
      if (key == "secret") {
        diag_.add(at(f, it->first), what + ": give the secret with the 'secret' key, not in options");
        continue;
      }
      if (auto v = values_.string(it->second, f, what + " option " + key)) options[key] = *v;
    }
  }

  void read_view(const std::string& name, const YAML::Node& node, const FileContext& f, const Location& l) {
    ViewSpec v;
    v.name = name;
    v.at = l;
    std::string what = "view '" + name + "'";
    if (node.IsScalar()) {
      if (auto sql = values_.string(node, f, what)) v.sql = *sql;
      v.sql_at = at(f, node);
    } else {
      if (!values_.check_map(node, f, what, kViewKeys, {})) return;
      bool has_sql = static_cast<bool>(node["sql"]);
      bool has_file = static_cast<bool>(node["sql_file"]);
      if (has_sql == has_file) {
        diag_.add(l, what + " needs exactly one of 'sql' and 'sql_file'");
        return;
      }
      if (has_sql) {
        if (auto sql = values_.string(node["sql"], f, what + " sql")) v.sql = *sql;
        v.sql_at = at(f, node["sql"]);
      } else if (auto file = values_.string(node["sql_file"], f, what + " sql_file")) {
        v.sql_at = at(f, node["sql_file"]);
        v.sql_file = resolve(f, *file);
        std::error_code ec;
        if (!fs::is_regular_file(v.sql_file, ec)) {
          diag_.add(v.sql_at, what + ": sql_file '" + *file + "' does not exist; check the path");
          return;
        }
        v.sql = read_text(v.sql_file);
      }
    }
    if (v.sql.find_first_not_of(" \t\r\n;") == std::string::npos) {
      diag_.add(v.sql_at.line ? v.sql_at : l, what + ": the SQL is empty");
      return;
    }
    out_.views.push_back(std::move(v));
  }

  void read_materialization(const std::string& name, const YAML::Node& node, const FileContext& f, const Location& l) {
    std::string what = "materialization '" + name + "'";
    if (!values_.check_map(node, f, what, kMaterializationKeys, {"source", "query"})) return;
    MaterializationSpec m;
    m.name = name;
    m.at = l;
    if (auto v = values_.string(node["source"], f, what + " source")) m.source = *v;
    m.source_at = at(f, node["source"]);
    if (auto v = values_.string(node["query"], f, what + " query")) m.query = *v;
    if (node["persistent"]) {
      if (auto v = values_.boolean(node["persistent"], f, what + " persistent")) m.persistent = *v;
    }
    out_.materializations.push_back(std::move(m));
  }

  Catalog& out_;
  Diagnostics& diag_;
  YamlValues values_;
  std::vector<fs::path> stack_;
  std::map<std::string, std::map<std::string, Location>> names_;  // section -> lower-cased name -> first place
};

}  // namespace

Catalog parse_catalog_file(const fs::path& file, const ParseOptions& options) {
  Catalog out;
  Diagnostics diag;
  std::error_code ec;
  out.file = fs::absolute(file, ec).lexically_normal();
  if (!fs::is_regular_file(out.file, ec)) {
    throw Error(ErrorKind::not_found, "catalog file '" + file.string() + "' does not exist; check the path");
  }
  Reader reader(out, diag, options);
  reader.read_file(out.file, file.string(), Location{file.string(), 0, 0});
  diag.throw_if_any();
  return out;
}

}  // namespace pond::catalog
