#include "cli/remote/answer_reader.hpp"

namespace pond::cli {
namespace {

// The DOM as nlohmann builds it, except for the numbers that parse_exact_json keeps as text.
class ExactNumbersParser : public nlohmann::detail::json_sax_dom_parser<nlohmann::json> {
 public:
  explicit ExactNumbersParser(nlohmann::json& root) : json_sax_dom_parser(root, false) {}
  bool number_float(nlohmann::json::number_float_t, const nlohmann::json::string_t& text) {
    nlohmann::json::string_t copy = text;
    return string(copy);
  }
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

nlohmann::json parse_exact_json(std::string_view text) {
  nlohmann::json json;
  ExactNumbersParser parser(json);
  const bool parsed = nlohmann::json::sax_parse(text, &parser, nlohmann::json::input_format_t::json, false);
  if (!parsed || parser.is_errored()) return nlohmann::json(nlohmann::json::value_t::discarded);
  return json;
}

AnswerReader::AnswerReader(std::function<void(const nlohmann::json&)> on_columns,
                           std::function<void(nlohmann::json&)> on_row)
    : on_columns_(std::move(on_columns)), on_row_(std::move(on_row)) {}

bool AnswerReader::feed(const char* data, size_t size) {
  if (state_ == State::failed) return false;
  buffer_.append(data, size);
  while (state_ != State::done && state_ != State::failed && step()) {
  }
  // Drop what has been read: the buffer holds at most the value being read and one piece.
  if (pos_ > 0 && (pos_ == buffer_.size() || pos_ > (size_t{1} << 16))) {
    buffer_.erase(0, pos_);
    if (scanning_) scan_ -= pos_;
    pos_ = 0;
  }
  return state_ != State::failed;
}

bool AnswerReader::fail() {
  state_ = State::failed;
  return false;
}

void AnswerReader::skip_space() {
  while (pos_ < buffer_.size() && is_space(buffer_[pos_])) ++pos_;
}

bool AnswerReader::scan_value() {
  if (!scanning_) {
    scanning_ = true;
    scan_ = pos_;
    depth_ = 0;
    in_string_ = false;
    escaped_ = false;
  }
  for (; scan_ < buffer_.size(); ++scan_) {
    const char c = buffer_[scan_];
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
        if (depth_ == 0) {
          ++scan_;
          scanning_ = false;
          return true;
        }
      }
      continue;
    }
    if (depth_ == 0 && scan_ > pos_ && (c == ',' || c == ']' || c == '}' || is_space(c))) {
      scanning_ = false;  // a number, true, false or null ends here
      return true;
    }
    if (c == '"') {
      in_string_ = true;
    } else if (c == '[' || c == '{') {
      ++depth_;
    } else if (c == ']' || c == '}') {
      if (--depth_ <= 0) {
        ++scan_;
        scanning_ = false;
        return depth_ == 0 || fail();
      }
    }
  }
  return false;
}

bool AnswerReader::step() {
  skip_space();
  if (pos_ >= buffer_.size()) return false;
  const char c = buffer_[pos_];
  switch (state_) {
    case State::start:
      if (c != '{') return fail();
      ++pos_;
      state_ = State::key_or_end;
      return true;
    case State::key_or_end: {
      if (c == '}') {
        ++pos_;
        state_ = State::done;
        return true;
      }
      if (c != '"') return fail();
      if (!scan_value()) return false;
      nlohmann::json key = parse_exact_json(std::string_view(buffer_).substr(pos_, scan_ - pos_));
      if (!key.is_string()) return fail();
      key_ = key.get<std::string>();
      pos_ = scan_;
      state_ = State::colon;
      return true;
    }
    case State::colon:
      if (c != ':') return fail();
      ++pos_;
      state_ = State::value;
      return true;
    case State::value: {
      if (key_ == "rows" && c == '[') {
        ++pos_;
        state_ = State::rows_item;
        return true;
      }
      if (!scan_value()) return false;
      nlohmann::json value = parse_exact_json(std::string_view(buffer_).substr(pos_, scan_ - pos_));
      if (value.is_discarded()) return fail();
      pos_ = scan_;
      if (key_ == "columns") on_columns_(value);
      fields_[key_] = std::move(value);
      state_ = State::comma_or_end;
      return true;
    }
    case State::rows_item: {
      if (c == ']') {
        ++pos_;
        state_ = State::comma_or_end;
        return true;
      }
      if (!scan_value()) return false;
      nlohmann::json row = parse_exact_json(std::string_view(buffer_).substr(pos_, scan_ - pos_));
      if (row.is_discarded()) return fail();
      pos_ = scan_;
      state_ = State::rows_comma_or_end;
      on_row_(row);
      return true;
    }
    case State::rows_comma_or_end:
      if (c != ',' && c != ']') return fail();
      ++pos_;
      state_ = c == ',' ? State::rows_item : State::comma_or_end;
      return true;
    case State::comma_or_end:
      if (c != ',' && c != '}') return fail();
      ++pos_;
      state_ = c == ',' ? State::key_or_end : State::done;
      return true;
    case State::done:
    case State::failed:
      return false;
  }
  return false;
}

}  // namespace pond::cli
