// `pond run catalog.yaml`: bring the catalog's workspace to match the catalog, then run a
// query, open the shell, or print what was done.

#include <atomic>
#include <iostream>

#include "catalog/open_workspace.hpp"
#include "cli/commands/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/interrupt_watcher.hpp"
#include "cli/shell/shell.hpp"
#include "cli/statement_runner.hpp"
#include "cli/terminal.hpp"
#include "connectors/mysql/mysql_connector.hpp"
#include "connectors/postgres/postgres_connector.hpp"
#include "connectors/sqlite/sqlite_connector.hpp"
#include "engine/error.hpp"

namespace pond::cli {

int run_catalog(const GlobalOptions& global, const RunArgs& args) {
  if (!args.query.empty() && args.interactive) {
    throw Error(ErrorKind::usage, "give --query or --interactive, not both");
  }
  if (args.dry_run && (!args.query.empty() || args.interactive)) {
    throw Error(ErrorKind::usage,
                "--dry-run only prints the plan; it cannot be combined with --query or --interactive");
  }
  if (!global.settings.empty()) {
    throw Error(ErrorKind::usage,
                "--setting does not apply to pond run; put DuckDB settings under 'settings:' in the catalog");
  }
  const OutputOptions output = make_output_options(args.output);
  catalog::OpenOptions options;
  options.workspace = global.workspace;
  options.read_only = global.read_only;
  options.dry_run = args.dry_run;
  options.force_rebuild = args.force_rebuild;
  options.keep_going = args.keep_going;
  options.connectors = {std::make_shared<connectors::sqlite::SqliteConnector>(),
                        std::make_shared<connectors::postgres::PostgresConnector>(),
                        std::make_shared<connectors::mysql::MysqlConnector>()};
  options.log = [](const std::string& note) { std::cerr << "pond: " << note << "\n"; };

  catalog::OpenedWorkspace opened = catalog::open_workspace(args.catalog, options);
  const std::string& target = opened.catalog.workspace;
  if (args.dry_run) {
    std::cout << "plan for workspace " << target << " (dry run: nothing was changed)\n"
              << catalog::format_plan(opened.plan, true);
    return kExitOk;
  }
  // With a query or a shell the summary goes to stderr, so that stdout holds only results.
  bool quiet = !args.query.empty() || args.interactive;
  std::ostream& summary = quiet ? std::cerr : std::cout;
  if (!quiet || opened.plan.has_changes()) {
    summary << "workspace " << target << ":\n" << catalog::format_plan(opened.plan, args.verbose);
  }
  for (const std::string& skipped : opened.report.skipped) summary << "skipped: " << skipped << "\n";

  WorkspaceBackend backend(*opened.workspace);
  if (!args.query.empty()) {
    StatementRunner runner(backend, std::cout);
    runner.output() = output;
    InterruptWatcher watcher([&runner] { runner.cancel(); });
    runner.run(args.query);
    return kExitOk;
  }
  if (args.interactive) {
    Shell shell(backend, output);
    return stdin_is_terminal() ? shell.run_interactive() : shell.run_script(std::cin);
  }
  return kExitOk;
}

}  // namespace pond::cli
