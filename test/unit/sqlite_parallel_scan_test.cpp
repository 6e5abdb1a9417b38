// Parallel rowid-range scans of a SQLite source, as a workspace sees them: a writer committing
// while a scan runs never makes a row appear twice or an original row go missing (the
// consistency model in src/connectors/sqlite/sqlite_scanner.hpp), a LIMIT that ends a scan
// early leaves no read lock behind, and an interrupt cancels every range reader.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "connectors/sqlite/sqlite_connector.hpp"
#include "engine/error.hpp"
#include "test_support.hpp"
#include "workspace/workspace.hpp"

namespace pond::workspace {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kRows = 400'000;  // rowids 1..kRows: several ranges of 122,880

// A read-write connection of the test's own, as another application would have.
class Writer {
 public:
  explicit Writer(const std::string& file) {
    EXPECT_EQ(sqlite3_open(file.c_str(), &db_), SQLITE_OK);
    sqlite3_busy_timeout(db_, 10'000);
  }
  ~Writer() { sqlite3_close(db_); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // SQLite's result code; the message goes to `error` when there is one.
  int exec(const std::string& sql, std::string* error = nullptr) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (error && message) *error = message;
    sqlite3_free(message);
    return rc;
  }
  void set_busy_timeout(int ms) { sqlite3_busy_timeout(db_, ms); }

 private:
  sqlite3* db_ = nullptr;
};

std::string fill_sql(const std::string& table) {
  return "CREATE TABLE " + table +
         " (id INTEGER PRIMARY KEY, v INTEGER, note TEXT);"
         "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < " +
         std::to_string(kRows) + ") INSERT INTO " + table + " SELECT i, i % 97, 'row ' || i FROM s;";
}

class SqliteParallelScanTest : public ::testing::Test {
 protected:
  void open_workspace(const std::string& sqlite_file) {
    WorkspaceOptions o;
    o.path = dir_.file("ws.duckdb");
    o.connectors.push_back(std::make_shared<connectors::sqlite::SqliteConnector>());
    ws_.emplace(o);
    ws_->execute("ATTACH '" + sqlite_file + "' AS lite (TYPE SQLITE)");
  }
  int64_t scalar(const std::string& sql) { return ws_->execute(sql).fetch_all().at(0).at(0).as_int64(); }

