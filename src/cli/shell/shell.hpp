#pragma once
// Shell — the SQL shell over one backend (the workspace, or a `pond serve` server):
// interactive (libedit, history, Ctrl-C cancels the running statement or clears the line) or
// a script read from a stream (stops at the first error). Statements end with ';' and may
// span lines; lines starting with '.' between statements are dot commands (.help lists them).
// Does not own the backend. One thread.

#include <istream>
#include <string>
#include <string_view>

#include "cli/output/output_options.hpp"
#include "cli/statement_runner.hpp"

namespace pond::cli {

class Shell {
 public:
  Shell(SqlBackend& backend, const OutputOptions& output);

  // Reads statements from the terminal until .quit or end of input; returns the exit code.
  int run_interactive();
  // Runs `in` as a script; returns 0, or the exit code of the first error after reporting it.
  int run_script(std::istream& in);

 private:
  enum class Next { keep_going, quit };

  // Runs one dot command line; throws pond::Error for a bad one.
  Next run_dot_command(std::string_view line);
  void print_tables();
  void print_schema(std::string_view name);
  void print_help();

  SqlBackend& backend_;
  StatementRunner runner_;
};

}  // namespace pond::cli
