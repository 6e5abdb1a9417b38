#pragma once
// JsonWriter — rows as JSON objects keyed by column name: either one array of objects
// (Style::array, one object per line) or newline-delimited objects (Style::lines). Integers,
// floats and decimals are JSON numbers (non-finite floats become null), booleans are
// true/false, NULL is null, everything else is a string in DuckDB's text form. Streams.

#include <ostream>
#include <string>
#include <vector>

#include "cli/output/row_writer.hpp"
#include "engine/value_json.hpp"

namespace pond::cli {

using engine::append_json_string;
using engine::append_json_value;

class JsonWriter : public RowWriter {
 public:
  enum class Style { array, lines };

  JsonWriter(std::ostream& out, Style style) : out_(out), style_(style) {}

  void begin(const std::vector<engine::Column>& columns) override;
  void row(const std::vector<engine::Value>& values) override;
  void end() override;

 private:
  std::ostream& out_;
  Style style_;
  std::vector<std::string> keys_;  // column names, already JSON-quoted
  std::string line_;
  size_t rows_ = 0;
};

}  // namespace pond::cli
