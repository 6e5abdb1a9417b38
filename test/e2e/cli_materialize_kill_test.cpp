// `pond refresh` killed with SIGKILL at a random moment of its build: the workspace keeps the
// old table with its provenance (or, when the kill came after the swap, the new one), opens
// read-only beside whatever was left, and no staging table survives a read-write open.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <iostream>
#include <random>
#include <string>
#include <thread>

#include "cli_test_support.hpp"
#include "sqlite_file.hpp"

namespace pond::e2e {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kRows = 1000000;

using pond::test::sqlite_exec;

// A workspace ws.duckdb with SQLite source `lite` (table big, kRows rows) and persistent
// materialization `copy` of all of big.
class MaterializeKill : public ::testing::Test {
 protected:
  void SetUp() override {
    sqlite_exec(dir_ / "big.sqlite",
                "CREATE TABLE big (id INTEGER PRIMARY KEY, name TEXT, amount REAL);"
                "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r LIMIT " +
                    std::to_string(kRows) + ") INSERT INTO big SELECT i, 'name-' || i, i * 0.5 FROM r;");
    RunResult attached = pond({"attach", "big.sqlite", "--as", "lite", "--type", "sqlite"});
    ASSERT_EQ(attached.exit_code, 0) << attached.err;
    RunResult made = pond({"materialize", "lite", "SELECT * FROM big", "--as", "copy", "--persistent"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }

  RunResult pond(std::vector<std::string> args) {
    args.insert(args.begin(), {"-w", "ws.duckdb"});
    return run_pond(args, dir_.path());
  }

  // "rows in copy,rows in its provenance,staging tables" as CSV without the header.
  std::string state(bool read_only) {
    std::vector<std::string> args{"query",
                                  "SELECT (SELECT count(*) FROM copy) AS n, (SELECT row_count FROM "
                                  "pond_meta.materializations WHERE name = 'copy') AS recorded, (SELECT count(*) FROM "
                                  "duckdb_tables() WHERE ends_with(table_name, '__pond_staging')) AS staging",
                                  "-f", "csv"};
    if (read_only) args.insert(args.begin(), "--read-only");
    RunResult r = pond(args);
    EXPECT_EQ(r.exit_code, 0) << (read_only ? "read-only: " : "") << r.err;
    return r.out.substr(r.out.find('\n') + 1);
  }

  static std::string consistent(long rows) { return std::to_string(rows) + "," + std::to_string(rows) + ",0\n"; }

  TempDir dir_;
};

TEST_F(MaterializeKill, KillDashNineMidRefreshKeepsTheOldTableAndProvenanceAndLeavesNoStagingTable) {
  Clock::time_point start = Clock::now();
  RunResult timed = pond({"refresh", "copy"});
  auto refresh_time = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  ASSERT_EQ(timed.exit_code, 0) << timed.err;
  ASSERT_EQ(state(false), consistent(kRows));

  std::mt19937 random(std::random_device{}());
  std::uniform_real_distribution<double> fraction(0.05, 1.2);
  long rows = kRows;         // what `copy` holds now
  long source_rows = kRows;  // what the SQLite table holds
  int killed_midway = 0;
  int leftovers_seen = 0;
  // At least 4 rounds; more (up to 12) until a kill lands in a refresh in progress.
  for (int round = 0; round < 12 && (round < 4 || killed_midway == 0); ++round) {
    // The source grows by one row, so the state tells an old table from a new one.
    ++source_rows;
    sqlite_exec(dir_ / "big.sqlite", "INSERT INTO big VALUES (" + std::to_string(source_rows) + ", 'late', 0)");
    PondProcess refresh({"-w", "ws.duckdb", "refresh", "copy"}, dir_.path());
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(refresh_time.count() * fraction(random))));
    ::kill(refresh.pid(), SIGKILL);
    RunResult killed = refresh.finish();
    bool midway = killed.exit_code == 128 + SIGKILL;
    killed_midway += midway ? 1 : 0;

    // A read-only open cannot drop anything and must not fail either.
    std::string seen = state(true);
    bool leftover = !seen.ends_with(",0\n");
    leftovers_seen += leftover ? 1 : 0;
    std::string after = state(false);
    std::cerr << "round " << round << ": exit " << killed.exit_code << ", read-only open saw "
              << seen.substr(0, seen.size() - 1) << ", then " << after.substr(0, after.size() - 1) << '\n';
    EXPECT_TRUE(after == consistent(rows) || after == consistent(source_rows)) << "round " << round << ": " << after;
    if (!midway) {
      EXPECT_EQ(after, consistent(source_rows)) << "round " << round;
    }
    if (after == consistent(source_rows)) rows = source_rows;
  }
  std::cerr << killed_midway << " kills landed mid-refresh; " << leftovers_seen << " left a staging table\n";
  // The kills must have hit refreshes in progress for the test to mean anything.
  EXPECT_GT(killed_midway, 0);

  RunResult tables = pond({"query", "SHOW TABLES", "-f", "csv"});
  EXPECT_EQ(tables.out, "name\ncopy\n") << tables.err;
  RunResult listed = pond({"materializations", "-f", "csv"});
  EXPECT_NE(listed.out.find("\ncopy,lite,true," + std::to_string(rows) + ","), std::string::npos) << listed.out;
  RunResult again = pond({"refresh", "copy"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(state(false), consistent(source_rows));
}

}  // namespace
}  // namespace pond::e2e
