#pragma once
// AnswerReader — reads executeQuery's JSON answer ({"queryId", "columns", "rows": [...],
// "rowCount", "status", "error"?, "rowsChanged"?}, docs/http-api.md) as it arrives, in pieces
// of any size: each element of "rows" is handed to on_row as soon as it is complete, and only
// the row being read is kept, so memory stays bounded however many rows the answer holds.
// Every other member is kept whole (fields()). Numbers with a fraction or exponent and
// integers beyond 64 bits are kept as the server's exact text (see parse_exact_json). Not
// thread-safe: one reader per answer.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace pond::cli {

class AnswerReader {
 public:
  // on_columns gets "columns" when it has been read; on_row each row, in order.
  AnswerReader(std::function<void(const nlohmann::json&)> on_columns, std::function<void(nlohmann::json&)> on_row);

  // Takes the next piece of the body. Returns false when it is not JSON of that shape (then
  // the reader stays failed); the callbacks' exceptions pass through.
  bool feed(const char* data, size_t size);
  // Whether the closing '}' has been read.
  bool complete() const { return state_ == State::done; }
  // The members read so far, "rows" left out.
  const nlohmann::json& fields() const { return fields_; }

 private:
  enum class State { start, key_or_end, colon, value, comma_or_end, rows_item, rows_comma_or_end, done, failed };
  bool step();        // one token from pos_; false when more input is needed (or failed)
  bool scan_value();  // moves scan_ to the end of the value starting at pos_; false: incomplete
  void skip_space();
  bool fail();

  std::function<void(const nlohmann::json&)> on_columns_;
  std::function<void(nlohmann::json&)> on_row_;
  std::string buffer_;
  size_t pos_ = 0;
  State state_ = State::start;
  std::string key_;
  nlohmann::json fields_ = nlohmann::json::object();
  // The value being scanned: how far, and the nesting and string state there.
  size_t scan_ = 0;
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
  bool scanning_ = false;
};

// Parses `text` as nlohmann does, except that a number with a fraction or exponent, or an
// integer beyond 64 bits, is kept as the string the server wrote (DuckDB's exact text of a
// DECIMAL or HUGEINT, which a double would round). Returns a discarded value when invalid.
nlohmann::json parse_exact_json(std::string_view text);

}  // namespace pond::cli
