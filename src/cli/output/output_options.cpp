#include "cli/output/output_options.hpp"

#include <string>

#include "engine/error.hpp"

namespace pond::cli {

OutputFormat parse_output_format(std::string_view text) {
  if (text == "table") return OutputFormat::table;
  if (text == "csv") return OutputFormat::csv;
  if (text == "json") return OutputFormat::json;
  if (text == "ndjson") return OutputFormat::ndjson;
  if (text == "markdown") return OutputFormat::markdown;
  throw Error(ErrorKind::usage,
              "unknown output format '" + std::string(text) + "' (use table, csv, json, ndjson or markdown)");
}

std::string_view output_format_name(OutputFormat format) {
  switch (format) {
    case OutputFormat::table:
      return "table";
    case OutputFormat::csv:
      return "csv";
    case OutputFormat::json:
      return "json";
    case OutputFormat::ndjson:
      return "ndjson";
    case OutputFormat::markdown:
      return "markdown";
  }
  return "table";
}

}  // namespace pond::cli
