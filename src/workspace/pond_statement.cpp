#include "workspace/pond_statement.hpp"

#include <algorithm>
#include <cctype>

#include "engine/error.hpp"
#include "workspace/sql_tokenizer.hpp"

namespace pond::workspace {
namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

class Cursor {
 public:
  Cursor(std::vector<Token> tokens, std::string_view what) : t_(std::move(tokens)), what_(what) {
    // A trailing ';' is part of no statement.
    while (!t_.empty() && t_.back().is_symbol(';')) t_.pop_back();
  }

  bool done() const { return i_ >= t_.size(); }
  const Token* peek(size_t ahead = 0) const { return i_ + ahead < t_.size() ? &t_[i_ + ahead] : nullptr; }

  bool accept_word(std::string_view kw) {
    if (!done() && t_[i_].is_word(kw)) {
      ++i_;
      return true;
    }
    return false;
  }
  bool accept_symbol(char c) {
    if (!done() && t_[i_].is_symbol(c)) {
      ++i_;
      return true;
    }
    return false;
  }
  void expect_word(std::string_view kw) {
    if (!accept_word(kw)) fail(std::string("expected ") + std::string(kw));
  }
  std::string expect_string(const char* expected) {
    if (done() || t_[i_].kind != TokenKind::string) fail(expected);
    return t_[i_++].text;
  }
  std::string expect_name(const char* expected) {
    if (done() || !t_[i_].is_name()) fail(expected);
    return t_[i_++].text;
  }
  void expect_end() {
    if (!done()) fail("unexpected '" + t_[i_].text + "'");
  }

  // Option value: a word, string, number or quoted name, as written.
  std::string value() { return t_[i_++].text; }

  [[noreturn]] void fail(const std::string& expected) const {
    std::string near = done() ? "end of statement" : "'" + t_[i_].text + "'";
    throw Error(ErrorKind::invalid_input, std::string(what_) + ": " + expected + " near " + near);
  }

 private:
  std::vector<Token> t_;
  size_t i_ = 0;
  std::string_view what_;
};

// (option [value], ...) — returns upper-cased names with their values.
std::vector<std::pair<std::string, std::string>> parse_options(Cursor& c) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!c.accept_symbol('(')) return out;
  while (true) {
    std::string name = upper(c.expect_name("an option name"));
    std::string value;
    const Token* next = c.peek();
    if (next && !next->is_symbol(',') && !next->is_symbol(')')) value = c.value();
    out.emplace_back(std::move(name), std::move(value));
    if (c.accept_symbol(')')) break;
    if (!c.accept_symbol(',')) c.fail("expected ',' or ')'");
  }
  return out;
}

bool truthy(const std::string& value) {
  std::string v = upper(value);
  return v.empty() || v == "TRUE" || v == "1" || v == "ON";
}

AttachStatement parse_attach(Cursor& c) {
  AttachStatement s;
  c.accept_word("DATABASE");
  if (c.accept_word("IF")) {
    c.expect_word("NOT");
    c.expect_word("EXISTS");
    s.if_not_exists = true;
  }
  s.location = c.expect_string("expected the location as a quoted string, e.g. ATTACH 'file.duckdb' AS name");
  if (c.accept_word("AS")) s.alias = c.expect_name("expected an alias after AS");
  for (auto& [name, value] : parse_options(c)) {
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

DetachStatement parse_detach(Cursor& c) {
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

UseFilesStatement parse_use(Cursor& c) {
  UseFilesStatement s;
  s.pattern = c.expect_string("expected a quoted path or glob");
  c.expect_word("AS");
  s.alias = c.expect_name("expected an alias after AS");
  for (auto& [name, value] : parse_options(c)) {
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
    Cursor c(std::vector<Token>(r.tokens.begin() + 1, r.tokens.end()), "ATTACH");
    return parse_attach(c);
  }
  if (first.is_word("DETACH")) {
    Cursor c(std::vector<Token>(r.tokens.begin() + 1, r.tokens.end()), "DETACH");
    return parse_detach(c);
  }
  // USE 'files' AS alias is Pond's; DuckDB's own USE takes a name, not a string.
  if (first.is_word("USE") && r.tokens.size() > 1 && r.tokens[1].kind == TokenKind::string) {
    Cursor c(std::vector<Token>(r.tokens.begin() + 1, r.tokens.end()), "USE");
    return parse_use(c);
  }
  if (first.is_word("SHOW") && r.tokens.size() >= 2 && r.tokens[1].is_word("SOURCES")) {
    Cursor c(std::vector<Token>(r.tokens.begin() + 2, r.tokens.end()), "SHOW SOURCES");
    c.expect_end();
    return ShowSourcesStatement{};
  }
  return std::nullopt;
}

}  // namespace pond::workspace
