// Parsing of MATERIALIZE / REFRESH MATERIALIZATION / DROP MATERIALIZATION / SHOW MATERIALIZATIONS.

#include "engine/error.hpp"
#include "workspace/pond_statement.hpp"
#include "workspace/sql_tokenizer.hpp"
#include "workspace/statement_cursor.hpp"

namespace pond::workspace {

std::optional<PondStatement> parse_materialization_statement(const std::vector<Token>& tokens) {
  if (tokens.empty()) return std::nullopt;
  const Token& first = tokens[0];
  std::vector<Token> rest(tokens.begin() + 1, tokens.end());
  if (first.is_word("MATERIALIZE")) {
    StatementCursor c(rest, "MATERIALIZE");
    MaterializeStatement s;
    s.persistent = c.accept_word("PERSISTENT");
    s.name = c.expect_name("expected the table name, e.g. MATERIALIZE orders FROM pg AS 'SELECT ...'");
    c.expect_word("FROM");
    s.source = c.expect_name("expected the source alias after FROM");
    c.expect_word("AS");
    s.query = c.expect_string("expected the query as a string ('...' or $$...$$)");
    if (c.accept_word("PERSISTENT")) s.persistent = true;
    c.expect_end();
    return s;
  }
  if (first.is_word("REFRESH")) {
    StatementCursor c(rest, "REFRESH");
    if (!c.accept_word("MATERIALIZATION")) return std::nullopt;
    RefreshStatement s{c.expect_name("expected the materialization's name")};
    c.expect_end();
    return s;
  }
  if (first.is_word("DROP") && !rest.empty() && rest[0].is_word("MATERIALIZATION")) {
    StatementCursor c(std::vector<Token>(rest.begin() + 1, rest.end()), "DROP MATERIALIZATION");
    DropMaterializationStatement s;
    if (c.accept_word("IF")) {
      c.expect_word("EXISTS");
      s.if_exists = true;
    }
    s.name = c.expect_name("expected the materialization's name");
    c.expect_end();
    return s;
  }
  if (first.is_word("SHOW") && !rest.empty() && rest[0].is_word("MATERIALIZATIONS")) {
    StatementCursor c(std::vector<Token>(rest.begin() + 1, rest.end()), "SHOW MATERIALIZATIONS");
    c.expect_end();
    return ShowMaterializationsStatement{};
  }
  return std::nullopt;
}

}  // namespace pond::workspace
