#pragma once
// RequestBody — the JSON object a POST endpoint receives, with typed field access whose
// errors name the field and the expected type (HTTP 400). Unknown fields are refused so
// that a misspelt option never goes unnoticed. Plain data; not shared between threads.

#include <cstdint>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/value.hpp"

namespace pond::server {

class RequestBody {
 public:
  // An empty body is an empty object. Throws HttpError(400) for malformed JSON or a non-object.
  static RequestBody parse(const std::string& text, std::initializer_list<const char*> allowed_fields);

  std::string required_string(const char* name) const;
  std::optional<std::string> optional_string(const char* name) const;
  bool optional_bool(const char* name, bool fallback) const;
  // A positive integer; throws when it is not one.
  std::optional<int64_t> optional_positive_int(const char* name) const;
  // {"key": "text", ...}; empty when the field is absent.
  std::map<std::string, std::string> optional_string_map(const char* name) const;
  // ["text", ...]; empty when the field is absent.
  std::vector<std::string> optional_string_list(const char* name) const;
  // [null | bool | number | string, ...] as bound parameters.
  std::vector<engine::Param> params(const char* name) const;

 private:
  explicit RequestBody(nlohmann::json json) : json_(std::move(json)) {}
  const nlohmann::json* field(const char* name) const;
  [[noreturn]] static void wrong_type(const std::string& name, const char* expected, const nlohmann::json& got);

  nlohmann::json json_;
};

}  // namespace pond::server
