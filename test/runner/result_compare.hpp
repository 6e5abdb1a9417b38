#pragma once
// How the sqllogictest runner prints result values and compares them with the expected rows:
// NULL as NULL, the empty string as (empty), everything else as DuckDB prints it; R columns
// equal within a relative tolerance; rowsort/valuesort compare as sorted.

#include <string>
#include <vector>

#include "engine/value.hpp"
#include "test_file.hpp"

namespace pond::sqllogictest {

using Rows = std::vector<std::vector<std::string>>;

// The text of one cell as a test file writes it.
std::string format_cell(const engine::Value& value);
Rows format_rows(const std::vector<std::vector<engine::Value>>& rows);

// True when `actual` and `expected` denote the same value for a column of type `type`. An
// expected value written <REGEX>:pattern matches when the pattern matches the whole value.
bool values_match(char type, const std::string& actual, const std::string& expected);

struct Comparison {
  bool ok = true;
  std::string reason;  // empty when ok
};

// Compares a result with the expected lines of a query record. Expected lines hold one row
// each, values separated by tabs; or, as DuckDB allows, one value per line.
Comparison compare_result(const std::string& types, SortMode sort, const Rows& actual,
                          const std::vector<std::string>& expected_lines);

// Rows as test-file lines (tab-separated), in the order given.
std::vector<std::string> rows_as_lines(const Rows& rows);

}  // namespace pond::sqllogictest
