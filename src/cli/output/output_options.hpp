#pragma once
// How the CLI prints row sets: the format and, for the table format, its size limits.

#include <cstddef>
#include <string_view>

namespace pond::cli {

enum class OutputFormat { table, csv, json, ndjson, markdown };

// Parses "table", "csv", "json", "ndjson", "markdown"; throws pond::Error(usage) otherwise.
OutputFormat parse_output_format(std::string_view text);
std::string_view output_format_name(OutputFormat format);

struct OutputOptions {
  OutputFormat format = OutputFormat::table;
  size_t max_column_width = 40;  // table: wider cells are cut with "…"
  size_t max_rows = 0;           // table: 0 shows every row, else the first and last rows
  size_t total_width = 0;        // table: 0 is unlimited, else middle columns are left out
};

}  // namespace pond::cli
