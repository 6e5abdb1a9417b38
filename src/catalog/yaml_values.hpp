#pragma once
// Reading typed values out of yaml-cpp nodes for CatalogParser: every wrong type, unknown key,
// duplicate key or missing key becomes a Diagnostic at the node's file:line:column, and the
// reader goes on. Scalars are ${VAR}-interpolated here. Internal to the catalog component.

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "catalog/diagnostics.hpp"
#include "catalog/env_interpolation.hpp"

namespace pond::catalog {

// The file a node came from.
struct FileContext {
  std::string display;        // path as shown in messages
  std::filesystem::path dir;  // relative paths in this file resolve against it
  bool top = false;           // the top catalog file (not an include)
};

std::string lower_ascii(std::string s);

class YamlValues {
 public:
  YamlValues(Diagnostics& diag, EnvLookup env) : diag_(diag), env_(std::move(env)) {}

  Location at(const FileContext& f, const YAML::Node& node) const;

  // Checks that `node` is a mapping with string keys, no duplicates (when `duplicates`), only
  // `allowed` keys (any when empty) and every `required` key. False when it is not a mapping.
  bool check_map(const YAML::Node& node, const FileContext& f, const std::string& what,
                 const std::vector<std::string>& allowed, const std::vector<std::string>& required,
                 bool duplicates = true);

  // Each returns nothing (after adding a diagnostic, unless the node is absent) when the node
  // does not hold that type.
  std::optional<std::string> string(const YAML::Node& node, const FileContext& f, const std::string& what);
  std::optional<bool> boolean(const YAML::Node& node, const FileContext& f, const std::string& what);
  std::optional<long long> integer(const YAML::Node& node, const FileContext& f, const std::string& what,
                                   long long min = -(1LL << 53), long long max = 1LL << 53);
  std::optional<double> number(const YAML::Node& node, const FileContext& f, const std::string& what, double min,
                               double max);

 private:
  Diagnostics& diag_;
  EnvLookup env_;
};

}  // namespace pond::catalog
