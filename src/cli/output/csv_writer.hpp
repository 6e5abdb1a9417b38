#pragma once
// CsvWriter — RFC 4180 CSV: a header row, fields quoted when they hold a comma, quote, CR or LF
// (quotes doubled), NULL as an empty field and the empty string as "", rows ended by "\n". Streams; keeps no rows.

#include <ostream>
#include <string_view>

#include "cli/output/row_writer.hpp"

namespace pond::cli {

class CsvWriter : public RowWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {}

  void begin(const std::vector<engine::Column>& columns) override;
  void row(const std::vector<engine::Value>& values) override;
  void end() override;

 private:
  void field(std::string_view text);

  std::ostream& out_;
};

}  // namespace pond::cli
