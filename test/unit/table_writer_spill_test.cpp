// TableWriter with every row shown: rows past its memory budget go to a temporary file, and
// the table it draws is the same as when it holds them all.

#include <gtest/gtest.h>

#include <sstream>

#include "cli/output/table_writer.hpp"

namespace pond::cli {
namespace {

using engine::TypeId;
using engine::Value;

std::string draw(size_t rows, size_t spill_bytes, size_t max_rows = 0) {
  OutputOptions options;
  options.max_rows = max_rows;
  std::ostringstream out;
  TableWriter writer(out, options, true, spill_bytes);
  writer.begin({engine::Column{"id", TypeId::bigint, "BIGINT"}, engine::Column{"text", TypeId::varchar, "VARCHAR"},
                engine::Column{"maybe", TypeId::varchar, "VARCHAR"}});
  for (size_t i = 0; i < rows; ++i) {
    // The widest cell of each column comes early, in a row that is spilled.
    std::string text = i == 3 ? "a much wider cell, ünïcode too" : "r" + std::to_string(i);
    writer.row({Value(TypeId::bigint, static_cast<int64_t>(i)), Value(TypeId::varchar, text),
                i % 3 == 0 ? Value::null() : Value(TypeId::varchar, std::string(i % 7, 'x'))});
  }
  writer.end();
  return out.str();
}

TEST(TableWriterSpill, RowsSpilledToATemporaryFilePrintTheSameTable) {
  const std::string held = draw(5000, size_t{1} << 40);
  for (size_t budget : {size_t{1}, size_t{100}, size_t{4096}, size_t{100000}}) {
    EXPECT_EQ(draw(5000, budget), held) << "budget " << budget;
  }
  EXPECT_NE(held.find("│ a much wider cell, ünïcode too │"), std::string::npos);
  EXPECT_NE(held.find("4999 │ r4999 "), std::string::npos);
}

TEST(TableWriterSpill, ShortAndEmptyResultsAndLimitedRowsAreUnchanged) {
  EXPECT_EQ(draw(0, 1), draw(0, size_t{1} << 40));
  EXPECT_EQ(draw(1, 1), draw(1, size_t{1} << 40));
  EXPECT_EQ(draw(5000, 1, 40), draw(5000, size_t{1} << 40, 40));  // max_rows: nothing to spill
}

}  // namespace
}  // namespace pond::cli