  test::TempDir dir_;
  std::optional<Workspace> ws_;
};

// WAL lets the writer commit while the ranges are read. Each range sees its own snapshot, so
// updated values may mix, but the ranges partition the rowids: no original row is lost or
// read twice, and rows inserted meanwhile (beyond the old maximum) appear at most once.
TEST_F(SqliteParallelScanTest, ConcurrentWriterCausesNoDuplicateOrMissingRows) {
  const std::string file = dir_.file("wal.sqlite");
  Writer writer(file);
  ASSERT_EQ(writer.exec("PRAGMA journal_mode = WAL;" + fill_sql("w")), SQLITE_OK);
  open_workspace(file);

  std::atomic<bool> stop{false};
  std::atomic<int> commits{0};
  std::string writer_error;
  std::thread writing([&] {
    for (int round = 0; !stop; ++round) {
      std::string sql =
          "BEGIN; UPDATE w SET v = v + 1, note = note || '+' WHERE id % 50 = " + std::to_string(round % 50) +
          "; INSERT INTO w (v, note) VALUES (" + std::to_string(round) + ", 'new'), (" + std::to_string(round) +
          ", 'new'); COMMIT;";
      if (writer.exec(sql, &writer_error) != SQLITE_OK) return;
      ++commits;
      std::this_thread::sleep_for(2ms);
    }
  });
  for (int scan = 0; scan < 3; ++scan) {
    std::string table = "snap" + std::to_string(scan);
    ws_->execute("CREATE TABLE " + table + " AS SELECT id, note FROM lite.w");
    auto row =
        ws_->execute("SELECT count(*), count(DISTINCT id), count(*) FILTER (WHERE id <= " + std::to_string(kRows) +
                     "), count(*) FILTER (WHERE id > " + std::to_string(kRows) + " AND note NOT LIKE 'new%') FROM " +
                     table)
            .fetch_all()
            .at(0);
    EXPECT_EQ(row.at(0).as_int64(), row.at(1).as_int64()) << "a row was read twice in scan " << scan;
    EXPECT_EQ(row.at(2).as_int64(), kRows) << "an original row went missing in scan " << scan;
    EXPECT_EQ(row.at(3).as_int64(), 0);
  }
  stop = true;
  writing.join();
  EXPECT_EQ(writer_error, "");
  EXPECT_GT(commits.load(), 0);
}

// Without concurrent writes a parallel scan equals the serial one, row for row and in order.
TEST_F(SqliteParallelScanTest, MaterializedParallelScanEqualsSerialScanInOrder) {
  const std::string file = dir_.file("plain.sqlite");
  Writer writer(file);
  ASSERT_EQ(writer.exec(fill_sql("t") + "DELETE FROM t WHERE id BETWEEN 100000 AND 260000;" +
                        "CREATE VIEW t_serial AS SELECT * FROM t;"),
            SQLITE_OK);
  open_workspace(file);
  ws_->execute("CREATE TABLE par AS SELECT * FROM pond_query('lite', 'SELECT * FROM t')");
  ws_->execute("CREATE TABLE ser AS SELECT * FROM lite.t_serial");
  EXPECT_EQ(scalar("SELECT count(*) FROM par"), kRows - 160'001);
  // Same rows at the same positions.
  EXPECT_EQ(scalar("SELECT count(*) FROM par p FULL JOIN ser s ON p.rowid = s.rowid "
                   "WHERE p.id IS DISTINCT FROM s.id OR p.v IS DISTINCT FROM s.v OR p.note IS DISTINCT FROM s.note"),
            0);
}

// In rollback-journal mode a reader's open statement would keep writers out: once a LIMIT
// ends the scan early, every range connection has let go and a writer commits at once.
TEST_F(SqliteParallelScanTest, LimitEndsTheScanAndLeavesNoReadLockBehind) {
  const std::string file = dir_.file("locks.sqlite");
  Writer writer(file);
  ASSERT_EQ(writer.exec(fill_sql("t")), SQLITE_OK);
  open_workspace(file);
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(ws_->execute("SELECT * FROM lite.t LIMIT 5").fetch_all().size(), 5u);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  writer.set_busy_timeout(0);
  std::string error;
  EXPECT_EQ(writer.exec("INSERT INTO t (v, note) VALUES (1, 'after')", &error), SQLITE_OK) << error;
  EXPECT_EQ(scalar("SELECT count(*) FROM lite.t"), kRows + 1);
}

// A range reader that is stepping when the query is interrupted fails as cancelled; the
// source still works afterwards.
TEST_F(SqliteParallelScanTest, InterruptCancelsAParallelScan) {
  const std::string file = dir_.file("slow.sqlite");
  Writer writer(file);
  ASSERT_EQ(writer.exec(fill_sql("t")), SQLITE_OK);
  open_workspace(file);
  std::optional<ErrorKind> kind;
  std::atomic<bool> done{false};
  std::thread query([&] {
    try {
      // A cross join with a ranged scan on the probe side keeps the readers busy for long.
      ws_->execute("SELECT count(*) FROM lite.t a, lite.t b WHERE a.note || b.note = 'x'");
    } catch (const Error& e) {
      kind = e.kind();
    }
    done = true;
  });
  std::this_thread::sleep_for(300ms);
  auto until = std::chrono::steady_clock::now() + 20s;
  while (!done && std::chrono::steady_clock::now() < until) {
    ws_->interrupt();
    std::this_thread::sleep_for(50ms);
  }
  query.join();
  ASSERT_TRUE(done);
  EXPECT_EQ(kind, ErrorKind::cancelled);
  EXPECT_EQ(scalar("SELECT count(*) FROM lite.t"), kRows);
}

}  // namespace
}  // namespace pond::workspace
