// `pond materialize`, `pond refresh` and `pond materializations`: DuckDB tables filled from a
// source query, with provenance (Workspace::materialize / refresh, SHOW MATERIALIZATIONS).
//
// A one-shot command ends its process, and an ephemeral materialization lives in an in-memory
// database of that process: it would be gone before anyone could read it. So `pond
// materialize` keeps tables in the workspace file and needs --persistent (and a workspace
// file); ephemeral ones are made with MATERIALIZE in `pond shell` or a script.

#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/commands/commands.hpp"
#include "cli/interrupt_watcher.hpp"
#include "cli/output/row_writer.hpp"
#include "engine/error.hpp"

namespace pond::cli {
namespace {

std::string milliseconds_since(std::chrono::steady_clock::time_point start) {
  std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f ms", elapsed.count());
  return buffer;
}

std::string rows_text(int64_t rows) { return std::to_string(rows) + (rows == 1 ? " row" : " rows"); }

}  // namespace

int run_materialize(const GlobalOptions& global, const MaterializeArgs& args) {
  if (args.name.empty()) throw Error(ErrorKind::usage, "materialize needs --as NAME, the table to create");
  if (args.query.find_first_not_of(" \t\r\n;") == std::string::npos) {
    throw Error(ErrorKind::usage, "materialize needs the query to run on the source (in the source's own SQL)");
  }
  if (!args.persistent) {
    throw Error(ErrorKind::usage,
                "an ephemeral materialization lives only as long as the process that made it, and this command "
                "ends at once; add --persistent to keep the table in the workspace file, or run MATERIALIZE ... in "
                "`pond shell` for one that lasts the session");
  }
  if (resolve_workspace_path(global) == ":memory:") {
    throw Error(ErrorKind::usage,
                "the workspace is in memory, so the table would be gone when this command ends; name a workspace "
                "file with -w FILE (or $POND_WORKSPACE)");
  }
  auto workspace = open_workspace(global);
  InterruptWatcher watcher([&workspace] { workspace->interrupt(); });
  const auto start = std::chrono::steady_clock::now();
  int64_t rows = workspace->materialize(args.name, args.source, args.query, args.persistent);
  std::cout << "materialized " << args.name << " from " << args.source << ": " << rows_text(rows) << " in "
            << milliseconds_since(start) << " (persistent)\n";
  return 0;
}

int run_refresh(const GlobalOptions& global, const RefreshArgs& args) {
  if (args.name.empty()) throw Error(ErrorKind::usage, "refresh needs the materialization's name");
  auto workspace = open_workspace(global);
  InterruptWatcher watcher([&workspace] { workspace->interrupt(); });
  const auto start = std::chrono::steady_clock::now();
  int64_t rows = workspace->refresh(args.name);
  std::cout << "refreshed " << args.name << ": " << rows_text(rows) << " in " << milliseconds_since(start) << '\n';
  return 0;
}

int run_materializations(const GlobalOptions& global, const MaterializationsArgs& args) {
  OutputOptions output = make_output_options(args.output);
  if (args.json) output.format = OutputFormat::json;
  auto workspace = open_workspace(global);
  engine::Result result = workspace->execute("SHOW MATERIALIZATIONS");
  print_result(result, output, std::cout);
  return 0;
}

}  // namespace pond::cli
