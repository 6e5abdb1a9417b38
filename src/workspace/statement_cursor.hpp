#pragma once
// StatementCursor — walks the tokens of one Pond statement; parse errors name the statement
// and what was expected near which token.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "workspace/sql_tokenizer.hpp"

namespace pond::workspace {

class StatementCursor {
 public:
  // `tokens` without the leading keyword(s) the dispatcher already matched.
  StatementCursor(std::vector<Token> tokens, std::string_view what);

  bool done() const { return i_ >= t_.size(); }
  const Token* peek(size_t ahead = 0) const { return i_ + ahead < t_.size() ? &t_[i_ + ahead] : nullptr; }

  bool accept_word(std::string_view upper_keyword);
  bool accept_symbol(char c);
  void expect_word(std::string_view upper_keyword);
  std::string expect_string(const char* expected);
  std::string expect_name(const char* expected);
  void expect_end();
  // An option value as written: a word, string, number or quoted name.
  std::string value() { return t_[i_++].text; }
  // (name [value], ...) with upper-cased names; empty when there is no '('.
  std::vector<std::pair<std::string, std::string>> options();

  [[noreturn]] void fail(const std::string& expected) const;

 private:
  std::vector<Token> t_;
  size_t i_ = 0;
  std::string what_;
};

std::string upper(std::string s);

}  // namespace pond::workspace
