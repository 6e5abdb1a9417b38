#include "connectors/postgres/pg_statements.hpp"

#include "engine/sql_text.hpp"

namespace pond::connectors::postgres::statements {
namespace {

std::string tid(uint64_t page) { return "'(" + std::to_string(page) + ",0)'::tid"; }

std::string wrapped(const std::string& sql, size_t column_count) {
  std::string aliases;
  for (size_t i = 0; i < column_count; ++i) {
    if (i) aliases += ", ";
    aliases += sql::quote_identifier(query_column(i));
  }
  // The newline ends a trailing -- comment in the user's SQL.
  return "(\n" + sql + "\n) AS pond_query(" + aliases + ")";
}

}  // namespace

std::string set_snapshot(const std::string& snapshot_id) {
  return "SET TRANSACTION SNAPSHOT " + sql::quote_literal(snapshot_id);
}

std::string qualified_table(const std::string& schema, const std::string& table) {
  return sql::quote_identifier(schema) + "." + sql::quote_identifier(table);
}

std::string select_item(const std::string& column, const std::string& cast) {
  return sql::quote_identifier(column) + cast;
}

std::string join_items(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string copy_table(const std::string& schema, const std::string& table, const std::string& items,
                       const std::optional<CtidRange>& range) {
  std::string select = "SELECT " + items + " FROM " + qualified_table(schema, table);
  if (range) {
    select += " WHERE ctid >= " + tid(range->first);
    if (range->end) select += " AND ctid < " + tid(*range->end);
  }
  return "COPY (" + select + ") TO STDOUT (FORMAT binary)";
}

std::string strip_query(const std::string& sql) {
  size_t end = sql.find_last_not_of(" \t\r\n;");
  return end == std::string::npos ? "" : sql.substr(0, end + 1);
}

std::string query_column(size_t i) { return "c" + std::to_string(i); }

std::string copy_query(const std::string& sql, size_t column_count, const std::string& items) {
  return "COPY (SELECT " + items + " FROM " + wrapped(sql, column_count) + ") TO STDOUT (FORMAT binary)";
}

std::string wrap_probe(const std::string& sql, size_t column_count) {
  return "SELECT FROM " + wrapped(sql, column_count);
}

}  // namespace pond::connectors::postgres::statements
