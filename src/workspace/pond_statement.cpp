#include "workspace/pond_statement.hpp"

#include <algorithm>
#include <cctype>

#include "engine/error.hpp"
#include "workspace/sql_tokenizer.hpp"
#include "workspace/statement_cursor.hpp"
#include "workspace/text_util.hpp"

namespace pond::workspace {
namespace {

bool truthy(const std::string& value) {
  std::string v = upper(value);
  return v.empty() || v == "TRUE" || v == "1" || v == "ON";
}

AttachStatement parse_attach(StatementCursor& c) {
  AttachStatement s;
  c.accept_word("DATABASE");
  if (c.accept_word("IF")) {
    c.expect_word("NOT");
    c.expect_word("EXISTS");
    s.if_not_exists = true;
  }
  s.location = c.expect_string("expected the location as a quoted string, e.g. ATTACH 'file.duckdb' AS name");
  if (c.accept_word("AS")) s.alias = c.expect_name("expected an alias after AS");
  for (auto& [name, value] : c.options()) {
    if (name == "READ_ONLY" || name == "READONLY") {
      s.read_only = truthy(value);
    } else if (name == "TYPE") {
      s.type = upper(value);
    } else {
      s.options.emplace_back(name, value);
    }
  }
  c.expect_end();
  return s;
}

DetachStatement parse_detach(StatementCursor& c) {
  DetachStatement s;
  c.accept_word("DATABASE");
  if (c.accept_word("IF")) {
    c.expect_word("EXISTS");
    s.if_exists = true;
  }
  s.alias = c.expect_name("expected the alias to detach");
  c.expect_end();
  return s;
}

UseFilesStatement parse_use(StatementCursor& c) {
  UseFilesStatement s;
  s.pattern = c.expect_string("expected a quoted path or glob");
  c.expect_word("AS");
  s.alias = c.expect_name("expected an alias after AS");
  for (auto& [name, value] : c.options()) {
    if (name != "FORMAT") c.fail("unknown option " + name + " (only FORMAT is accepted)");
    s.format = lower(value);
  }
  c.expect_end();
  return s;
}

}  // namespace

std::optional<PondStatement> parse_pond_statement(std::string_view sql) {
  TokenizeResult r = tokenize(sql);
  if (r.tokens.empty() || r.unterminated) return std::nullopt;
  const Token& first = r.tokens.front();
  if (first.is_word("ATTACH")) {
    StatementCursor c(std::vector<Token>(r.tokens.begin() + 1, r.tokens.end()), "ATTACH");
    return parse_attach(c);
  }
  if (first.is_word("DETACH")) {
    StatementCursor c(std::vector<Token>(r.tokens.begin() + 1, r.tokens.end()), "DETACH");
    return parse_detach(c);
  }
  // USE 'files' AS alias is Pond's; DuckDB's own USE takes a name, not a string.
  if (first.is_word("USE") && r.tokens.size() > 1 && r.tokens[1].kind == TokenKind::string) {
    StatementCursor c(std::vector<Token>(r.tokens.begin() + 1, r.tokens.end()), "USE");
    return parse_use(c);
  }
  if (auto secret = parse_secret_statement(r.tokens)) return secret;
  if (auto materialization = parse_materialization_statement(r.tokens)) return materialization;
  if (first.is_word("SHOW") && r.tokens.size() >= 2 && r.tokens[1].is_word("SOURCES")) {
    StatementCursor c(std::vector<Token>(r.tokens.begin() + 2, r.tokens.end()), "SHOW SOURCES");
    c.expect_end();
    return ShowSourcesStatement{};
  }
  if (first.is_word("SHOW") && r.tokens.size() >= 2 && r.tokens[1].is_word("SOURCE")) {
    StatementCursor c(std::vector<Token>(r.tokens.begin() + 2, r.tokens.end()), "SHOW SOURCE");
    ShowSourceStatement s{c.expect_name("expected the source's alias, e.g. SHOW SOURCE pg")};
    c.expect_end();
    return s;
  }
  return std::nullopt;
}

}  // namespace pond::workspace
