#pragma once
// The `pond` subcommands: the arguments each takes (filled by the command-line parser in
// app.cpp) and the function that runs it. Each run function returns the exit code on
// success paths it decides itself and throws pond::Error for failures.

#include <cstdint>
#include <string>
#include <vector>

#include "cli/global_options.hpp"
#include "cli/output/output_options.hpp"

namespace pond::cli {

// Output flags shared by `query` and `shell`.
struct OutputArgs {
  std::string format = "table";
  int64_t max_rows = -1;  // -1: 40 when stdout is a terminal, else every row
  int64_t max_width = 40;
};
OutputOptions make_output_options(const OutputArgs& args);

struct QueryArgs {
  std::string sql;
  OutputArgs output;
  std::string server;      // a `pond serve` URL: run there instead of opening the workspace
  std::string token_file;  // with `server`: the bearer token's file (else $POND_TOKEN)
};
// Runs `args.sql` on a running server (pond query --server URL); the bearer token, if the
// server needs one, comes from --token-file, else $POND_TOKEN.
int run_query_on_server(const QueryArgs& args);
int run_query(const GlobalOptions& global, const QueryArgs& args);

struct AttachArgs {
  std::string location;
  std::string alias;
  std::string type;  // empty: a DuckDB file, or data files when the name says so
  bool read_only = false;
};
int run_attach(const GlobalOptions& global, const AttachArgs& args);

struct DetachArgs {
  std::string alias;
  bool if_exists = false;
};
int run_detach(const GlobalOptions& global, const DetachArgs& args);

struct SourcesArgs {
  bool json = false;
};
int run_sources(const GlobalOptions& global, const SourcesArgs& args);

struct ExportArgs {
  std::string sql;
  std::string to;
  std::string format;  // empty: from the extension of `to`
};
int run_export(const GlobalOptions& global, const ExportArgs& args);

struct ExplainArgs {
  std::string sql;
  bool analyze = false;
};
int run_explain(const GlobalOptions& global, const ExplainArgs& args);

struct DemoDataArgs {
  uint64_t seed = 42;
  int64_t rows = 40000;
  std::string out = ".pond/demo";
};
int run_demo_data(const GlobalOptions& global, const DemoDataArgs& args);

struct MaterializeArgs {
  std::string source;
  std::string query;  // in the source's own SQL
  std::string name;
  bool persistent = false;
};
int run_materialize(const GlobalOptions& global, const MaterializeArgs& args);

struct RefreshArgs {
  std::string name;
};
int run_refresh(const GlobalOptions& global, const RefreshArgs& args);

struct MaterializationsArgs {
  bool json = false;
  OutputArgs output;
};
int run_materializations(const GlobalOptions& global, const MaterializationsArgs& args);

struct ShellArgs {
  OutputArgs output;
  std::string server;      // a `pond serve` URL: run the statements there
  std::string token_file;  // with `server`: the bearer token's file (else $POND_TOKEN)
};
int run_shell(const GlobalOptions& global, const ShellArgs& args);

struct ServeArgs {
  std::string listen = "127.0.0.1:7878";
  std::string token_file;
  std::string token_env;
  std::vector<std::string> roots;
  size_t workers = 64;
  size_t max_queries = 32;
  size_t max_held_results = 64;
  double query_timeout = 300;  // seconds
  double result_ttl = 60;      // seconds
  double grace_period = 10;    // seconds
  size_t max_request_bytes = 1 << 20;
  size_t max_result_bytes = size_t(1) << 30;
  size_t page_rows = 65536;
  bool log_requests = false;
  size_t threads = 0;  // DuckDB threads one query may use; 0: half the cores, at least 1
};
int run_serve(const GlobalOptions& global, const ServeArgs& args);

// `pond run catalog.yaml`: apply a declarative catalog, then --query, --interactive or a summary.
struct RunArgs {
  std::string catalog;
  std::string query;
  bool interactive = false;
  bool dry_run = false;
  bool force_rebuild = false;
  bool keep_going = false;
  bool verbose = false;  // list unchanged items in the summary too
  OutputArgs output;
};
int run_catalog(const GlobalOptions& global, const RunArgs& args);

}  // namespace pond::cli
