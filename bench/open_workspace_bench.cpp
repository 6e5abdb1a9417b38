// Opening a workspace: construct pond::workspace::Workspace (which restores every registered
// source), run a first query that touches one source, close it. Measured for 0, 10, 100 and
// 1000 registered sources (0: the fixed cost of a workspace, the first query reads range()),
// next to two peers on the same workspace file in the same run:
//   BM_OpenBare          DuckDB open + connect + SELECT 1, no restore (the floor);
//   BM_OpenBareAttachOne DuckDB open + ATTACH only the queried source + the same query (what a
//                        lazy restore would cost).
// Setup (untimed, once per process): N small DuckDB files (512 KiB each), each with a 100-row
// table, copied from one template and registered read-only with Workspace::attach; the
// "mixed" workspace (100 sources) registers one source in ten as a Parquet file instead
// (USE 'x.parquet' AS alias). The time registration took is the setup_seconds counter.
// Files live in a fresh folder pond-bench-<pid> under $POND_BENCH_DIR (default: the temp
// directory), removed at exit.

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "engine/database.hpp"
#include "engine/error.hpp"
#include "engine/sql_text.hpp"
#include "workspace/workspace.hpp"

namespace {

namespace fs = std::filesystem;
using pond::Error;
using pond::ErrorKind;
using pond::engine::Database;
using pond::engine::DatabaseOptions;
using pond::workspace::AttachRequest;
using pond::workspace::UseFilesRequest;
using pond::workspace::Workspace;
using pond::workspace::WorkspaceOptions;

constexpr int kRowsPerSource = 100;

// The folder every generated file lives in; removed when the process exits.
class BenchDir {
 public:
  BenchDir() {
    const char* env = std::getenv("POND_BENCH_DIR");
    fs::path base = env && *env ? fs::path(env) : fs::temp_directory_path();
    root_ = base / ("pond-bench-" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  BenchDir(const BenchDir&) = delete;
  BenchDir& operator=(const BenchDir&) = delete;
  ~BenchDir() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  const fs::path& root() const { return root_; }

 private:
  fs::path root_;
};

const fs::path& bench_root() {
  static BenchDir dir;
  return dir.root();
}

WorkspaceOptions workspace_options(const std::string& path) {
  WorkspaceOptions options;
  options.path = path;
  return options;
}

DatabaseOptions database_options(const std::string& path) {
  DatabaseOptions options;
  options.path = path;
  return options;
}

std::string alias_of(int i) {
  // Appending rather than "s" + to_string(i): GCC 12 at -O3 reports a false -Wrestrict there.
  std::string alias = "s";
  alias += std::to_string(i);
  return alias;
}

// Source files are shared by all workspaces: sources/s<i>.duckdb and sources/s<i>.parquet,
// created on first use.
fs::path source_file(int i, bool parquet) {
  fs::path dir = bench_root() / "sources";
  fs::path path = dir / (alias_of(i) + (parquet ? ".parquet" : ".duckdb"));
  if (fs::exists(path)) return path;
  fs::create_directories(dir);
  std::string fill = "SELECT range AS id, 'row ' || range AS name, range * 0.5 AS value FROM range(" +
                     std::to_string(kRowsPerSource) + ")";
  if (parquet) {
    Database db;
    db.connect().query("COPY (" + fill + ") TO " + pond::sql::quote_literal(path.string()) + " (FORMAT parquet)");
    return path;
  }
  fs::path template_file = dir / "template.duckdb";
  if (!fs::exists(template_file)) {
    Database db(database_options(template_file.string()));
    db.connect().query("CREATE TABLE t AS " + fill);
  }
  fs::copy_file(template_file, path);
  return path;
}

struct Fixture {
  std::string workspace;  // the workspace file
  std::string probe;      // the first query: reads one source
  int duckdb_sources = 0;
  int file_sources = 0;
  double setup_seconds = 0;  // creating the files and registering them (Workspace::attach, use_files)
  std::string error;         // why the fixture could not be built; empty when it was
};

bool is_file_source(int i, bool mixed) { return mixed && i % 10 == 9; }

// Opens the workspace once and checks that every source came back and the probe reads it.
void check_restored(const Fixture& f) {
  Workspace ws(workspace_options(f.workspace));
  std::array<pond::engine::Param, 1> prefix{(bench_root() / "sources").string() + "/%"};
  auto attached =
      ws.connection().execute("SELECT count(*) FROM duckdb_databases() WHERE path LIKE ?", prefix).fetch_all();
  if (attached[0][0].as_int64() != f.duckdb_sources) {
    throw Error(ErrorKind::internal, "restore attached " + attached[0][0].to_string() + " source databases, expected " +
                                         std::to_string(f.duckdb_sources));
  }
  if (ws.execute(f.probe).fetch_all()[0][0].as_int64() != kRowsPerSource) {
    throw Error(ErrorKind::internal, "probe query returned the wrong count: " + f.probe);
  }
}

Fixture build_fixture(int sources, bool mixed) {
  auto start = std::chrono::steady_clock::now();
  Fixture f;
  f.workspace =
      (bench_root() / ("workspace-" + std::to_string(sources) + (mixed ? "-mixed" : "") + ".duckdb")).string();
  fs::remove(f.workspace);
  {
    Workspace ws(workspace_options(f.workspace));
    for (int i = 0; i < sources; ++i) {
      if (is_file_source(i, mixed)) {
        UseFilesRequest request;
        request.pattern = source_file(i, true).string();
        request.alias = alias_of(i);
        ws.use_files(request);
        ++f.file_sources;
      } else {
        AttachRequest request;
        request.location = source_file(i, false).string();
        request.alias = alias_of(i);
        request.read_only = true;
        request.must_exist = true;
        ws.attach(request);
        ++f.duckdb_sources;
      }
    }
  }
  f.setup_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (sources == 0) {
    f.probe = "SELECT count(*) FROM range(" + std::to_string(kRowsPerSource) + ")";
  } else {
    // A DuckDB source in the middle of the registry: restore order gives it no advantage.
    int probe = sources / 2;
    while (is_file_source(probe, mixed)) --probe;
    f.probe = "SELECT count(*) FROM " + pond::sql::quote_identifier(alias_of(probe)) + ".t";
  }
  check_restored(f);
  return f;
}

// Built once per process (Google Benchmark calls a benchmark function several times).
const Fixture& fixture(int sources, bool mixed) {
  static std::map<std::pair<int, bool>, Fixture> built;
  auto key = std::make_pair(sources, mixed);
  if (auto it = built.find(key); it != built.end()) return it->second;
  Fixture f;
  try {
    f = build_fixture(sources, mixed);
  } catch (const std::exception& e) {
    f.error = e.what();
  }
  return built.emplace(key, std::move(f)).first->second;
}

// The fixture for this run, or nullptr (the benchmark is then skipped with the reason).
const Fixture* fixture_or_skip(benchmark::State& state, bool mixed) {
  const Fixture& f = fixture(static_cast<int>(state.range(0)), mixed);
  if (f.error.empty()) return &f;
  state.SkipWithError(f.error.c_str());
  return nullptr;
}

void set_counters(benchmark::State& state, const Fixture& f) {
  state.counters["duckdb_sources"] = f.duckdb_sources;
  state.counters["file_sources"] = f.file_sources;
  state.counters["setup_seconds"] = f.setup_seconds;
}

// Workspace open (restore all) + first query + close.
void BM_OpenWorkspace(benchmark::State& state, bool mixed) {
  const Fixture* f = fixture_or_skip(state, mixed);
  if (!f) return;
  for (auto _ : state) {
    Workspace ws(workspace_options(f->workspace));
    auto rows = ws.execute(f->probe).fetch_all();
    benchmark::DoNotOptimize(rows);
  }
  set_counters(state, *f);
}

// The same file opened by DuckDB alone: no registry read, no restore.
void BM_OpenBare(benchmark::State& state) {
  const Fixture* f = fixture_or_skip(state, false);
  if (!f) return;
  for (auto _ : state) {
    Database db(database_options(f->workspace));
    auto rows = db.connect().query("SELECT 1").fetch_all();
    benchmark::DoNotOptimize(rows);
  }
  set_counters(state, *f);
}

// DuckDB open + ATTACH of the one source the probe reads + the probe.
void BM_OpenBareAttachOne(benchmark::State& state) {
  const Fixture* f = fixture_or_skip(state, false);
  if (!f) return;
  int probe = static_cast<int>(state.range(0)) / 2;
  std::string attach = "ATTACH " + pond::sql::quote_literal(source_file(probe, false).string()) + " AS " +
                       pond::sql::quote_identifier(alias_of(probe)) + " (READ_ONLY)";
  for (auto _ : state) {
    Database db(database_options(f->workspace));
    auto connection = db.connect();
    connection.query(attach);
    auto rows = connection.query(f->probe).fetch_all();
    benchmark::DoNotOptimize(rows);
  }
  set_counters(state, *f);
}

// Fixed iterations keep the whole binary near a minute on a quiet 2-core machine; most of that
// is the untimed setup of 1000 sources. Process CPU time counts DuckDB's threads too.
int64_t iterations_for(int sources) { return sources >= 1000 ? 1 : sources >= 100 ? 4 : 8; }

void add(benchmark::internal::Benchmark* b, int sources, int64_t iterations) {
  b->Arg(sources)
      ->ArgName("sources")
      ->Iterations(iterations)
      ->Repetitions(3)
      ->MeasureProcessCPUTime()
      ->Unit(benchmark::kMillisecond);
}

void register_benchmarks() {
  for (int n : {0, 10, 100, 1000}) {
    add(benchmark::RegisterBenchmark("BM_OpenWorkspace/duckdb", BM_OpenWorkspace, false), n, iterations_for(n));
    // Mixed only at 100 (the target size): registering another 1000 sources would double the
    // setup time.
    if (n == 100) {
      add(benchmark::RegisterBenchmark("BM_OpenWorkspace/mixed", BM_OpenWorkspace, true), n, iterations_for(n));
    }
    add(benchmark::RegisterBenchmark("BM_OpenBare", BM_OpenBare), n, 2 * iterations_for(n));
    if (n > 0) {
      add(benchmark::RegisterBenchmark("BM_OpenBareAttachOne", BM_OpenBareAttachOne), n, iterations_for(n));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  register_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
