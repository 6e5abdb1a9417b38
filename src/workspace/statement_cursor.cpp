#include "workspace/statement_cursor.hpp"

#include <algorithm>
#include <cctype>

#include "engine/error.hpp"

namespace pond::workspace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

StatementCursor::StatementCursor(std::vector<Token> tokens, std::string_view what)
    : t_(std::move(tokens)), what_(what) {
  // A trailing ';' is part of no statement.
  while (!t_.empty() && t_.back().is_symbol(';')) t_.pop_back();
}

bool StatementCursor::accept_word(std::string_view kw) {
  if (!done() && t_[i_].is_word(kw)) {
    ++i_;
    return true;
  }
  return false;
}

bool StatementCursor::accept_symbol(char c) {
  if (!done() && t_[i_].is_symbol(c)) {
    ++i_;
    return true;
  }
  return false;
}

void StatementCursor::expect_word(std::string_view kw) {
  if (!accept_word(kw)) fail("expected " + std::string(kw));
}

std::string StatementCursor::expect_string(const char* expected) {
  if (done() || t_[i_].kind != TokenKind::string) fail(expected);
  return t_[i_++].text;
}

std::string StatementCursor::expect_name(const char* expected) {
  if (done() || !t_[i_].is_name()) fail(expected);
  return t_[i_++].text;
}

void StatementCursor::expect_end() {
  if (!done()) fail("unexpected '" + t_[i_].text + "'");
}

std::vector<std::pair<std::string, std::string>> StatementCursor::options() {
  std::vector<std::pair<std::string, std::string>> out;
  if (!accept_symbol('(')) return out;
  while (true) {
    std::string name = upper(expect_name("expected an option name"));
    std::string value;
    const Token* next = peek();
    if (next && !next->is_symbol(',') && !next->is_symbol(')')) value = this->value();
    out.emplace_back(std::move(name), std::move(value));
    if (accept_symbol(')')) break;
    if (!accept_symbol(',')) fail("expected ',' or ')'");
  }
  return out;
}

void StatementCursor::fail(const std::string& expected) const {
  std::string near = done() ? "end of statement" : "'" + t_[i_].text + "'";
  throw Error(ErrorKind::invalid_input, what_ + ": " + expected + " near " + near);
}

}  // namespace pond::workspace
