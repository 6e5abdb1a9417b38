#include "engine/value_json.hpp"

#include <cmath>
#include <cstdio>
#include <variant>

namespace pond::engine {

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  size_t plain = 0;  // start of the run of characters that need no escape
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
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
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
        out += buf;
      }
    }
  }
  out.append(text.data() + plain, text.size() - plain);
  out += '"';
}

void append_json_value(std::string& out, const Value& value) {
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
             is_numeric(value.type())) {
    // Decimals and 128-bit integers arrive as exact text; it is already a JSON number.
    out += value.to_string();
  } else {
    append_json_string(out, value.to_string());
  }
}

}  // namespace pond::engine
