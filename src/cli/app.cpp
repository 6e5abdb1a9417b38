#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>

#include "cli/commands/commands.hpp"
#include "cli/exit_codes.hpp"
#include "engine/error.hpp"

#ifndef POND_VERSION
#define POND_VERSION "unknown"
#endif

namespace pond::cli {
namespace {

using Action = std::function<int()>;

CLI::App* command(CLI::App& app, const char* name, const char* description, Action& action, Action run) {
  CLI::App* sub = app.add_subcommand(name, description);
  sub->fallthrough();  // global options may come after the command name too
  sub->callback([&action, run = std::move(run)] { action = run; });
  return sub;
}

void add_output_options(CLI::App* sub, OutputArgs& output) {
  sub->add_option("-f,--format", output.format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "json", "ndjson", "markdown"}))
      ->capture_default_str();
  sub->add_option("--max-rows", output.max_rows,
                  "Table format: rows shown (first and last halves); 0 = all. "
                  "Default: 40 on a terminal, all otherwise");
  sub->add_option("--max-width", output.max_width, "Table format: widest column, in characters")->capture_default_str();
}

struct Arguments {
  GlobalOptions global;
  QueryArgs query;
  AttachArgs attach;
  DetachArgs detach;
  SourcesArgs sources;
  ExportArgs export_args;
  ExplainArgs explain;
  DemoDataArgs demo;
  MaterializeArgs materialize;
  RefreshArgs refresh;
  MaterializationsArgs materializations;
  ShellArgs shell;
  ServeArgs serve;
  RunArgs run;
  // `pond --server URL [--token-file F] [query|shell]`: the global spelling of those options.
  std::string server;
  std::string token_file;
};

// Hands the global --server / --token-file to the command that can use them (`query`, `shell`,
// or no command: the shell); any other command with them is a usage error.
void apply_global_server(CLI::App& app, Arguments& a) {
  if (a.server.empty() && a.token_file.empty()) return;
  const std::vector<CLI::App*> chosen = app.get_subcommands();
  const std::string name = chosen.empty() ? "shell" : chosen.front()->get_name();
  std::string* server = name == "query" ? &a.query.server : name == "shell" ? &a.shell.server : nullptr;
  std::string* token_file = name == "query" ? &a.query.token_file : name == "shell" ? &a.shell.token_file : nullptr;
  if (server == nullptr)
    throw Error(
        ErrorKind::usage,
        "--server and --token-file work with `pond query`, `pond shell` or no command, not `pond " + name + "`");
  if (server->empty()) *server = a.server;
  if (token_file->empty()) *token_file = a.token_file;
}

void define_materialize_commands(CLI::App& app, Arguments& a, Action& action) {
  const GlobalOptions& g = a.global;
  auto* materialize =
      command(app, "materialize", "Copy a source query's result into a workspace table, with provenance", action,
              [&] { return run_materialize(g, a.materialize); });
  materialize->add_option("SOURCE", a.materialize.source, "The source's alias")->required();
  materialize->add_option("SQL", a.materialize.query, "The query, in the source's own SQL")->required();
  materialize->add_option("--as", a.materialize.name, "Name of the table to create")->required();
  materialize->add_flag("--persistent", a.materialize.persistent,
                        "Keep the table in the workspace file (required: an ephemeral one would end with this "
                        "process; use MATERIALIZE in the shell for those)");

  auto* refresh = command(app, "refresh", "Re-run a materialization and swap in the new table atomically", action,
                          [&] { return run_refresh(g, a.refresh); });
  refresh->add_option("NAME", a.refresh.name, "The materialization's name")->required();

  auto* list = command(app, "materializations", "List materializations with their provenance (SHOW MATERIALIZATIONS)",
                       action, [&] { return run_materializations(g, a.materializations); });
  list->add_flag("--json", a.materializations.json, "Print JSON (same as -f json)");
  add_output_options(list, a.materializations.output);
}

