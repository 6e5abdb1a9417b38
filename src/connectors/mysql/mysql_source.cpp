#include "connectors/mysql/mysql_source.hpp"

#include <mysqld_error.h>

#include <algorithm>
#include <cctype>

#include "connectors/mysql/mysql_scanner.hpp"
#include "connectors/mysql/mysql_utils.hpp"
#include "engine/error.hpp"

namespace pond::connectors::mysql {
namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

std::string query_label(std::string_view sql) {
  constexpr size_t kMax = 60;
  std::string text(sql.substr(0, kMax));
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return "the native query '" + text + (sql.size() > kMax ? "...'" : "'");
}

}  // namespace

std::unique_ptr<MysqlSource> MysqlSource::open(const workspace::ConnectionSettings& settings) {
  auto state = std::make_shared<MysqlSourceState>(MysqlSettings::parse(settings));
  std::string default_schema = state->settings.database;
  {
    MysqlConnectionPool::Lease lease = state->pool.acquire();
    if (default_schema.empty()) default_schema = first_database(*lease);
  }
  return std::unique_ptr<MysqlSource>(new MysqlSource(std::move(state), std::move(default_schema)));
}

std::shared_ptr<const std::vector<CatalogTable>> MysqlSource::catalog(bool reload) {
  std::lock_guard lock(catalog_mutex_);
  bool stale = state_->catalog_stale.exchange(false);
  if (!catalog_ || reload || stale) {
    MysqlConnectionPool::Lease lease = state_->pool.acquire();
    catalog_ = std::make_shared<const std::vector<CatalogTable>>(load_catalog(*lease, state_->settings));
  }
  return catalog_;
}

std::vector<workspace::RemoteTable> MysqlSource::tables() {
  std::vector<workspace::RemoteTable> out;
  for (const CatalogTable& table : *catalog(false)) {
    workspace::RemoteTable& remote = out.emplace_back();
    remote.schema = table.schema;
    remote.name = table.name;
    remote.is_view = table.is_view;
    for (const MysqlColumn& column : table.columns)
      remote.columns.push_back({column.name, column.type, column.remote_type});
  }
  return out;
}

void MysqlSource::refresh() {
  std::lock_guard lock(catalog_mutex_);
  catalog_.reset();
}

const CatalogTable* MysqlSource::find_table(const std::vector<CatalogTable>& catalog, const std::string& schema,
                                            const std::string& table) const {
  for (const CatalogTable& t : catalog) {
    if (t.schema == schema && t.name == table) return &t;
  }
  // MySQL on Linux compares names case-sensitively; accept another case when it is unambiguous.
  const CatalogTable* found = nullptr;
  for (const CatalogTable& t : catalog) {
    if (equal_ignoring_case(t.schema, schema) && equal_ignoring_case(t.name, table)) {
      if (found) return nullptr;
      found = &t;
    }
  }
  return found;
}

std::unique_ptr<engine::BoundScan> MysqlSource::scan_table(const std::string& schema, const std::string& table,
                                                           workspace::QueryOwner owner) {
  const std::string& wanted = schema.empty() ? default_schema_ : schema;
  auto tables = catalog(false);
  const CatalogTable* found = find_table(*tables, wanted, table);
  if (!found) {  // perhaps created since the catalog was read
    tables = catalog(true);
    found = find_table(*tables, wanted, table);
  }
  if (!found) {
    throw Error(ErrorKind::not_found, state_->settings.describe() + ": no table or view " + state_->settings.alias +
                                          "." + wanted + "." + table + "; check the name (SHOW SOURCES lists them)");
  }
  ScanRequest request;
  request.columns = found->columns;
  request.label = state_->settings.alias + "." + found->schema + "." + found->name;
  request.table_sql = qualified_name(found->schema, found->name);
  if (!found->is_view) request.estimated_rows = found->estimated_rows;
  request.owner = owner;
  return std::make_unique<MysqlBoundScan>(state_, std::move(request));
}

std::unique_ptr<engine::BoundScan> MysqlSource::run_query(const std::string& sql, workspace::QueryOwner owner) {
  ScanRequest request;
  {
    MysqlConnectionPool::Lease lease = state_->pool.acquire();
    request.columns = describe_query(*lease, sql, state_->settings);
  }
  request.label = query_label(sql);
  request.query_sql = sql;
  request.owner = owner;
  return std::make_unique<MysqlBoundScan>(state_, std::move(request));
}

void MysqlSource::cancel_for(workspace::QueryOwner owner) { kill(state_->active.cancel_owner(owner)); }

void MysqlSource::cancel() { kill(state_->active.cancel_all()); }

void MysqlSource::kill(const std::vector<unsigned long>& running) {
  if (running.empty()) return;
  bool killed = true;
  try {
    MysqlConnectionPool::Lease lease = state_->pool.acquire();
    for (unsigned long id : running) {
      unsigned code = lease->try_execute("KILL QUERY " + std::to_string(id));
      // ER_NO_SUCH_THREAD: that statement ended meanwhile.
      if (code != 0 && code != ER_NO_SUCH_THREAD) killed = false;
    }
  } catch (const Error&) {
    killed = false;  // the server cannot be reached to ask
  }
  // The scans are marked cancelled either way; when the server could not stop them, cut
  // their connections so that no scan keeps waiting for rows.
  if (!killed) state_->active.abort(running);
}

void MysqlSource::ping() {
  MysqlConnectionPool::Lease lease = state_->pool.acquire();
  lease->ping();
}

}  // namespace pond::connectors::mysql
