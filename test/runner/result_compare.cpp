#include "result_compare.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <regex>

namespace pond::sqllogictest {
namespace {

constexpr std::string_view kRegexPrefix = "<REGEX>:";
constexpr double kRelativeTolerance = 1e-6;
constexpr double kAbsoluteTolerance = 1e-12;

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return out;
    start = tab + 1;
  }
}

bool parse_double(const std::string& text, double& out) {
  if (text == "inf" || text == "-inf" || text == "nan") return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

std::string join(const std::vector<std::string>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) out += (i ? "\t" : "") + values[i];
  return out;
}

// The expected lines as rows of `columns` values; false (with a reason) when they do not fit.
bool expected_rows(const std::vector<std::string>& lines, size_t columns, size_t actual_rows, Rows& out,
                   std::string& reason) {
  Rows rows;
  bool row_wise = true;
  for (const std::string& line : lines) {
    rows.push_back(split_tabs(line));
    if (rows.back().size() != columns) row_wise = false;
  }
  if (row_wise) {
    out = std::move(rows);
    return true;
  }
  // DuckDB also accepts one value per line when every line holds a single value.
  bool value_wise = columns > 1 && std::all_of(rows.begin(), rows.end(), [](auto& r) { return r.size() == 1; }) &&
                    lines.size() == actual_rows * columns;
  if (value_wise) {
    out.clear();
    for (size_t i = 0; i < lines.size(); i += columns) {
      out.emplace_back(lines.begin() + static_cast<std::ptrdiff_t>(i),
                       lines.begin() + static_cast<std::ptrdiff_t>(i + columns));
    }
    return true;
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].size() != columns) {
      reason = "expected row " + std::to_string(i + 1) + " has " + std::to_string(rows[i].size()) +
               " value(s) but the query returns " + std::to_string(columns) +
               " column(s) (values are separated by tabs)";
      return false;
    }
  }
  return false;
}

void sort_for(SortMode sort, Rows& rows) {
  if (sort == SortMode::rowsort) {
    std::sort(rows.begin(), rows.end());
  } else if (sort == SortMode::valuesort) {
    std::vector<std::string> values;
    for (auto& row : rows) values.insert(values.end(), row.begin(), row.end());
    std::sort(values.begin(), values.end());
    size_t columns = rows.empty() ? 0 : rows.front().size();
    size_t i = 0;
    for (auto& row : rows) {
      for (size_t c = 0; c < columns; ++c) row[c] = values[i++];
    }
  }
}

}  // namespace

std::string format_cell(const engine::Value& value) {
  if (value.is_null()) return "NULL";
  std::string text = value.to_string();
  return text.empty() ? "(empty)" : text;
}

Rows format_rows(const std::vector<std::vector<engine::Value>>& rows) {
  Rows out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    std::vector<std::string> cells;
    cells.reserve(row.size());
    for (const auto& value : row) cells.push_back(format_cell(value));
    out.push_back(std::move(cells));
  }
  return out;
}

bool values_match(char type, const std::string& actual, const std::string& expected) {
  if (actual == expected) return true;
  if (expected.starts_with(kRegexPrefix)) {
    return std::regex_match(actual, std::regex(expected.substr(kRegexPrefix.size())));
  }
  if (type != 'R') return false;
  double a = 0;
  double e = 0;
  if (!parse_double(actual, a) || !parse_double(expected, e)) return false;
  double scale = std::max(std::fabs(a), std::fabs(e));
  return std::fabs(a - e) <= std::max(kAbsoluteTolerance, scale * kRelativeTolerance);
}

Comparison compare_result(const std::string& types, SortMode sort, const Rows& actual,
                          const std::vector<std::string>& expected_lines) {
  size_t columns = types.size();
  if (!actual.empty() && actual.front().size() != columns) {
    return {false, "the query returns " + std::to_string(actual.front().size()) + " column(s) but its types '" + types +
                       "' name " + std::to_string(columns)};
  }
  Rows expected;
  std::string reason;
  if (!expected_rows(expected_lines, columns, actual.size(), expected, reason)) return {false, reason};
  if (expected.size() != actual.size()) {
    return {false, "expected " + std::to_string(expected.size()) + " row(s) but got " + std::to_string(actual.size())};
  }
  Rows sorted_actual = actual;
  sort_for(sort, sorted_actual);
  sort_for(sort, expected);
  for (size_t r = 0; r < expected.size(); ++r) {
    for (size_t c = 0; c < columns; ++c) {
      if (!values_match(types[c], sorted_actual[r][c], expected[r][c])) {
        return {false, "row " + std::to_string(r + 1) + ", column " + std::to_string(c + 1) + ": expected '" +
                           expected[r][c] + "' but got '" + sorted_actual[r][c] + "'" +
                           (sort == SortMode::none ? "" : " (after " + std::string(sort_mode_name(sort)) + ")")};
      }
    }
  }
  return {};
}

std::vector<std::string> rows_as_lines(const Rows& rows) {
  std::vector<std::string> lines;
  lines.reserve(rows.size());
  for (const auto& row : rows) lines.push_back(join(row));
  return lines;
}

}  // namespace pond::sqllogictest
