#include "catalog/env_interpolation.hpp"

#include <cctype>
#include <cstdlib>

#include "engine/error.hpp"

namespace pond::catalog {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::string interpolate(std::string_view text, const EnvLookup& env) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c != '$' || i + 1 >= text.size()) {
      out += c;
      ++i;
      continue;
    }
    if (text[i + 1] == '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (text[i + 1] != '{') {
      out += c;
      ++i;
      continue;
    }
    size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      throw Error(ErrorKind::invalid_input, "'${' without a closing '}'; write $$ for a literal '$'");
    }
    std::string_view inner = text.substr(i + 2, close - i - 2);
    std::optional<std::string_view> fallback;
    if (size_t sep = inner.find(":-"); sep != std::string_view::npos) {
      fallback = inner.substr(sep + 2);
      inner = inner.substr(0, sep);
    }
    std::string name(inner);
    if (!valid_name(name)) {
      throw Error(ErrorKind::invalid_input,
                  "'${" + name + "}' is not a valid environment variable reference; use ${NAME} or ${NAME:-default}");
    }
    std::optional<std::string> value = env(name);
    if (value && !(fallback && value->empty())) {
      out += *value;
    } else if (fallback) {
      out += *fallback;
    } else {
      throw Error(ErrorKind::invalid_input,
                  "environment variable " + name + " is not set; set it or give a default with ${" + name + ":-value}");
    }
    i = close + 1;
  }
  return out;
}

}  // namespace pond::catalog
