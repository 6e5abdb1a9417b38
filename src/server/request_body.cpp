#include "server/request_body.hpp"

#include <algorithm>
#include <limits>

#include "server/http_error.hpp"

namespace pond::server {

RequestBody RequestBody::parse(const std::string& text, std::initializer_list<const char*> allowed_fields) {
  nlohmann::json json;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    json = nlohmann::json::object();
  } else {
    json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded()) {
      throw HttpError(400, "invalid_json", "the request body is not valid JSON; send one JSON object");
    }
  }
  if (!json.is_object()) {
    throw HttpError(400, "invalid_json",
                    std::string("the request body must be a JSON object, not ") + json.type_name());
  }
  for (const auto& [key, value] : json.items()) {
    bool known = std::any_of(allowed_fields.begin(), allowed_fields.end(), [&](const char* f) { return key == f; });
    if (!known) {
      std::string allowed;
      for (const char* f : allowed_fields) allowed += (allowed.empty() ? "" : ", ") + std::string(f);
      throw HttpError(400, "invalid_input",
                      "unknown field '" + key + "'; this endpoint takes: " + (allowed.empty() ? "no fields" : allowed));
    }
  }
  return RequestBody(std::move(json));
}

const nlohmann::json* RequestBody::field(const char* name) const {
  auto it = json_.find(name);
  if (it == json_.end() || it->is_null()) return nullptr;
  return &*it;
}

void RequestBody::wrong_type(const std::string& name, const char* expected, const nlohmann::json& got) {
  throw HttpError(400, "invalid_input",
                  "field '" + name + "' must be " + expected + ", not " + std::string(got.type_name()));
}

std::string RequestBody::required_string(const char* name) const {
  const nlohmann::json* value = field(name);
  if (value == nullptr) throw HttpError(400, "invalid_input", std::string("missing field '") + name + "' (a string)");
  if (!value->is_string()) wrong_type(name, "a string", *value);
  return value->get<std::string>();
}

std::optional<std::string> RequestBody::optional_string(const char* name) const {
  const nlohmann::json* value = field(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) wrong_type(name, "a string", *value);
  return value->get<std::string>();
}

bool RequestBody::optional_bool(const char* name, bool fallback) const {
  const nlohmann::json* value = field(name);
  if (value == nullptr) return fallback;
  if (!value->is_boolean()) wrong_type(name, "true or false", *value);
  return value->get<bool>();
}

std::optional<int64_t> RequestBody::optional_positive_int(const char* name) const {
  const nlohmann::json* value = field(name);
  if (value == nullptr) return std::nullopt;
  if (value->is_number_unsigned() && value->get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max())) {
    wrong_type(name, "a positive integer below 2^63", *value);
  }
  if (!value->is_number_integer() || value->get<int64_t>() <= 0) wrong_type(name, "a positive integer", *value);
  return value->get<int64_t>();
}

std::map<std::string, std::string> RequestBody::optional_string_map(const char* name) const {
  std::map<std::string, std::string> out;
  const nlohmann::json* value = field(name);
  if (value == nullptr) return out;
  if (!value->is_object()) wrong_type(name, "an object of strings", *value);
  for (const auto& [key, item] : value->items()) {
    if (!item.is_string()) wrong_type(std::string(name) + "." + key, "a string", item);
    out[key] = item.get<std::string>();
  }
  return out;
}

std::vector<std::string> RequestBody::optional_string_list(const char* name) const {
  std::vector<std::string> out;
  const nlohmann::json* value = field(name);
  if (value == nullptr) return out;
  if (!value->is_array()) wrong_type(name, "an array of strings", *value);
  for (size_t i = 0; i < value->size(); ++i) {
    if (!(*value)[i].is_string())
      wrong_type(std::string(name) + "[" + std::to_string(i) + "]", "a string", (*value)[i]);
    out.push_back((*value)[i].get<std::string>());
  }
  return out;
}

std::vector<engine::Param> RequestBody::params(const char* name) const {
  std::vector<engine::Param> out;
  const nlohmann::json* value = field(name);
  if (value == nullptr) return out;
  if (!value->is_array()) wrong_type(name, "an array", *value);
  for (size_t i = 0; i < value->size(); ++i) {
    const nlohmann::json& item = (*value)[i];
    const std::string where = std::string(name) + "[" + std::to_string(i) + "]";
    if (item.is_null()) {
      out.emplace_back(nullptr);
    } else if (item.is_boolean()) {
      out.emplace_back(item.get<bool>());
    } else if (item.is_number_unsigned()) {
      if (item.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max())) {
        throw HttpError(400, "invalid_input", "field '" + where + "' is above BIGINT's range; send it as a string");
      }
      out.emplace_back(item.get<int64_t>());
    } else if (item.is_number_integer()) {
      out.emplace_back(item.get<int64_t>());
    } else if (item.is_number_float()) {
      out.emplace_back(item.get<double>());
    } else if (item.is_string()) {
      out.emplace_back(item.get<std::string>());
    } else {
      wrong_type(where, "null, a boolean, a number or a string", item);
    }
  }
  return out;
}

}  // namespace pond::server
