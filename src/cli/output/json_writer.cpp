#include "cli/output/json_writer.hpp"

#include <cmath>
#include <cstdio>
#include <variant>

namespace pond::cli {

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_json_value(std::string& out, const engine::Value& value) {
  if (value.is_null()) {
    out += "null";
    return;
  }
  const auto& storage = value.storage();
  if (std::holds_alternative<bool>(storage)) {
    out += std::get<bool>(storage) ? "true" : "false";
  } else if (std::holds_alternative<double>(storage)) {
    out += std::isfinite(std::get<double>(storage)) ? value.to_string() : "null";
  } else if (std::holds_alternative<int64_t>(storage) || std::holds_alternative<uint64_t>(storage) ||
             engine::is_numeric(value.type())) {
    // Decimals and 128-bit integers arrive as exact text; it is already a JSON number.
    out += value.to_string();
  } else {
    append_json_string(out, value.to_string());
  }
}

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
