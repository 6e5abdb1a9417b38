#pragma once
// Recognizes the statements Pond handles itself. Anything else is not a PondStatement and
// goes to DuckDB untouched.
//   ATTACH [DATABASE] [IF NOT EXISTS] 'location' [AS alias] [(option [value], ...)]
//   DETACH [DATABASE] [IF EXISTS] alias
//   USE 'path-or-glob' AS alias [(FORMAT csv|parquet|json)]
//   SHOW SOURCES, SHOW SOURCE alias
//   CREATE / DROP SECRET for connector types, SHOW SECRETS
//   MATERIALIZE, REFRESH MATERIALIZATION, DROP MATERIALIZATION, SHOW MATERIALIZATIONS

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "workspace/sql_tokenizer.hpp"

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
// SHOW SOURCE alias — the source's tables and views with their columns.
struct ShowSourceStatement {
  std::string alias;
};

// CREATE [OR REPLACE] [PERSISTENT | TEMPORARY] SECRET [IF NOT EXISTS] name
//   (TYPE postgres | mysql, USER 'u', PASSWORD_ENV 'VAR', ...) — other TYPEs go to DuckDB.
struct CreateSecretStatement {
  std::string name;
  std::string type;  // lower-case
  bool persistent = false;
  bool or_replace = false;
  bool if_not_exists = false;
  std::map<std::string, std::string> fields;  // lower-case keys, without TYPE
};

// DROP [PERSISTENT | TEMPORARY] SECRET [IF EXISTS] name — Pond's when it has that secret.
struct DropSecretStatement {
  std::string name;
  bool if_exists = false;
};

struct ShowSecretsStatement {};

// MATERIALIZE [PERSISTENT] name FROM source AS 'query'
struct MaterializeStatement {
  std::string name;
  std::string source;
  std::string query;
  bool persistent = false;
};

// REFRESH MATERIALIZATION name
struct RefreshStatement {
  std::string name;
};

// DROP MATERIALIZATION [IF EXISTS] name
struct DropMaterializationStatement {
  std::string name;
  bool if_exists = false;
};

struct ShowMaterializationsStatement {};

using PondStatement =
    std::variant<AttachStatement, DetachStatement, UseFilesStatement, ShowSourcesStatement, ShowSourceStatement,
                 CreateSecretStatement, DropSecretStatement, ShowSecretsStatement, MaterializeStatement,
                 RefreshStatement, DropMaterializationStatement, ShowMaterializationsStatement>;

// std::nullopt: not a Pond statement. Throws pond::Error(invalid_input) for a Pond statement
// that is malformed (the message says what was expected).
std::optional<PondStatement> parse_pond_statement(std::string_view sql);

// The parts, for parse_pond_statement; `tokens` start after the leading keyword.
std::optional<PondStatement> parse_secret_statement(const std::vector<Token>& tokens);
std::optional<PondStatement> parse_materialization_statement(const std::vector<Token>& tokens);

}  // namespace pond::workspace
