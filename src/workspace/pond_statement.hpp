#pragma once
// Recognizes the statements Pond handles itself. Anything else is not a PondStatement and
// goes to DuckDB untouched.
//   ATTACH [DATABASE] [IF NOT EXISTS] 'location' [AS alias] [(option [value], ...)]
//   DETACH [DATABASE] [IF EXISTS] alias
//   USE 'path-or-glob' AS alias [(FORMAT csv|parquet|json)]
//   SHOW SOURCES

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace pond::workspace {

struct AttachStatement {
  std::string location;
  std::string alias;  // empty when not given
  bool if_not_exists = false;
  bool read_only = false;
  std::string type;  // upper-case; empty when not given
  // Every other option, name upper-cased, value as written ("" for a bare flag).
  std::vector<std::pair<std::string, std::string>> options;
};

struct DetachStatement {
  std::string alias;
  bool if_exists = false;
};

struct UseFilesStatement {
  std::string pattern;
  std::string alias;
  std::string format;  // lower-case; empty when not given
};

struct ShowSourcesStatement {};

using PondStatement = std::variant<AttachStatement, DetachStatement, UseFilesStatement, ShowSourcesStatement>;

// std::nullopt: not a Pond statement. Throws pond::Error(invalid_input) for a Pond statement
// that is malformed (the message says what was expected).
std::optional<PondStatement> parse_pond_statement(std::string_view sql);

}  // namespace pond::workspace
