#pragma once
// RowWriter — receives one row set (columns, then rows, then the end) and writes it in one
// output format. Writers stream where the format allows; the table writer keeps at most
// max_rows rows. One writer per row set; not thread-safe.

#include <memory>
#include <ostream>
#include <vector>

#include "cli/output/output_options.hpp"
#include "engine/result.hpp"
#include "engine/value.hpp"

namespace pond::cli {

class RowWriter {
 public:
  virtual ~RowWriter() = default;
  virtual void begin(const std::vector<engine::Column>& columns) = 0;
  virtual void row(const std::vector<engine::Value>& values) = 0;
  virtual void end() = 0;
};

std::unique_ptr<RowWriter> make_row_writer(const OutputOptions& options, std::ostream& out);

// Streams every row of `result` through `writer` (begin, rows, end); returns the row count.
size_t write_result(engine::Result& result, RowWriter& writer);
// Streams every row of `result` through a writer made from `options`; returns the row count.
size_t print_result(engine::Result& result, const OutputOptions& options, std::ostream& out);

}  // namespace pond::cli
