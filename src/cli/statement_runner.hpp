#pragma once
// StatementRunner — runs SQL text on a backend (the workspace, or a `pond serve` server) one
// statement at a time and prints every row set in the current output format (streaming:
// results are read chunk by chunk). Used by `pond query`, the shell and piped scripts.
// Does not own the backend. Belongs to one thread, except
// cancel(), which the interrupt watcher calls from its own thread.

#include <atomic>
#include <ostream>
#include <string>
#include <string_view>

#include "cli/output/output_options.hpp"
#include "cli/sql_backend.hpp"

namespace pond::cli {

class StatementRunner {
 public:
  StatementRunner(SqlBackend& backend, std::ostream& out) : backend_(backend), out_(out) {}

  SqlBackend& backend() { return backend_; }
  OutputOptions& output() { return output_; }
  void set_timer(bool on) { timer_ = on; }
  bool timer() const { return timer_; }
  // Row sets printed by one run() are separated by a blank line (except ndjson); call this to
  // make the next run() start without one.
  void start_new_output() { results_printed_ = 0; }

  // Runs every statement of `script` in order. On the first failure throws pond::Error with
  // the original kind; when `always_name_statement` or the script has several statements,
  // the message says which one failed ("statement N (line L) failed: ..."). Statements are
  // numbered across all run() calls; `first_line` is the line of the script's start in its
  // file, for that message.
  void run(std::string_view script, bool always_name_statement = false, size_t first_line = 1);

  // Cancels the running statement (it fails with ErrorKind::cancelled) and every later one
  // until reset_cancel(); called before run(), run() fails at once. Thread-safe.
  void cancel();
  void reset_cancel() { cancel_requested_ = false; }

 private:
  void run_statement(const std::string& statement);

  SqlBackend& backend_;
  std::ostream& out_;
  OutputOptions output_;
  bool timer_ = false;
  size_t results_printed_ = 0;
  size_t statements_started_ = 0;
  std::atomic<bool> cancel_requested_{false};
};

}  // namespace pond::cli
