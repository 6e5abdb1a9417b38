#include "cli/output/row_writer.hpp"

#include "cli/output/csv_writer.hpp"
#include "cli/output/json_writer.hpp"
#include "cli/output/markdown_writer.hpp"
#include "cli/output/table_writer.hpp"

namespace pond::cli {

std::unique_ptr<RowWriter> make_row_writer(const OutputOptions& options, std::ostream& out) {
  switch (options.format) {
    case OutputFormat::csv:
      return std::make_unique<CsvWriter>(out);
    case OutputFormat::json:
      return std::make_unique<JsonWriter>(out, JsonWriter::Style::array);
    case OutputFormat::ndjson:
      return std::make_unique<JsonWriter>(out, JsonWriter::Style::lines);
    case OutputFormat::markdown:
      return std::make_unique<MarkdownWriter>(out);
    case OutputFormat::table:
      break;
  }
  return std::make_unique<TableWriter>(out, options);
}

size_t write_result(engine::Result& result, RowWriter& writer) {
  writer.begin(result.columns());
  size_t rows = 0;
  std::vector<engine::Value> values(result.columns().size());
  while (auto chunk = result.next_chunk()) {
    for (size_t r = 0; r < chunk->row_count(); ++r) {
      for (size_t c = 0; c < values.size(); ++c) values[c] = chunk->value(c, r);
      writer.row(values);
      ++rows;
    }
  }
  writer.end();
  return rows;
}

size_t print_result(engine::Result& result, const OutputOptions& options, std::ostream& out) {
  auto writer = make_row_writer(options, out);
  return write_result(result, *writer);
}

}  // namespace pond::cli
