#include "connectors/sqlite/sqlite_source.hpp"

#include <sqlite3.h>

#include <cctype>
#include <optional>
#include <set>

#include "connectors/sqlite/active_connections.hpp"
#include "connectors/sqlite/sqlite_connection.hpp"
#include "connectors/sqlite/sqlite_scanner.hpp"
#include "connectors/sqlite/sqlite_types.hpp"
#include "engine/error.hpp"
#include "engine/sql_text.hpp"
#include "workspace/sql_tokenizer.hpp"

namespace pond::connectors::sqlite {
namespace {

std::string column_text(sqlite3_stmt* stmt, int col) {
  const unsigned char* t = sqlite3_column_text(stmt, col);
  return t ? reinterpret_cast<const char*>(t) : "";
}

// Reads the bounds of a rowid table into `target` (has_rowid, rowid_name, min/max). Leaves
// has_rowid false for a WITHOUT ROWID table, an empty one, or one whose columns take every
// name of the rowid (rowid, _rowid_ and oid).
void read_rowid_bounds(SqliteConnection& connection, const std::string& table, ScanTarget& target) {
  std::set<std::string> columns;
  SqliteStatement names = connection.prepare("SELECT lower(name) FROM pragma_table_xinfo(?)");
  names.bind_text(1, table);
  while (names.step()) columns.insert(column_text(names.get(), 0));
  for (const char* name : {"rowid", "_rowid_", "oid"}) {
    if (columns.contains(name)) continue;
    try {
      // Two statements: SQLite answers a lone min() or max() of the rowid from the b-tree's
      // ends, but min() and max() together with a full scan.
      auto bound = [&](const char* function) -> std::optional<int64_t> {
        SqliteStatement statement = connection.prepare(std::string("SELECT ") + function + "(" + name + ") FROM " +
                                                       sql::quote_identifier(table));
        if (!statement.step() || sqlite3_column_type(statement.get(), 0) == SQLITE_NULL) return std::nullopt;
        return sqlite3_column_int64(statement.get(), 0);
      };
      auto low = bound("min");
      auto high = bound("max");
      if (low && high) {
        target.has_rowid = true;
        target.rowid_name = name;
        target.min_rowid = *low;
        target.max_rowid = *high;
      }
    } catch (const Error&) {
      // WITHOUT ROWID: no rowid to split on; the whole table is one statement.
    }
    return;
  }
}

// The table a native query reads when it is exactly SELECT * FROM [main.]name (then it can be
// read by rowid ranges like a table scan); nothing for any other query.
std::optional<std::string> plain_table_of(const std::string& query) {
  auto result = workspace::tokenize(query);
  if (result.unterminated) return std::nullopt;
  const auto& t = result.tokens;
  size_t end = t.size();
  while (end > 0 && t[end - 1].is_symbol(';')) --end;
  if (end < 4 || !t[0].is_word("SELECT") || !t[1].is_symbol('*') || !t[2].is_word("FROM") || !t[3].is_name()) {
    return std::nullopt;
  }
  if (end == 4) return t[3].text;
  if (end == 6 && t[4].is_symbol('.') && t[5].is_name()) {
    std::string schema = t[3].text;
    for (char& c : schema) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (schema == "main") return t[5].text;
  }
  return std::nullopt;
}

}  // namespace

SqliteSource::SqliteSource(std::string path, std::string alias, bool all_varchar)
    : path_(std::move(path)), alias_(std::move(alias)), all_varchar_(all_varchar) {}

void SqliteSource::ping() { SqliteConnection(path_, alias_); }

void SqliteSource::refresh() {
  std::lock_guard lock(mutex_);
  tables_.reset();
}

std::vector<workspace::RemoteTable> SqliteSource::tables() {
  std::lock_guard lock(mutex_);
  if (!tables_) tables_ = load_tables();
  return *tables_;
}

std::vector<workspace::RemoteTable> SqliteSource::load_tables() {
  SqliteConnection connection(path_, alias_);
  std::vector<workspace::RemoteTable> out;
  SqliteStatement list = connection.prepare(
      "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY "
      "name");
  while (list.step()) {
    workspace::RemoteTable table{"main", column_text(list.get(), 0), column_text(list.get(), 1) == "view", {}};
    SqliteStatement columns = connection.prepare("SELECT name, type FROM pragma_table_info(?)");
    columns.bind_text(1, table.name);
    while (columns.step()) {
      std::string declared = column_text(columns.get(), 1);
      table.columns.push_back({column_text(columns.get(), 0), column_type_for(declared, all_varchar_), declared});
    }
    out.push_back(std::move(table));
  }
  return out;
}

std::unique_ptr<engine::BoundScan> SqliteSource::scan_table(const std::string& schema, const std::string& table,
                                                            workspace::QueryOwner owner) {
  if (schema != "main" && !schema.empty()) {
    throw Error(ErrorKind::not_found, "source '" + alias_ + "': SQLite has no schema '" + schema + "'");
  }
  std::optional<workspace::RemoteTable> found;
  for (auto& t : tables()) {
    if (t.name == table) found = t;
  }
  // The catalog may be stale: the table could have been created or dropped since.
  SqliteConnection connection(path_, alias_);
  SqliteStatement exists = connection.prepare("SELECT type FROM sqlite_master WHERE name = ?");
  exists.bind_text(1, table);
  if (!exists.step()) {
    throw Error(ErrorKind::not_found, "source '" + alias_ + "': table \"" + table + "\" does not exist in " + path_);
  }
  if (!found) {
    refresh();
    for (auto& t : tables()) {
      if (t.name == table) found = t;
    }
    if (!found) throw Error(ErrorKind::not_found, "source '" + alias_ + "': table \"" + table + "\" not found");
  }
  ScanTarget target;
  target.path = path_;
  target.alias = alias_;
  target.table = table;
  target.owner = owner;
  for (const auto& c : found->columns) target.columns.push_back({c.name, c.type});
  if (!found->is_view) read_rowid_bounds(connection, table, target);
  return std::make_unique<SqliteBoundScan>(std::move(target), active_);
}

std::unique_ptr<engine::BoundScan> SqliteSource::run_query(const std::string& query, workspace::QueryOwner owner) {
  if (query.find_first_not_of(" \t\r\n;") == std::string::npos) {
    throw Error(ErrorKind::invalid_input, "source '" + alias_ + "': pond_query needs a SQL statement");
  }
  SqliteConnection connection(path_, alias_);
  SqliteStatement statement = connection.prepare(query);
  if (!sqlite3_stmt_readonly(statement.get())) {
    throw Error(ErrorKind::invalid_input, "source '" + alias_ + "': pond_query runs read-only queries on SQLite");
  }
  int n = sqlite3_column_count(statement.get());
  if (n == 0) throw Error(ErrorKind::invalid_input, "source '" + alias_ + "': the query returns no columns");
  // Expressions have no declared type; the first row's storage class stands in for it. That
  // first step can take as long as the whole query, so it is cancellable too.
  bool has_row = false;
  {
    ActiveGuard guard(*active_, &connection, owner);
    has_row = statement.step();
  }
  ScanTarget target;
  target.path = path_;
  target.alias = alias_;
  target.owner = owner;
  target.query = query;
  while (!target.query.empty() &&
         (target.query.back() == ';' || std::isspace(static_cast<unsigned char>(target.query.back())))) {
    target.query.pop_back();
  }
  for (int i = 0; i < n; ++i) {
    const char* declared = sqlite3_column_decltype(statement.get(), i);
    engine::ColumnType type = column_type_for(declared ? declared : "", all_varchar_);
    if (!declared && has_row && !all_varchar_) {
      switch (sqlite3_column_type(statement.get(), i)) {
        case SQLITE_INTEGER:
          type = engine::ColumnType::of(engine::TypeId::bigint);
          break;
        case SQLITE_FLOAT:
          type = engine::ColumnType::of(engine::TypeId::float64);
          break;
        case SQLITE_BLOB:
          type = engine::ColumnType::of(engine::TypeId::blob);
          break;
        default:
          break;
      }
    }
    target.columns.push_back({sqlite3_column_name(statement.get(), i), type});
  }
  // SELECT * FROM a rowid table is read like a scan of the table: by rowid ranges, in rowid
  // order (the order SQLite's own full scan gives), with only the projected columns.
  if (auto table = plain_table_of(target.query)) {
    SqliteStatement kind = connection.prepare("SELECT type FROM sqlite_master WHERE name = ?");
    kind.bind_text(1, *table);
    if (kind.step() && column_text(kind.get(), 0) == "table") {
      ScanTarget ranged = target;
      read_rowid_bounds(connection, *table, ranged);
      if (ranged.has_rowid) {
        ranged.table = *table;
        ranged.query.clear();
        target = std::move(ranged);
      }
    }
  }
  return std::make_unique<SqliteBoundScan>(std::move(target), active_);
}

}  // namespace pond::connectors::sqlite
