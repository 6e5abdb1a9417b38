#pragma once
// TableWriter — a boxed table in the style of DuckDB's shell: centered header with the column
// types under it, numbers right-aligned, NULL shown as NULL, cells wider than
// max_column_width cut with "…". With max_rows set it keeps only the first and last rows
// (memory stays bounded) and says "N rows (M shown)"; with total_width set it leaves out
// middle columns that do not fit and says "C columns (D shown)".

#include <deque>
#include <ostream>
#include <string>
#include <vector>

#include "cli/output/row_writer.hpp"

namespace pond::cli {

class TableWriter : public RowWriter {
 public:
  TableWriter(std::ostream& out, const OutputOptions& options, bool show_types = true);

  void begin(const std::vector<engine::Column>& columns) override;
  void row(const std::vector<engine::Value>& values) override;
  void end() override;

 private:
  using Row = std::vector<std::string>;
  struct Layout;

  std::string cell_text(const engine::Value& value) const;
  Layout plan_layout() const;
  void print_line(const Layout& layout, const Row& cells, bool center) const;

  std::ostream& out_;
  OutputOptions options_;
  bool show_types_;
  Row names_;
  Row types_;
  std::vector<bool> right_aligned_;
  std::vector<Row> head_;
  std::deque<Row> tail_;
  size_t total_rows_ = 0;
};

}  // namespace pond::cli
