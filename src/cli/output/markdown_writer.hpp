#pragma once
// MarkdownWriter — a GitHub pipe table: header, alignment row (numbers right-aligned), one
// line per row. '|' and '\' are escaped, line breaks become <br>, NULL is shown as NULL.
// Streams; keeps no rows.

#include <ostream>
#include <string>
#include <string_view>

#include "cli/output/row_writer.hpp"

namespace pond::cli {

class MarkdownWriter : public RowWriter {
 public:
  explicit MarkdownWriter(std::ostream& out) : out_(out) {}

  void begin(const std::vector<engine::Column>& columns) override;
  void row(const std::vector<engine::Value>& values) override;
  void end() override;

 private:
  void cell(std::string_view text);

  std::ostream& out_;
};

}  // namespace pond::cli
