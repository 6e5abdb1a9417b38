// `pond run` that fails or is killed midway: the workspace stays as it was (or, after a kill,
// is the old or the new state, never a mix of the two) and opens; the next run finishes the
// job and a run after that changes nothing.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <thread>

#include "cli_test_support.hpp"

namespace pond::e2e {
namespace {

namespace fs = std::filesystem;

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

void write(const fs::path& file, const std::string& text) { std::ofstream(file, std::ios::binary) << text; }

// Version `v` of a catalog: a slow persistent materialization, a view and a files source, all
// marked with the version so that the state after a kill tells which version it holds.
std::string catalog_version(char v) {
  long rows = v == 'A' ? 3000000 : 3000001;
  return std::string("version: 1\nworkspace: ./ws.duckdb\nsources:\n") +
         "  src: { type: duckdb, path: ./src.duckdb, read_only: true }\n" + "  extra_" + char(std::tolower(v)) +
         ": { type: files, path: ./a.csv }\n" + "materializations:\n" +
         "  big: { source: src, query: \"SELECT i, i * 2 AS j FROM range(" + std::to_string(rows) +
         ") t(i)\", persistent: true }\n" + "views:\n  v: \"SELECT '" + v +
         "' AS version, (SELECT count(*) FROM big) AS n\"\n";
}

class CatalogAtomicity : public ::testing::Test {
 protected:
  void SetUp() override {
    RunResult r = run_pond({"-w", "src.duckdb", "query", "CREATE TABLE t AS SELECT 1 AS x"}, dir_.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    write(dir_ / "a.csv", "x\n1\n");
  }
  RunResult run(const std::vector<std::string>& args) { return run_pond(args, dir_.path()); }

  // view version, view's count, provenance query, table rows, the view's record
  std::string state() {
    RunResult r = run({"-w", "ws.duckdb", "query",
                       "SELECT (SELECT version FROM v) AS version, (SELECT query LIKE '%3000000)%' FROM "
                       "pond_meta.materializations WHERE name = 'big') AS prov_a, (SELECT count(*) FROM big) AS n, "
                       "(SELECT definition LIKE '%''A''%' FROM pond_meta.catalog_items WHERE name = 'v') AS rec_a",
                       "-f", "csv"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  TempDir dir_;
};

constexpr const char* kStateA = "version,prov_a,n,rec_a\nA,true,3000000,true\n";
constexpr const char* kStateB = "version,prov_a,n,rec_a\nB,false,3000001,false\n";

TEST_F(CatalogAtomicity, KillDashNineMidApplyLeavesTheOldOrTheNewStateAndTheNextRunFinishes) {
  using Clock = std::chrono::steady_clock;
  auto timed_run = [&](std::chrono::milliseconds& took) {
    Clock::time_point start = Clock::now();
    RunResult r = run({"run", "catalog.yaml"});
    took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    return r;
  };
  write(dir_ / "catalog.yaml", catalog_version('A'));
  std::chrono::milliseconds apply_time{0};
  ASSERT_EQ(timed_run(apply_time).exit_code, 0);
  ASSERT_EQ(state(), kStateA);
  std::mt19937 random(std::random_device{}());
  std::uniform_real_distribution<double> fraction(0.05, 1.2);
  char current = 'A';
  int killed_midway = 0;
  // At least 4 rounds; more (up to 12) until a kill lands in a run in progress. The kill comes
  // at a random point of (or just past) the last measured apply, so a busy machine does not
  // make every kill miss.
  for (int round = 0; round < 12 && (round < 4 || killed_midway == 0); ++round) {
    char next = current == 'A' ? 'B' : 'A';
    write(dir_ / "catalog.yaml", catalog_version(next));
    PondProcess apply({"run", "catalog.yaml"}, dir_.path());
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(apply_time.count() * fraction(random))));
    ::kill(apply.pid(), SIGKILL);
    RunResult killed = apply.finish();
    killed_midway += killed.exit_code == 128 + SIGKILL ? 1 : 0;
    std::string after = state();
    std::cerr << "round " << round << ": exit " << killed.exit_code << ", holds version "
              << (after == kStateA   ? 'A'
                  : after == kStateB ? 'B'
                                     : '?')
              << " (applying " << next << ")\n";
    EXPECT_TRUE(after == kStateA || after == kStateB) << "round " << round << ": " << after;
    std::chrono::milliseconds again_time{0};
    RunResult again = timed_run(again_time);
    ASSERT_EQ(again.exit_code, 0) << again.err;
    // A run that found the work already done is quick; keep the time of a full apply.
    if (killed.exit_code == 128 + SIGKILL && after == (current == 'A' ? kStateA : kStateB)) apply_time = again_time;
    EXPECT_EQ(state(), next == 'A' ? kStateA : kStateB);
    RunResult idle = run({"run", "catalog.yaml"});
    EXPECT_TRUE(has(idle.out, "no changes")) << idle.out << idle.err;
    current = next;
  }
  // The kills must have hit runs in progress for the test to mean anything.
  EXPECT_GT(killed_midway, 0);
}

TEST_F(CatalogAtomicity, AnUnreachableSourceWithoutKeepGoingLeavesEverythingAsItWas) {
  write(dir_ / "catalog.yaml", catalog_version('A'));
  ASSERT_EQ(run({"run", "catalog.yaml"}).exit_code, 0);
  RunResult registry_before = run({"-w", "ws.duckdb", "query", "SELECT * FROM pond_meta.sources ORDER BY ALL"});
  std::string b = catalog_version('B');
  b.replace(b.find("materializations:"), 0,
            "  down: { type: postgres, dsn: \"host=127.0.0.1 port=1 dbname=x\", connect_timeout: 1, retries: 0 }\n");
  write(dir_ / "catalog.yaml", b);
  RunResult r = run({"run", "catalog.yaml"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "catalog.yaml:6:3: source 'down'")) << r.err;
  EXPECT_EQ(state(), kStateA);
  EXPECT_EQ(run({"-w", "ws.duckdb", "query", "SELECT * FROM pond_meta.sources ORDER BY ALL"}).out, registry_before.out);
}

}  // namespace
}  // namespace pond::e2e
