#include "connectors/mysql/mysql_utils.hpp"

#include "engine/error.hpp"

namespace pond::connectors::mysql {

std::string quote_identifier(std::string_view name) {
  // A NUL would cut the statement short when it crosses the C API.
  if (name.find('\0') != std::string_view::npos) {
    throw Error(ErrorKind::invalid_input, "a MySQL identifier contains a NUL character; remove it");
  }
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back('`');
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  out.push_back('`');
  return out;
}

std::string qualified_name(std::string_view schema, std::string_view table) {
  if (schema.empty()) return quote_identifier(table);
  return quote_identifier(schema) + "." + quote_identifier(table);
}

}  // namespace pond::connectors::mysql
