#pragma once
// TableWriter — a boxed table in the style of DuckDB's shell: centered header with the column
// types under it, numbers right-aligned, NULL shown as NULL, cells wider than
// max_column_width cut with "…". With max_rows set it keeps only the first and last rows
// (memory stays bounded) and says "N rows (M shown)"; with total_width set it leaves out
// middle columns that do not fit and says "C columns (D shown)". Without max_rows (every row
// shown) the widths need every row before the first line is drawn: past `spill_bytes` of cell
// text the rows held go to an anonymous temporary file (read back by end()), so memory stays
// bounded and the output is the same. Not thread-safe.

#include <cstdio>
#include <deque>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/output/row_writer.hpp"

namespace pond::cli {

class TableWriter : public RowWriter {
 public:
  static constexpr size_t kSpillBytes = size_t{8} << 20;
  TableWriter(std::ostream& out, const OutputOptions& options, bool show_types = true,
              size_t spill_bytes = kSpillBytes);

  void begin(const std::vector<engine::Column>& columns) override;
  void row(const std::vector<engine::Value>& values) override;
  void end() override;

 private:
  using Row = std::vector<std::string>;
  struct Layout;

  std::string cell_text(const engine::Value& value) const;
  Layout plan_layout() const;
  void print_line(const Layout& layout, const Row& cells, bool center) const;
  void spill_head();                         // moves head_ to the end of spill_
  void print_spilled(const Layout& layout);  // every spilled row, in order

  std::ostream& out_;
  OutputOptions options_;
  bool show_types_;
  Row names_;
  Row types_;
  std::vector<bool> right_aligned_;
  std::vector<Row> head_;
  std::deque<Row> tail_;
  size_t total_rows_ = 0;
  size_t spill_bytes_;
  size_t held_bytes_ = 0;  // cell text in head_ while nothing is left out
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> spill_{nullptr, &std::fclose};
  size_t spilled_rows_ = 0;
  std::vector<size_t> spilled_widths_;  // the widest spilled cell of each column
};

}  // namespace pond::cli
