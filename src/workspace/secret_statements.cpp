// Parsing of CREATE SECRET / DROP SECRET / SHOW SECRETS for connector secrets.

#include "engine/error.hpp"
#include "workspace/pond_statement.hpp"
#include "workspace/sql_tokenizer.hpp"
#include "workspace/statement_cursor.hpp"
#include "workspace/text_util.hpp"

namespace pond::workspace {
namespace {

bool is_connector_type(const std::string& type) {
  return type == "postgres" || type == "postgresql" || type == "mysql" || type == "mariadb";
}

std::optional<PondStatement> parse_create(StatementCursor& c) {
  CreateSecretStatement s;
  if (c.accept_word("OR")) {
    c.expect_word("REPLACE");
    s.or_replace = true;
  }
  if (c.accept_word("PERSISTENT")) {
    s.persistent = true;
  } else {
    c.accept_word("TEMPORARY") || c.accept_word("TEMP");
  }
  if (!c.accept_word("SECRET")) return std::nullopt;
  if (c.accept_word("IF")) {
    c.expect_word("NOT");
    c.expect_word("EXISTS");
    s.if_not_exists = true;
  }
  // DuckDB allows an unnamed secret; Pond's secrets are referenced by name.
  const Token* next = c.peek();
  if (!next || !next->is_name()) return std::nullopt;
  s.name = c.expect_name("expected the secret's name");
  if (c.accept_word("IN")) c.value();  // storage clause: Pond decides by PERSISTENT
  for (auto& [key, value] : c.options()) {
    if (key == "TYPE") {
      s.type = lower(value);
    } else {
      s.fields[lower(key)] = value;
    }
  }
  c.expect_end();
  if (!is_connector_type(s.type)) return std::nullopt;
  if (s.type == "postgresql") s.type = "postgres";
  if (s.type == "mariadb") s.type = "mysql";
  return s;
}

std::optional<PondStatement> parse_drop(StatementCursor& c) {
  DropSecretStatement s;
  c.accept_word("PERSISTENT") || c.accept_word("TEMPORARY") || c.accept_word("TEMP");
  if (!c.accept_word("SECRET")) return std::nullopt;
  if (c.accept_word("IF")) {
    c.expect_word("EXISTS");
    s.if_exists = true;
  }
  s.name = c.expect_name("expected the secret's name");
  if (!c.done()) return std::nullopt;  // e.g. FROM <storage>: DuckDB's own
  return s;
}

}  // namespace

std::optional<PondStatement> parse_secret_statement(const std::vector<Token>& tokens) {
  if (tokens.empty()) return std::nullopt;
  StatementCursor c(std::vector<Token>(tokens.begin() + 1, tokens.end()), upper(tokens[0].text) + " SECRET");
  if (tokens[0].is_word("CREATE")) return parse_create(c);
  if (tokens[0].is_word("DROP")) return parse_drop(c);
  if (tokens[0].is_word("SHOW") && c.accept_word("SECRETS")) {
    c.expect_end();
    return ShowSecretsStatement{};
  }
  return std::nullopt;
}

}  // namespace pond::workspace