void define_serve_command(CLI::App& app, ServeArgs& s, const GlobalOptions& g, Action& action) {
  auto* serve = command(app, "serve", "Share the workspace over HTTP (the bridge API) until SIGTERM/SIGINT", action,
                        [&] { return run_serve(g, s); });
  serve->add_option("--listen", s.listen, "ADDRESS:PORT to listen on (port 0: any free one)")->capture_default_str();
  serve->add_option("--token-file", s.token_file, "File holding the bearer token clients must send");
  serve->add_option("--token-env", s.token_env, "Environment variable holding the bearer token");
  serve
      ->add_option("--root", s.roots,
                   "Folder whose files clients may use: file sources and SQL (repeatable; default: none)")
      ->allow_extra_args(false);
  serve->add_option("--workers", s.workers, "HTTP worker threads")->capture_default_str()->check(CLI::PositiveNumber);
  serve->add_option("--max-queries", s.max_queries, "Queries running at once; more get 503")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve->add_option("--max-held-results", s.max_held_results, "Results held for fetchArrow at once")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve->add_option("--query-timeout", s.query_timeout, "Seconds a query may run")->capture_default_str();
  serve->add_option("--result-ttl", s.result_ttl, "Seconds an unfetched held result is kept")->capture_default_str();
  serve->add_option("--grace-period", s.grace_period, "Seconds running queries get to finish at shutdown")
      ->capture_default_str();
  serve->add_option("--max-request-bytes", s.max_request_bytes, "Largest request body")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve->add_option("--max-result-bytes", s.max_result_bytes, "Largest response body (one result or page)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve->add_option("--page-rows", s.page_rows, "fetchArrow page size when the request gives none")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve->add_flag("--log-requests", s.log_requests, "Log one line per request (never bodies) to stderr");
  serve
      ->add_option("--threads", s.threads,
                   "DuckDB threads one query may use (default: half the cores, at least 1; requests already run "
                   "side by side)")
      ->check(CLI::PositiveNumber);
}

void define_commands(CLI::App& app, Arguments& a, Action& action) {
  const GlobalOptions& g = a.global;

  auto* query = command(app, "query", "Run SQL (one or more statements) and print each result", action,
                        [&] { return a.query.server.empty() ? run_query(g, a.query) : run_query_on_server(a.query); });
  query->add_option("SQL", a.query.sql, "The SQL text")->required();
  query->add_option("--server", a.query.server,
                    "Run on a `pond serve` server (http://HOST:PORT) instead of opening the workspace; "
                    "the token, when needed, comes from --token-file or $POND_TOKEN");
  query->add_option("--token-file", a.query.token_file, "With --server: file holding the server's bearer token");
  add_output_options(query, a.query.output);

  auto* attach = command(app, "attach", "Register a DuckDB file (or CSV/Parquet/JSON files) as a source", action,
                         [&] { return run_attach(g, a.attach); });
  attach->add_option("PATH", a.attach.location, "File, glob or connection string")->required();
  attach->add_option("--as", a.attach.alias, "Alias to query it by (default: from the file name)");
  attach->add_option("--type", a.attach.type, "Source kind: duckdb, files, sqlite, postgres, mysql");
  attach->add_flag("--read-only", a.attach.read_only, "Attach read-only");

  auto* detach =
      command(app, "detach", "Remove a source from the workspace", action, [&] { return run_detach(g, a.detach); });
  detach->add_option("ALIAS", a.detach.alias, "The source's alias")->required();
  detach->add_flag("--if-exists", a.detach.if_exists, "Succeed when there is no such source");

  auto* sources = command(app, "sources", "List registered sources, their status and tables", action,
                          [&] { return run_sources(g, a.sources); });
  sources->add_flag("--json", a.sources.json, "Print JSON instead of a table");

  auto* exp = command(app, "export", "Write a query's result to a Parquet, CSV or JSON file", action,
                      [&] { return run_export(g, a.export_args); });
  exp->add_option("SQL", a.export_args.sql, "The query")->required();
  exp->add_option("--to", a.export_args.to, "Target file")->required();
  exp->add_option("--format", a.export_args.format, "parquet, csv or json (default: from the file name)")
      ->check(CLI::IsMember({"parquet", "csv", "json"}));

  auto* explain =
      command(app, "explain", "Print DuckDB's plan for a query", action, [&] { return run_explain(g, a.explain); });
  explain->add_option("SQL", a.explain.sql, "The query")->required();
  explain->add_flag("--analyze", a.explain.analyze, "Run the query and show the measured plan");

  auto* demo = command(app, "demo-data", "Write deterministic demo finance data (DuckDB, CSV, Parquet)", action,
                       [&] { return run_demo_data(g, a.demo); });
  demo->add_option("--seed", a.demo.seed, "Random seed; the same seed gives the same data")->capture_default_str();
  demo->add_option("--rows", a.demo.rows, "Approximate number of rows")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  demo->add_option("--out", a.demo.out, "Output folder")->capture_default_str();

  auto* shell = command(app, "shell", "Interactive SQL shell (runs stdin as a script when it is not a terminal)",
                        action, [&] { return run_shell(g, a.shell); });
  add_output_options(shell, a.shell.output);
  shell->add_option("--server", a.shell.server,
                    "Run the statements on a `pond serve` server (http://HOST:PORT) instead of opening the "
                    "workspace; the token, when needed, comes from --token-file or $POND_TOKEN");
  shell->add_option("--token-file", a.shell.token_file, "With --server: file holding the server's bearer token");

  define_serve_command(app, a.serve, g, action);

  auto* run = command(app, "run", "Bring a workspace to match a catalog file, then query, open the shell or summarize",
                      action, [&] { return run_catalog(g, a.run); });
  run->add_option("CATALOG", a.run.catalog, "The catalog file (YAML)")->required();
  run->add_option("--query", a.run.query, "Run this SQL after applying the catalog");
  run->add_flag("--interactive", a.run.interactive, "Open the shell after applying the catalog");
  run->add_flag("--dry-run", a.run.dry_run, "Print the plan (create / change / drop / keep); change nothing");
  run->add_flag("--force-rebuild", a.run.force_rebuild, "Recreate everything the catalog owns");
  run->add_flag("--keep-going", a.run.keep_going, "Skip (and report) sources that stay unreachable");
  run->add_flag("-v,--verbose", a.run.verbose, "List unchanged items in the summary too");
  add_output_options(run, a.run.output);
}

}  // namespace

