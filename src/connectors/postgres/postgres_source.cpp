#include "connectors/postgres/postgres_source.hpp"

#include "connectors/postgres/pg_catalog.hpp"
#include "connectors/postgres/pg_query.hpp"
#include "connectors/postgres/pg_scanner.hpp"
#include "connectors/postgres/pg_statements.hpp"

namespace pond::connectors::postgres {
namespace {

workspace::RemoteTable remote_table(const PgRelation& relation) {
  workspace::RemoteTable table{relation.schema, relation.name, relation.is_view(), {}};
  for (const PgColumn& column : relation.columns) {
    table.columns.push_back(workspace::RemoteColumn{column.name, column.type.column, column.remote_type});
  }
  return table;
}

}  // namespace

PostgresSource::PostgresSource(PgSettings settings)
    : context_(std::make_shared<PgContext>(std::make_shared<const PgSettings>(std::move(settings)))) {
  ping();
}

std::vector<workspace::RemoteTable> PostgresSource::tables() {
  {
    std::lock_guard lock(mutex_);
    if (tables_) return *tables_;
  }
  PgConnection connection = context_->pool().acquire();
  std::vector<workspace::RemoteTable> out;
  for (const PgRelation& relation : load_relations(connection, context_->settings().options().schema)) {
    // DuckDB tables need at least one column.
    if (!relation.columns.empty()) out.push_back(remote_table(relation));
  }
  context_->pool().release(std::move(connection));
  std::lock_guard lock(mutex_);
  tables_ = out;
  return out;
}

void PostgresSource::refresh() {
  std::lock_guard lock(mutex_);
  tables_.reset();
}

std::string PostgresSource::default_schema() const { return context_->settings().options().schema.value_or("public"); }

std::unique_ptr<engine::BoundScan> PostgresSource::scan_table(const std::string& schema, const std::string& table,
                                                              workspace::QueryOwner owner) {
  const PgSettings& settings = context_->settings();
  std::string label = settings.alias() + "." + schema + "." + table;
  PgConnection connection = context_->pool().acquire();
  std::optional<PgRelation> relation = load_relation(connection, schema, table);
  context_->pool().release(std::move(connection));
  if (!relation) {
    throw settings.error(ErrorKind::not_found,
                         "table " + label + " does not exist; SHOW SOURCES lists the tables (refresh if it is new)");
  }
  if (relation->columns.empty()) {
    throw settings.error(ErrorKind::invalid_input, "table " + label + " has no columns");
  }
  ScanSpec spec;
  spec.label = label;
  spec.owner = owner;
  spec.schema = schema;
  spec.table = table;
  spec.relkind = relation->relkind;
  spec.pages = relation->pages;
  spec.columns = std::move(relation->columns);
  // reltuples is -1 before the first ANALYZE, and means nothing for views.
  bool stored = relation->relkind == 'r' || relation->relkind == 'm';
  if (stored && relation->reltuples >= 0) spec.estimated_rows = static_cast<uint64_t>(relation->reltuples);
  return std::make_unique<PgBoundScan>(context_, std::move(spec));
}

std::unique_ptr<engine::BoundScan> PostgresSource::run_query(const std::string& sql, workspace::QueryOwner owner) {
  std::unique_ptr<PgBoundScan> query = bind_query(context_, sql, owner);
  // SELECT * FROM a plain table is read like a scan of the table: by ctid ranges on several
  // connections in one exported snapshot, when the table is large enough. Only when the table
  // scan gives exactly the query's columns and types; anything else stays one statement.
  std::optional<std::string> name = plain_table_of(sql);
  if (!name) return query;
  std::optional<std::pair<std::string, std::string>> relation;
  try {
    PgConnection connection = context_->pool().acquire();
    PgResult found = connection.exec(std::string(statements::kPlainTable), {*name}, "pond_query");
    if (found.rows() == 1) relation.emplace(std::string(found.value(0, 0)), std::string(found.value(0, 1)));
    context_->pool().release(std::move(connection));
  } catch (const Error&) {
    return query;  // not a name the server resolves: the query itself said what it reads
  }
  if (!relation) return query;
  std::unique_ptr<engine::BoundScan> table;
  try {
    table = scan_table(relation->first, relation->second, owner);
  } catch (const Error&) {
    return query;  // dropped meanwhile, say: the query's own binding stands
  }
  const auto& a = query->columns();
  const auto& b = table->columns();
  if (a.size() != b.size()) return query;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].type.name() != b[i].type.name()) return query;
  }
  return table;
}

void PostgresSource::cancel_for(workspace::QueryOwner owner) { context_->active().cancel_owner(owner); }

void PostgresSource::cancel() { context_->active().cancel_all(); }

void PostgresSource::ping() {
  PgConnection connection = PgConnection::open(context_->pool().shared_settings());
  connection.exec(statements::kPing, "ping");
  context_->pool().release(std::move(connection));
}

}  // namespace pond::connectors::postgres
