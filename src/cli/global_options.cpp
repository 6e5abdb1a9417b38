#include "cli/global_options.hpp"

#include <cstdlib>

#include "connectors/mysql/mysql_connector.hpp"
#include "connectors/postgres/postgres_connector.hpp"
#include "connectors/sqlite/sqlite_connector.hpp"
#include "engine/error.hpp"

namespace pond::cli {

std::string resolve_workspace_path(const GlobalOptions& options) {
  if (!options.workspace.empty()) return options.workspace;
  if (const char* env = std::getenv("POND_WORKSPACE"); env != nullptr && *env != '\0') return env;
  return ":memory:";
}

std::vector<std::pair<std::string, std::string>> parse_settings(const std::vector<std::string>& settings) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& setting : settings) {
    size_t eq = setting.find('=');
    if (eq == std::string::npos || eq == 0) {
      // Only the part before '=' may be shown: the value could be a secret.
      std::string name = setting.substr(0, eq == std::string::npos ? std::string::npos : eq);
      throw Error(ErrorKind::usage,
                  "--setting expects NAME=VALUE, got '" + (eq == 0 ? std::string("=...") : name) + "'");
    }
    out.emplace_back(setting.substr(0, eq), setting.substr(eq + 1));
  }
  return out;
}

std::unique_ptr<workspace::Workspace> open_workspace(const GlobalOptions& options) {
  workspace::WorkspaceOptions ws;
  ws.path = resolve_workspace_path(options);
  ws.read_only = options.read_only;
  ws.settings = parse_settings(options.settings);
  ws.connectors = {std::make_shared<connectors::sqlite::SqliteConnector>(),
                   std::make_shared<connectors::postgres::PostgresConnector>(),
                   std::make_shared<connectors::mysql::MysqlConnector>()};
  return std::make_unique<workspace::Workspace>(ws);
}

}  // namespace pond::cli