int run_app(int argc, char** argv) {
  CLI::App app("Pond: a data workspace on DuckDB. Without a command, runs the shell (or stdin as a script).", "pond");
  app.set_version_flag("--version", std::string("pond ") + POND_VERSION);
  app.require_subcommand(0, 1);
  Arguments args;
  app.add_option("-w,--workspace", args.global.workspace,
                 "Workspace file (default: $POND_WORKSPACE, else an in-memory workspace)");
  app.add_option("--setting", args.global.settings, "DuckDB setting applied at open (repeatable)")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false);
  app.add_flag("--read-only", args.global.read_only, "Open the workspace read-only");
  app.add_option("--server", args.server,
                 "Run the shell (or `query`) on a `pond serve` server (http://HOST:PORT) instead of the workspace");
  app.add_option("--token-file", args.token_file, "With --server: file holding the server's bearer token");

  Action action = [&args] { return run_shell(args.global, args.shell); };
  define_commands(app, args, action);
  define_materialize_commands(app, args, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);
    const auto* extras = dynamic_cast<const CLI::ExtrasError*>(&error);
    const std::vector<std::string> leftover = app.remaining();
    if (extras != nullptr && app.get_subcommands().empty() && !leftover.empty() && !leftover.front().starts_with('-')) {
      print_error_line("unknown command '" + leftover.front() + "'");
    } else {
      print_error_line(error.what());
    }
    std::cerr << "Run 'pond --help' for usage.\n";
    return kExitUsage;
  }
  try {
    apply_global_server(app, args);
    return action();
  } catch (const std::exception& error) {
    return report_error(error);
  }
}

}  // namespace pond::cli
