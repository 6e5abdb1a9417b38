#include "connectors/mysql/mysql_catalog.hpp"

#include <cctype>
#include <charconv>
#include <memory>
#include <set>

#include "connectors/mysql/mysql_error.hpp"
#include "engine/error.hpp"

namespace pond::connectors::mysql {
namespace {

constexpr std::string_view kSystemDatabases = "('information_schema', 'mysql', 'performance_schema', 'sys')";

uint64_t number_or_zero(const std::optional<std::string>& cell) {
  uint64_t out = 0;
  if (cell) std::from_chars(cell->data(), cell->data() + cell->size(), out);
  return out;
}

struct StatementCloser {
  void operator()(MYSQL_STMT* statement) const { mysql_stmt_close(statement); }
};
using Statement = std::unique_ptr<MYSQL_STMT, StatementCloser>;

std::vector<MysqlColumn> columns_of(MysqlResult& metadata, const MysqlSettings& settings) {
  std::vector<MysqlColumn> out;
  std::set<std::string> seen;
  for (unsigned i = 0; i < metadata.field_count(); ++i) {
    MysqlColumn column = map_result_field(metadata.field(i), settings);
    // DuckDB needs distinct, non-empty column names.
    if (column.name.empty()) column.name = "column" + std::to_string(i);
    std::string name = column.name;
    for (int n = 1; !seen.insert(name).second; ++n) name = column.name + "_" + std::to_string(n);
    column.name = name;
    out.push_back(std::move(column));
  }
  return out;
}

std::string_view without_trailing_semicolons(std::string_view sql) {
  while (!sql.empty() && (sql.back() == ';' || std::isspace(static_cast<unsigned char>(sql.back())))) {
    sql.remove_suffix(1);
  }
  return sql;
}

[[noreturn]] void no_rows(const MysqlConnection& connection) {
  throw Error(ErrorKind::invalid_input,
              connection.origin() + ": the native query returns no rows; pond_query runs statements that return rows");
}

}  // namespace

std::vector<CatalogTable> load_catalog(MysqlConnection& connection, const MysqlSettings& settings) {
  // information_schema compares names case-insensitively, but table and database names are
  // case-sensitive on Linux servers: `Orders` and `orders` are two tables. Binary comparison
  // keeps their columns apart, and binary order keeps each table's rows together.
  std::string sql =
      "SELECT t.TABLE_SCHEMA, t.TABLE_NAME, t.TABLE_TYPE, t.TABLE_ROWS, c.COLUMN_NAME, c.DATA_TYPE, "
      "c.COLUMN_TYPE, c.NUMERIC_PRECISION, c.NUMERIC_SCALE "
      "FROM information_schema.TABLES t JOIN information_schema.COLUMNS c "
      "ON CAST(c.TABLE_SCHEMA AS BINARY) = CAST(t.TABLE_SCHEMA AS BINARY) "
      "AND CAST(c.TABLE_NAME AS BINARY) = CAST(t.TABLE_NAME AS BINARY) "
      "WHERE t.TABLE_SCHEMA NOT IN " +
      std::string(kSystemDatabases) +
      " ORDER BY CAST(t.TABLE_SCHEMA AS BINARY), CAST(t.TABLE_NAME AS BINARY), c.ORDINAL_POSITION";
  MysqlResult result = connection.query(sql);
  std::vector<CatalogTable> tables;
  for (auto& row : result.rows()) {
    const std::string& schema = row[0].value();
    const std::string& name = row[1].value();
    if (tables.empty() || tables.back().schema != schema || tables.back().name != name) {
      CatalogTable& table = tables.emplace_back();
      table.schema = schema;
      table.name = name;
      table.is_view = row[2].value_or("") == "VIEW";
      if (row[3]) table.estimated_rows = number_or_zero(row[3]);
    }
    tables.back().columns.push_back(map_declared_column(row[4].value_or(""), row[5].value_or(""), row[6].value_or(""),
                                                        number_or_zero(row[7]), number_or_zero(row[8]), settings));
  }
  return tables;
}

std::string first_database(MysqlConnection& connection) {
  MysqlResult result =
      connection.query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN " +
                       std::string(kSystemDatabases) + " ORDER BY SCHEMA_NAME LIMIT 1");
  auto rows = result.rows();
  return rows.empty() ? "" : rows[0][0].value_or("");
}

std::vector<MysqlColumn> describe_query(MysqlConnection& connection, std::string_view sql,
                                        const MysqlSettings& settings) {
  Statement statement(mysql_stmt_init(connection.handle()));
  if (!statement) throw Error(ErrorKind::internal, connection.origin() + ": out of memory preparing a query");
  if (mysql_stmt_prepare(statement.get(), sql.data(), sql.size()) == 0) {
    MysqlResult metadata(mysql_stmt_result_metadata(statement.get()));
    if (!metadata) {
      if (mysql_stmt_errno(statement.get()) != 0) {
        throw_mysql_error(mysql_stmt_errno(statement.get()), mysql_stmt_error(statement.get()), connection.origin(),
                          "describing the native query");
      }
      no_rows(connection);
    }
    return columns_of(metadata, settings);
  }
  unsigned code = mysql_stmt_errno(statement.get());
  std::string message = mysql_stmt_error(statement.get());
  statement.reset();
  if (is_client_error(code)) connection.throw_last_error("describing the native query");
  // Some statements cannot be prepared; their columns come from an empty run instead.
  std::string wrapped = "SELECT * FROM (" + std::string(without_trailing_semicolons(sql)) + ") AS pond_query LIMIT 0";
  if (mysql_real_query(connection.handle(), wrapped.data(), wrapped.size()) == 0) {
    MysqlResult metadata(mysql_store_result(connection.handle()));
    if (metadata) return columns_of(metadata, settings);
  }
  if (is_client_error(mysql_errno(connection.handle()))) connection.throw_last_error("describing the native query");
  throw_mysql_error(code, message, connection.origin(), "preparing the native query");
}

}  // namespace pond::connectors::mysql
