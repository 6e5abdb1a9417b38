// `pond attach`, `pond detach` and `pond sources`: changes to and views of the source registry.

#include <algorithm>
#include <cctype>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "cli/commands/commands.hpp"
#include "cli/output/table_writer.hpp"
#include "cli/terminal.hpp"
#include "engine/error.hpp"

namespace pond::cli {
namespace {

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Data files (CSV / Parquet / JSON, optionally compressed) and globs become file sources.
bool names_data_files(const std::string& location) {
  if (location.find_first_of("*?[") != std::string::npos) return true;
  std::string name = lowercase(location);
  for (const char* suffix : {".gz", ".zst"}) {
    if (name.ends_with(suffix)) name.resize(name.size() - std::string_view(suffix).size());
  }
  for (const char* ext : {".csv", ".tsv", ".parquet", ".json", ".ndjson", ".jsonl"}) {
    if (name.ends_with(ext)) return true;
  }
  return false;
}

engine::Value text(std::string s) { return engine::Value(engine::TypeId::varchar, std::move(s)); }

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// The values `--type` takes, as a user types them; the workspace also takes the synonyms
// postgresql and mariadb.
constexpr const char* kAttachTypes = "duckdb, files, sqlite, postgres or mysql";

void check_attach_type(const std::string& type, const std::string& typed) {
  for (const char* known : {"", "duckdb", "files", "sqlite", "postgres", "postgresql", "mysql", "mariadb"}) {
    if (type == known) return;
  }
  throw Error(ErrorKind::usage, "unknown --type '" + typed + "'; use " + kAttachTypes);
}

// 'a' or 'a', 'b' and 'c'.
std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += "'" + names[i] + "'";
  }
  return out;
}

}  // namespace

int run_attach(const GlobalOptions& global, const AttachArgs& args) {
  const std::string type = lowercase(args.type);
  check_attach_type(type, args.type);
  auto workspace = open_workspace(global);
  std::set<std::string> before;
  for (const auto& record : workspace->source_records()) before.insert(record.alias);
  if (type == "files" || (type.empty() && names_data_files(args.location))) {
    if (args.alias.empty()) throw Error(ErrorKind::usage, "attaching data files needs --as ALIAS");
    workspace->use_files({args.location, args.alias, ""});
  } else {
    workspace::AttachRequest request;
    request.location = args.location;
    request.alias = args.alias;
    request.read_only = args.read_only;
    request.type = type;
    request.must_exist = true;
    workspace->attach(request);
  }
  // Connection strings may hold a password: print what the registry keeps (never a secret)
  // rather than what was typed.
  std::string shown = type.empty() || type == "duckdb" || type == "files" ? "'" + args.location + "'" : type;
  std::optional<workspace::SourceRecord> added;
  for (auto& record : workspace->source_records()) {
    if (args.alias.empty() ? !before.contains(record.alias) : record.alias == args.alias) added = std::move(record);
  }
  if (added && !args.alias.empty()) shown = "'" + added->location + "'";
  std::cout << "attached " << shown << (args.alias.empty() ? "" : " as " + args.alias)
            << (args.read_only ? " (read-only)" : "") << '\n';
  if (added) {
    const std::vector<std::string> others = workspace->aliases_sharing_target(added->alias);
    if (!others.empty()) {
      std::cout.flush();
      std::cerr << "note: " << added->location << " is also registered as " << quoted_list(others) << '\n';
    }
  }
  return 0;
}

int run_detach(const GlobalOptions& global, const DetachArgs& args) {
  auto workspace = open_workspace(global);
  workspace->detach(args.alias, args.if_exists);
  std::cout << "detached " << args.alias << '\n';
  return 0;
}

int run_sources(const GlobalOptions& global, const SourcesArgs& args) {
  auto workspace = open_workspace(global);
  const std::vector<workspace::SourceInfo> sources = workspace->sources();
  if (args.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& source : sources) {
      list.push_back({{"alias", source.record.alias},
                      {"kind", workspace::source_kind_name(source.record.kind)},
                      {"location", source.record.location},
                      {"format", source.record.format},
                      {"read_only", source.record.read_only},
                      {"status", source.available ? "available" : "unavailable"},
                      {"reason", source.reason},
                      {"tables", source.tables}});
    }
    std::cout << list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return 0;
  }
  OutputOptions output;
  output.max_column_width = 60;
  output.total_width = terminal_width();
  TableWriter table(std::cout, output, /*show_types=*/false);
  std::vector<engine::Column> columns;
  for (const char* name : {"alias", "kind", "location", "read_only", "status", "tables"})
    columns.push_back({name, engine::TypeId::varchar, "VARCHAR"});
  table.begin(columns);
  for (const auto& source : sources) {
    std::string status = source.available ? "available" : "unavailable: " + source.reason;
    table.row({text(source.record.alias), text(std::string(workspace::source_kind_name(source.record.kind))),
               text(source.record.location), engine::Value(engine::TypeId::boolean, source.record.read_only),
               text(status), text(joined(source.tables))});
  }
  table.end();
  return 0;
}

}  // namespace pond::cli
