#pragma once
// Small text helpers shared inside the workspace component.

#include <algorithm>
#include <cctype>
#include <string>

namespace pond::workspace {

// ASCII lower-case, as DuckDB folds unquoted identifiers.
inline std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace pond::workspace
