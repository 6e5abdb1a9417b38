#pragma once
// SQL text for MySQL/MariaDB: the one place the connector turns names into SQL. Identifiers
// are quoted with backticks (embedded backticks doubled); values are escaped by
// MysqlConnection::quote_literal (mysql_real_escape_string, which knows the connection's
// character set and sql_mode).

#include <string>
#include <string_view>

namespace pond::connectors::mysql {

std::string quote_identifier(std::string_view name);
// `schema`.`table`, or `table` when the schema is empty.
std::string qualified_name(std::string_view schema, std::string_view table);

}  // namespace pond::connectors::mysql
