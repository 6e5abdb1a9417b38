#include "cli/statement_runner.hpp"

#include <chrono>
#include <cstdio>
#include <memory>

#include "cli/output/row_writer.hpp"
#include "engine/error.hpp"
#include "workspace/statement_splitter.hpp"

namespace pond::cli {
namespace {

// Statements are located by searching the script for their text, in order.
size_t line_of(std::string_view script, std::string_view statement, size_t& search_from, size_t first_line) {
  size_t at = script.find(statement, search_from);
  if (at == std::string_view::npos) return first_line;
  search_from = at + statement.size();
  size_t line = first_line;
  for (size_t i = 0; i < at; ++i) line += script[i] == '\n' ? 1 : 0;
  return line;
}

std::string one_line_excerpt(std::string_view statement) {
  std::string out;
  for (char c : statement) {
    if (out.size() >= 60) return out + "...";
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  return out;
}

}  // namespace

void StatementRunner::cancel() {
  cancel_requested_ = true;
  backend_.interrupt();
}

void StatementRunner::run(std::string_view script, bool always_name_statement, size_t first_line) {
  const std::vector<std::string> statements = workspace::split_statements(script);
  size_t search_from = 0;
  for (size_t i = 0; i < statements.size(); ++i) {
    const size_t line = line_of(script, statements[i], search_from, first_line);
    const size_t number = ++statements_started_;
    try {
      if (cancel_requested_) throw Error(ErrorKind::cancelled, "cancelled by Ctrl-C");
      run_statement(statements[i]);
    } catch (const Error& error) {
      if (!always_name_statement && statements.size() == 1) throw;
      throw Error(error.kind(), "statement " + std::to_string(number) + " (line " + std::to_string(line) +
                                    ") failed: " + error.what() + "\n  statement: " + one_line_excerpt(statements[i]));
    }
  }
}

void StatementRunner::run_statement(const std::string& statement) {
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<RowWriter> writer;
  backend_.execute(statement, {}, [&]() -> RowWriter& {
    if (results_printed_++ > 0 && output_.format != OutputFormat::ndjson) out_ << '\n';
    writer = make_row_writer(output_, out_);
    return *writer;
  });
  if (timer_) {
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "Run Time (s): real %.3f\n", elapsed.count());
    out_ << buffer << std::flush;
  }
}

}  // namespace pond::cli
