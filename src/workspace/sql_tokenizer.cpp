#include "workspace/sql_tokenizer.hpp"

#include <cctype>

namespace pond::workspace {
namespace {

bool word_start(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool word_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

class Lexer {
 public:
  explicit Lexer(std::string_view sql) : s_(sql) {}

  TokenizeResult run() {
    TokenizeResult out;
    while (pos_ < s_.size()) {
      if (!skip_space_and_comments()) {
        out.unterminated = true;
        break;
      }
      if (pos_ >= s_.size()) break;
      size_t start = pos_;
      unsigned char c = s_[pos_];
      if ((c == 'E' || c == 'e') && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\'') {
        ++pos_;
        if (!quoted('\'', true, out, start)) break;
      } else if (c == '\'') {
        if (!quoted('\'', false, out, start)) break;
      } else if (c == '"') {
        if (!quoted('"', false, out, start)) break;
      } else if (c == '$' && dollar(out, start)) {
        if (out.unterminated) break;
      } else if (word_start(c)) {
        while (pos_ < s_.size() && word_char(s_[pos_])) ++pos_;
        out.tokens.push_back({TokenKind::word, std::string(s_.substr(start, pos_ - start)), start});
      } else if (std::isdigit(c)) {
        while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.')) ++pos_;
        out.tokens.push_back({TokenKind::number, std::string(s_.substr(start, pos_ - start)), start});
      } else {
        ++pos_;
        out.tokens.push_back({TokenKind::symbol, std::string(1, static_cast<char>(c)), start});
      }
    }
    if (unterminated_) out.unterminated = true;
    return out;
  }

 private:
  // Returns false when the input ends inside a block comment.
  bool skip_space_and_comments() {
    while (pos_ < s_.size()) {
      unsigned char c = s_[pos_];
      if (std::isspace(c)) {
        ++pos_;
      } else if (c == '-' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '-') {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else if (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '*') {
        pos_ += 2;
        int depth = 1;
        while (pos_ < s_.size() && depth > 0) {
          if (s_.compare(pos_, 2, "/*") == 0) {
            ++depth;
            pos_ += 2;
          } else if (s_.compare(pos_, 2, "*/") == 0) {
            --depth;
            pos_ += 2;
          } else {
            ++pos_;
          }
        }
        if (depth > 0) return false;
      } else {
        break;
      }
    }
    return true;
  }

  // At an opening quote; doubled quotes (and backslash escapes for E'') stay inside.
  bool quoted(char q, bool backslash, TokenizeResult& out, size_t start) {
    ++pos_;
    std::string value;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (backslash && c == '\\' && pos_ + 1 < s_.size()) {
        value.push_back(s_[pos_ + 1]);
        pos_ += 2;
        continue;
      }
      if (c == q) {
        if (pos_ + 1 < s_.size() && s_[pos_ + 1] == q) {
          value.push_back(q);
          pos_ += 2;
          continue;
        }
        ++pos_;
        out.tokens.push_back({q == '"' ? TokenKind::quoted_ident : TokenKind::string, std::move(value), start});
        return true;
      }
      value.push_back(c);
      ++pos_;
    }
    unterminated_ = true;
    return false;
  }

  // $$...$$ or $tag$...$tag$. Returns false when '$' starts something else (e.g. $1).
  bool dollar(TokenizeResult& out, size_t start) {
    size_t end_tag = pos_ + 1;
    while (end_tag < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[end_tag])) || s_[end_tag] == '_')) {
      if (end_tag == pos_ + 1 && std::isdigit(static_cast<unsigned char>(s_[end_tag]))) return false;
      ++end_tag;
    }
    if (end_tag >= s_.size() || s_[end_tag] != '$') return false;
    std::string_view tag = s_.substr(pos_, end_tag - pos_ + 1);
    size_t body = end_tag + 1;
    size_t close = s_.find(tag, body);
    if (close == std::string_view::npos) {
      pos_ = s_.size();
      unterminated_ = true;
      out.unterminated = true;
      return true;
    }
    out.tokens.push_back({TokenKind::string, std::string(s_.substr(body, close - body)), start});
    pos_ = close + tag.size();
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
  bool unterminated_ = false;
};

}  // namespace

bool Token::is_word(std::string_view upper_keyword) const {
  if (kind != TokenKind::word || text.size() != upper_keyword.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(text[i])) != upper_keyword[i]) return false;
  }
  return true;
}

TokenizeResult tokenize(std::string_view sql) { return Lexer(sql).run(); }

}  // namespace pond::workspace
