#include "cli/output/json_writer.hpp"

#include "engine/value_json.hpp"

namespace pond::cli {

void JsonWriter::begin(const std::vector<engine::Column>& columns) {
  keys_.clear();
  for (const auto& column : columns) {
    std::string key;
    append_json_string(key, column.name);
    keys_.push_back(std::move(key));
  }
  if (style_ == Style::array) out_ << '[';
}

void JsonWriter::row(const std::vector<engine::Value>& values) {
  line_.clear();
  if (style_ == Style::array) line_ += rows_ == 0 ? "\n  " : ",\n  ";
  line_ += '{';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) line_ += ',';
    line_ += keys_[i];
    line_ += ':';
    append_json_value(line_, values[i]);
  }
  line_ += '}';
  if (style_ == Style::lines) line_ += '\n';
  out_ << line_;
  ++rows_;
}

void JsonWriter::end() {
  if (style_ == Style::array) out_ << (rows_ == 0 ? "]\n" : "\n]\n");
  out_.flush();
}

}  // namespace pond::cli
