#include "connectors/sqlite/sqlite_connector.hpp"

#include "connectors/sqlite/sqlite_connection.hpp"
#include "connectors/sqlite/sqlite_source.hpp"
#include "engine/error.hpp"

namespace pond::connectors::sqlite {

std::unique_ptr<workspace::RemoteSource> SqliteConnector::open(const workspace::ConnectionSettings& settings) {
  bool all_varchar = false;
  for (const auto& [key, value] : settings.options) {
    if (key == "all_varchar") {
      all_varchar = value.empty() || value == "true" || value == "TRUE" || value == "1";
    } else {
      throw Error(ErrorKind::invalid_input,
                  "source '" + settings.alias + "': unknown SQLite option " + key + " (known: ALL_VARCHAR)");
    }
  }
  SqliteConnection probe(settings.location, settings.alias);  // fails early with a clear message
  return std::make_unique<SqliteSource>(settings.location, settings.alias, all_varchar);
}

}  // namespace pond::connectors::sqlite
