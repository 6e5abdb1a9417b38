#include "workspace/statement_splitter.hpp"

#include "workspace/sql_tokenizer.hpp"

namespace pond::workspace {
namespace {

bool only_space_or_comments(std::string_view text) {
  TokenizeResult r = tokenize(text);
  return r.tokens.empty() && !r.unterminated;
}

}  // namespace

std::vector<std::string> split_statements(std::string_view script) {
  std::vector<std::string> out;
  TokenizeResult r = tokenize(script);
  size_t start = 0;
  auto emit = [&](size_t end) {
    std::string_view piece = script.substr(start, end - start);
    if (!only_space_or_comments(piece)) {
      size_t first = piece.find_first_not_of(" \t\r\n");
      size_t last = piece.find_last_not_of(" \t\r\n");
      out.emplace_back(piece.substr(first, last - first + 1));
    }
  };
  for (const Token& t : r.tokens) {
    if (t.is_symbol(';')) {
      emit(t.offset);
      start = t.offset + 1;
    }
  }
  emit(script.size());
  return out;
}

bool statement_incomplete(std::string_view text) {
  TokenizeResult r = tokenize(text);
  if (r.unterminated) return true;
  if (r.tokens.empty()) return false;
  return !r.tokens.back().is_symbol(';');
}

}  // namespace pond::workspace
