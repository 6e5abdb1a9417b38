#include "catalog/yaml_values.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>

#include "engine/error.hpp"

namespace pond::catalog {
namespace {

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

std::string node_kind(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "empty";
  return "'" + node.Scalar() + "'";
}

}  // namespace

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

Location YamlValues::at(const FileContext& f, const YAML::Node& node) const {
  if (!node.IsDefined()) return Location{f.display, 0, 0};
  YAML::Mark m = node.Mark();
  if (m.is_null()) return Location{f.display, 0, 0};
  return Location{f.display, m.line + 1, m.column + 1};
}

bool YamlValues::check_map(const YAML::Node& node, const FileContext& f, const std::string& what,
                           const std::vector<std::string>& allowed, const std::vector<std::string>& required,
                           bool duplicates) {
  if (!node.IsMap()) {
    diag_.add(at(f, node), what + " must be a mapping (key: value), not " + node_kind(node));
    return false;
  }
  std::map<std::string, Location> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) {
      diag_.add(at(f, it->first), "a key in " + what + " must be a plain name");
      continue;
    }
    const std::string& key = it->first.Scalar();
    // yaml-cpp keeps both entries of a repeated key; the catalog refuses them.
    if (duplicates) {
      auto [first, inserted] = seen.emplace(key, at(f, it->first));
      if (!inserted) {
        diag_.add(at(f, it->first),
                  "duplicate key '" + key + "' in " + what + " (first at " + first->second.to_string() + ")");
        continue;
      }
    }
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      diag_.add(at(f, it->first), "unknown key '" + key + "' in " + what + did_you_mean(key, allowed) +
                                      " (known keys: " + join(allowed) + ")");
    }
  }
  for (const std::string& key : required) {
    if (!node[key]) diag_.add(at(f, node), what + " is missing required key '" + key + "'");
  }
  return true;
}

std::optional<std::string> YamlValues::string(const YAML::Node& node, const FileContext& f, const std::string& what) {
  if (!node.IsDefined()) return std::nullopt;
  if (!node.IsScalar()) {
    diag_.add(at(f, node), what + " must be a text value, not " + node_kind(node));
    return std::nullopt;
  }
  try {
    return interpolate(node.Scalar(), env_);
  } catch (const Error& e) {
    diag_.add(at(f, node), what + ": " + e.what());
    return std::nullopt;
  }
}

std::optional<bool> YamlValues::boolean(const YAML::Node& node, const FileContext& f, const std::string& what) {
  auto text = string(node, f, what);
  if (!text) return std::nullopt;
  std::string v = lower_ascii(*text);
  if (v == "true" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "no" || v == "off") return false;
  diag_.add(at(f, node), what + " must be true or false, not '" + *text + "'");
  return std::nullopt;
}

std::optional<long long> YamlValues::integer(const YAML::Node& node, const FileContext& f, const std::string& what,
                                             long long min, long long max) {
  auto text = string(node, f, what);
  if (!text) return std::nullopt;
  long long value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) {
    diag_.add(at(f, node), what + " must be a whole number, not '" + *text + "'");
    return std::nullopt;
  }
  if (value < min || value > max) {
    diag_.add(at(f, node),
              what + " must be between " + std::to_string(min) + " and " + std::to_string(max) + ", not " + *text);
    return std::nullopt;
  }
  return value;
}

std::optional<double> YamlValues::number(const YAML::Node& node, const FileContext& f, const std::string& what,
                                         double min, double max) {
  auto text = string(node, f, what);
  if (!text) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(text->c_str(), &end);
  if (text->empty() || end != text->c_str() + text->size() || !std::isfinite(value)) {
    diag_.add(at(f, node), what + " must be a number, not '" + *text + "'");
    return std::nullopt;
  }
  if (value < min || value > max) {
    diag_.add(at(f, node), what + " must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return value;
}

}  // namespace pond::catalog
