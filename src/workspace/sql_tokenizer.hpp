#pragma once
// A small SQL lexer for the few statements Pond handles itself and for splitting scripts.
// It knows DuckDB's quoting rules; it does not parse SQL.

#include <string>
#include <string_view>
#include <vector>

namespace pond::workspace {

enum class TokenKind {
  word,          // keyword or bare identifier
  string,        // '...' or E'...' or $$...$$ (text holds the unescaped value)
  quoted_ident,  // "..." (text holds the unescaped name)
  number,
  symbol,  // any other single character: ( ) , ; . = ...
};

struct Token {
  TokenKind kind;
  std::string text;
  size_t offset = 0;  // byte offset in the input

  bool is_word(std::string_view upper_keyword) const;
  bool is_symbol(char c) const { return kind == TokenKind::symbol && text.size() == 1 && text[0] == c; }
  // A name: a bare word or a quoted identifier.
  bool is_name() const { return kind == TokenKind::word || kind == TokenKind::quoted_ident; }
};

struct TokenizeResult {
  std::vector<Token> tokens;
  bool unterminated = false;  // input ends inside a string, identifier or comment
};

TokenizeResult tokenize(std::string_view sql);

}  // namespace pond::workspace
