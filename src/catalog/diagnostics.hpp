#pragma once
// Diagnostics — the errors found in a catalog, each with its file:line:column. Checks add to
// it and go on, so that one run reports every problem; throw_if_any() turns them into one
// pond::Error (invalid_input), one line per problem, in the order found. Also the "did you
// mean" helper the checks share. Not thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"

namespace pond::catalog {

struct Diagnostic {
  Location at;
  std::string message;
};

class Diagnostics {
 public:
  void add(const Location& at, std::string message);
  bool empty() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  // Throws pond::Error(invalid_input) listing every diagnostic when there is one.
  void throw_if_any() const;

 private:
  std::vector<Diagnostic> items_;
};

// Equal as DuckDB compares unquoted names (ASCII case-insensitive).
bool same_name(std::string_view a, std::string_view b);
// Levenshtein distance between two ASCII strings, case-insensitive.
size_t edit_distance(std::string_view a, std::string_view b);
// "; did you mean 'x'?" for the closest candidate within a small distance, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace pond::catalog
