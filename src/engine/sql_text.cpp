#include "engine/sql_text.hpp"

#include "engine/error.hpp"

namespace pond::sql {
namespace {

std::string quote_with(std::string_view text, char quote) {
  // A NUL would silently cut the text short when it crosses the C API.
  if (text.find('\0') != std::string_view::npos) {
    throw Error(ErrorKind::invalid_input, "a name or value contains a NUL character; remove it");
  }
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back(quote);
  for (char c : text) {
    if (c == quote) out.push_back(quote);
    out.push_back(c);
  }
  out.push_back(quote);
  return out;
}

}  // namespace

std::string quote_identifier(std::string_view name) { return quote_with(name, '"'); }

std::string quote_literal(std::string_view value) { return quote_with(value, '\''); }

std::string qualified_name(std::string_view catalog, std::string_view schema, std::string_view name) {
  std::string out;
  for (std::string_view part : {catalog, schema, name}) {
    if (part.empty()) continue;
    if (!out.empty()) out.push_back('.');
    out += quote_identifier(part);
  }
  return out;
}

}  // namespace pond::sql
