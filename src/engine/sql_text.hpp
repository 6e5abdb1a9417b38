#pragma once
// The only place Pond turns user text into SQL text. Identifiers are double-quoted with
// embedded quotes doubled; literals are single-quoted the same way. Everything else that
// carries user values goes through bound parameters.

#include <string>
#include <string_view>

namespace pond::sql {

std::string quote_identifier(std::string_view name);
std::string quote_literal(std::string_view value);

// Qualified name "a"."b"(."c") from its parts; empty parts are skipped.
std::string qualified_name(std::string_view catalog, std::string_view schema, std::string_view name);

}  // namespace pond::sql
