#include <iostream>
#include <mutex>

#include "cli/commands/commands.hpp"
#include "cli/interrupt_watcher.hpp"
#include "cli/statement_runner.hpp"
#include "cli/terminal.hpp"
#include "engine/error.hpp"

namespace pond::cli {

OutputOptions make_output_options(const OutputArgs& args) {
  OutputOptions options;
  options.format = parse_output_format(args.format);
  if (args.max_width < 3) throw Error(ErrorKind::usage, "--max-width must be at least 3");
  options.max_column_width = static_cast<size_t>(args.max_width);
  if (args.max_rows < -1) throw Error(ErrorKind::usage, "--max-rows must be 0 (all rows) or more");
  options.max_rows = args.max_rows >= 0 ? static_cast<size_t>(args.max_rows) : (stdout_is_terminal() ? 40 : 0);
  options.total_width = terminal_width();
  return options;
}

namespace {

// Where Ctrl-C goes in `pond query`: remembered until a runner exists, then to that runner.
class CancelTarget {
 public:
  void interrupt() {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
    if (runner_ != nullptr) runner_->cancel();
  }
  void set(StatementRunner* runner) {
    std::lock_guard lock(mutex_);
    runner_ = runner;
    if (runner_ != nullptr && interrupted_) runner_->cancel();
  }

 private:
  std::mutex mutex_;
  bool interrupted_ = false;
  StatementRunner* runner_ = nullptr;
};

}  // namespace

int run_query(const GlobalOptions& global, const QueryArgs& args) {
  OutputOptions output = make_output_options(args.output);
  // Ctrl-C is caught from the start, so that one pressed while the workspace opens still
  // cancels the query instead of killing the process midway.
  CancelTarget target;
  InterruptWatcher watcher([&target] { target.interrupt(); });
  auto workspace = open_workspace(global);
  WorkspaceBackend backend(*workspace);
  StatementRunner runner(backend, std::cout);
  runner.output() = output;
  target.set(&runner);
  try {
    runner.run(args.sql);
  } catch (...) {
    target.set(nullptr);
    throw;
  }
  target.set(nullptr);
  return 0;
}

}  // namespace pond::cli
