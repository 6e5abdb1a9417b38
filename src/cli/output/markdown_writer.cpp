#include "cli/output/markdown_writer.hpp"

namespace pond::cli {

void MarkdownWriter::cell(std::string_view text) {
  out_ << ' ';
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '|' || c == '\\') {
      out_ << '\\' << c;
    } else if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out_ << "<br>";
    } else if (c == '\n') {
      out_ << "<br>";
    } else {
      out_ << c;
    }
  }
  out_ << " |";
}

void MarkdownWriter::begin(const std::vector<engine::Column>& columns) {
  out_ << '|';
  for (const auto& column : columns) cell(column.name);
  out_ << "\n|";
  for (const auto& column : columns) out_ << (engine::is_numeric(column.type) ? " ---: |" : " --- |");
  out_ << '\n';
}

void MarkdownWriter::row(const std::vector<engine::Value>& values) {
  out_ << '|';
  for (const auto& value : values) cell(value.is_null() ? "NULL" : value.to_string());
  out_ << '\n';
}

void MarkdownWriter::end() { out_.flush(); }

}  // namespace pond::cli
