#pragma once
// SQL text for MySQL/MariaDB: the one place the connector turns names into SQL. Identifiers
// are quoted with backticks (embedded backticks doubled). No value is ever put into SQL text:
// the catalog queries take none, and KILL QUERY takes the server's numeric thread id.

#include <string>
#include <string_view>

namespace pond::connectors::mysql {

std::string quote_identifier(std::string_view name);
// `schema`.`table`, or `table` when the schema is empty.
std::string qualified_name(std::string_view schema, std::string_view table);

}  // namespace pond::connectors::mysql
