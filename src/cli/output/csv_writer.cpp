#include "cli/output/csv_writer.hpp"

namespace pond::cli {

void CsvWriter::field(std::string_view text) {
  // An empty string is "" so that it reads back differently from NULL (an empty field).
  if (!text.empty() && text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out_ << text;
    return;
  }
  out_ << '"';
  for (char c : text) {
    if (c == '"') out_ << '"';
    out_ << c;
  }
  out_ << '"';
}

void CsvWriter::begin(const std::vector<engine::Column>& columns) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out_ << ',';
    field(columns[i].name);
  }
  out_ << '\n';
}

void CsvWriter::row(const std::vector<engine::Value>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out_ << ',';
    if (!values[i].is_null()) field(values[i].to_string());
  }
  out_ << '\n';
}

void CsvWriter::end() { out_.flush(); }

}  // namespace pond::cli
