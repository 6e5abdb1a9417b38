#pragma once
// What a MySQL/MariaDB server holds, read from information_schema: databases (Pond's
// schemas; the system ones left out), their tables and views, and each one's columns mapped
// to DuckDB types. Also the columns a native query would return, without running it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/mysql/mysql_connection.hpp"
#include "connectors/mysql/mysql_types.hpp"

namespace pond::connectors::mysql {

struct CatalogTable {
  std::string schema;  // the database
  std::string name;
  bool is_view = false;
  std::optional<uint64_t> estimated_rows;  // information_schema.TABLES.TABLE_ROWS
  std::vector<MysqlColumn> columns;
};

// Every table and view (with at least one column) of the non-system databases, ordered by
// database and name.
std::vector<CatalogTable> load_catalog(MysqlConnection& connection, const MysqlSettings& settings);

// The first non-system database by name, or "" when there is none.
std::string first_database(MysqlConnection& connection);

// The columns of a native query's result: from the server's prepared-statement metadata, or,
// when the statement cannot be prepared, from running it wrapped in a LIMIT 0 subquery.
// Throws pond::Error(invalid_input) when the statement returns no rows.
std::vector<MysqlColumn> describe_query(MysqlConnection& connection, std::string_view sql,
                                        const MysqlSettings& settings);

}  // namespace pond::connectors::mysql
