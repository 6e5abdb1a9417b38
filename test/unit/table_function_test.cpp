// Table functions registered through engine::register_table_function: scans that run ahead of
// DuckDB on a prefetch thread (GlobalScan::prefetch()), and statements whose only task runs on
// a DuckDB worker thread.

#include "engine/table_function.hpp"

#include <gtest/gtest.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "engine/connection.hpp"
#include "engine/database.hpp"
#include "engine/error.hpp"
#include "engine/result.hpp"

namespace pond::engine {
namespace {

using namespace std::chrono_literals;

// What the test scans do; shared with the test body.
struct Script {
  bool prefetch = true;
  int64_t rows = 0;
  int64_t fail_at = -1;                          // throw when this row is reached
  std::chrono::milliseconds pause_per_chunk{0};  // sleep before each chunk
  int64_t block_at = -1;                         // at this row, wait until stop() (at most 30 s)
  std::atomic<bool> blocked{false};              // a scan reached block_at
  std::atomic<int> stops{0};
  std::atomic<int> live_scans{0};
  // Tasks (used when prefetch_threads > 1): task k holds rows [task_ends[k-1], task_ends[k]).
  size_t prefetch_threads = 1;
  std::vector<int64_t> task_ends;
  std::atomic<size_t> next_task{0};
  std::atomic<int> reading{0};       // scans inside scan() right now
  std::atomic<int> most_reading{0};  // the most at once
};

class CountingScan : public LocalScan {
 public:
  CountingScan(Script& script, std::vector<size_t> projection) : script_(script), projection_(std::move(projection)) {
    ++script_.live_scans;
  }
  ~CountingScan() override { --script_.live_scans; }

  bool next_task() override {
    size_t task = script_.next_task.fetch_add(1);
    if (task >= script_.task_ends.size()) return false;
    next_ = task == 0 ? 0 : script_.task_ends[task - 1];
    end_ = script_.task_ends[task];
    odd_task_ = task % 2 == 1;
    return true;
  }

  size_t scan(OutputChunk& out) override {
    int now = ++script_.reading;
    for (int most = script_.most_reading; now > most && !script_.most_reading.compare_exchange_weak(most, now);) {
    }
    struct Leave {
      Script& script;
      ~Leave() { --script.reading; }
    } leave{script_};
    std::this_thread::sleep_for(script_.pause_per_chunk);
    if (odd_task_) std::this_thread::sleep_for(2ms);  // odd tasks finish late: order must not follow
    if (next_ == script_.block_at) {
      script_.blocked = true;
      auto deadline = std::chrono::steady_clock::now() + 30s;
      while (!stopped_ && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
      throw Error(ErrorKind::cancelled, "stopped");
    }
    size_t count = 0;
    while (count < OutputChunk::kCapacity && next_ < end_) {
      if (next_ == script_.fail_at)
        throw Error(ErrorKind::connector, "the source broke at row " + std::to_string(next_));
      for (size_t k = 0; k < projection_.size(); ++k) {
        if (projection_[k] == 0) {
          out.column(k).set_int(count, next_);
        } else if (projection_[k] == 1) {
          out.column(k).set_string(count, "row number " + std::to_string(next_));
        } else {
          out.column(k).set_null(count);
        }
      }
      ++next_;
      ++count;
    }
    return count;
  }

  void stop() override {
    ++script_.stops;
    stopped_ = true;
  }

 private:
  Script& script_;
  std::vector<size_t> projection_;
  int64_t next_ = 0;
  int64_t end_ = script_.rows;
  bool odd_task_ = false;
  std::atomic<bool> stopped_{false};
};

class CountingGlobal : public GlobalScan {
 public:
  CountingGlobal(Script& script, std::vector<size_t> projection)
      : script_(script), projection_(std::move(projection)) {}
  bool prefetch() const override { return script_.prefetch; }
  size_t prefetch_threads() const override { return script_.prefetch_threads; }
  std::unique_ptr<LocalScan> init_local() override { return std::make_unique<CountingScan>(script_, projection_); }

 private:
  Script& script_;
  std::vector<size_t> projection_;
};

class CountingBound : public BoundScan {
 public:
  explicit CountingBound(Script& script) : script_(script) {}
  const std::vector<OutputColumn>& columns() const override { return columns_; }
  std::unique_ptr<GlobalScan> init(const std::vector<size_t>& projection) override {
    return std::make_unique<CountingGlobal>(script_, projection);
  }

 private:
  Script& script_;
  std::vector<OutputColumn> columns_{{"i", ColumnType::of(TypeId::bigint)}, {"s", ColumnType::of(TypeId::varchar)}};
};

class CountingFunction : public TableFunction {
 public:
  explicit CountingFunction(Script& script) : script_(script) {}
  std::string name() const override { return "test_rows"; }
  size_t argument_count() const override { return 0; }
  std::unique_ptr<BoundScan> bind(const BindInput&) override { return std::make_unique<CountingBound>(script_); }

 private:
  Script& script_;
};

class TableFunctionTest : public ::testing::Test {
 protected:
  TableFunctionTest() : db_(DatabaseOptions{":memory:", false, {{"threads", "2"}}}), connection_(db_.connect()) {
    register_table_function(connection_, function_);
  }

  // Loading test_rows() into a table fails with `message`; no scan is left running and the
  // connection stays usable.
  void expect_load_fails_with(const std::string& message) {
    try {
      connection_.prepare("CREATE TABLE t AS SELECT i, s FROM test_rows()").execute();
      ADD_FAILURE() << "the statement succeeded";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
    EXPECT_EQ(script_.live_scans.load(), 0);
    EXPECT_EQ(connection_.query("SELECT 42").fetch_all().at(0).at(0).as_int64(), 42);
  }

  Script script_;
  CountingFunction function_{script_};
  Database db_;
  Connection connection_;
};

TEST_F(TableFunctionTest, PrefetchedScanDeliversEveryRowInOrder) {
  script_.rows = 100'000;
  connection_.prepare("CREATE TABLE t AS SELECT i, s FROM test_rows()").execute();
  auto rows = connection_.query("SELECT count(*), sum(i), bool_and(i = rowid), bool_and(s = 'row number ' || i) FROM t")
                  .fetch_all();
  EXPECT_EQ(rows.at(0).at(0).as_int64(), 100'000);
  EXPECT_EQ(rows.at(0).at(1).to_string(), "4999950000");
  EXPECT_TRUE(rows.at(0).at(2).as_bool());
  EXPECT_TRUE(rows.at(0).at(3).as_bool());
  EXPECT_EQ(script_.live_scans.load(), 0);
  EXPECT_EQ(script_.stops.load(), 0);
}

TEST_F(TableFunctionTest, PrefetchedScanOfNoRowsGivesAnEmptyTable) {
  connection_.prepare("CREATE TABLE t AS SELECT i, s FROM test_rows()").execute();
  EXPECT_EQ(connection_.query("SELECT count(*) FROM t").fetch_all().at(0).at(0).as_int64(), 0);
}

TEST_F(TableFunctionTest, PrefetchedScanErrorFailsTheQueryWithItsMessage) {
  script_.rows = 50'000;
  script_.fail_at = 30'000;
  expect_load_fails_with("the source broke at row 30000");
}

// DuckDB reads a chunk or two for the LIMIT; the prefetch thread runs further ahead and may
// then wait for rows that never come. Ending the query must not wait for them: a scan still
// running after the grace period is stopped (how far the thread got depends on timing).
TEST_F(TableFunctionTest, LimitDoesNotWaitForAPrefetchedScanThatWaitsForRows) {
  script_.rows = 1'000'000;
  script_.block_at = 6 * OutputChunk::kCapacity;
  auto started = std::chrono::steady_clock::now();
  auto rows = connection_.query("SELECT i, s FROM test_rows() LIMIT 5").fetch_all();
  EXPECT_EQ(rows.size(), 5u);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(script_.stops.load(), script_.blocked.load() ? 1 : 0);
  EXPECT_EQ(script_.live_scans.load(), 0);
}

TEST_F(TableFunctionTest, ScanWithoutPrefetchRunsOnDuckDbsThread) {
  script_.prefetch = false;
  script_.rows = 10'000;
  auto rows = connection_.query("SELECT count(*), sum(i) FROM test_rows()").fetch_all();
  EXPECT_EQ(rows.at(0).at(0).as_int64(), 10'000);
  EXPECT_EQ(rows.at(0).at(1).to_string(), "49995000");
}

// Several threads read tasks ahead of DuckDB; CREATE TABLE AS runs on one DuckDB thread and
// keeps insertion order, so the rows must arrive in task order although odd tasks finish late.
TEST_F(TableFunctionTest, SeveralPrefetchThreadsDeliverTheTasksInOrder) {
  script_.rows = 100'000;
  script_.task_ends = {10'000, 10'000, 25'000, 25'001, 60'000, 60'000, 61'000, 100'000};  // two empty
  script_.prefetch_threads = 3;
  script_.pause_per_chunk = 1ms;
  connection_.prepare("CREATE TABLE t AS SELECT i, s FROM test_rows()").execute();
  auto rows = connection_.query("SELECT count(*), sum(i), bool_and(i = rowid), bool_and(s = 'row number ' || i) FROM t")
                  .fetch_all();
  EXPECT_EQ(rows.at(0).at(0).as_int64(), 100'000);
  EXPECT_EQ(rows.at(0).at(1).to_string(), "4999950000");
  EXPECT_TRUE(rows.at(0).at(2).as_bool());
  EXPECT_TRUE(rows.at(0).at(3).as_bool());
  EXPECT_GE(script_.most_reading.load(), 2);  // the threads did read at the same time
  EXPECT_EQ(script_.live_scans.load(), 0);
}

// A parallel pipeline: DuckDB's two threads each prefetch; every task is read exactly once.
TEST_F(TableFunctionTest, PrefetchTasksAreSharedByDuckDbThreadsWithoutRepeats) {
  script_.rows = 200'000;
  for (int64_t end = 5'000; end <= 200'000; end += 5'000) script_.task_ends.push_back(end);
  script_.prefetch_threads = 2;
  auto rows = connection_.query("SELECT count(*), count(DISTINCT i), sum(i) FROM test_rows()").fetch_all();
  EXPECT_EQ(rows.at(0).at(0).as_int64(), 200'000);
  EXPECT_EQ(rows.at(0).at(1).as_int64(), 200'000);
  EXPECT_EQ(rows.at(0).at(2).to_string(), "19999900000");
  EXPECT_EQ(script_.live_scans.load(), 0);
}

TEST_F(TableFunctionTest, ErrorInATaskOfAParallelPrefetchFailsTheQuery) {
  script_.rows = 60'000;
  script_.task_ends = {20'000, 40'000, 60'000};
  script_.prefetch_threads = 3;
  script_.fail_at = 45'000;
  expect_load_fails_with("the source broke at row 45000");
}

TEST_F(TableFunctionTest, LimitStopsEveryPrefetchThread) {
  script_.rows = 1'000'000;
  for (int64_t end = 100'000; end <= 1'000'000; end += 100'000) script_.task_ends.push_back(end);
  script_.prefetch_threads = 3;
  script_.block_at = 200'000;  // the start of the third task: that thread waits for stop()
  auto started = std::chrono::steady_clock::now();
  auto rows = connection_.query("SELECT i FROM test_rows() LIMIT 5").fetch_all();
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows.at(0).at(0).as_int64(), 0);
  EXPECT_EQ(rows.at(4).at(0).as_int64(), 4);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(script_.stops.load(), script_.blocked.load() ? 1 : 0);
  EXPECT_EQ(script_.live_scans.load(), 0);
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// DuckDB's own execute loop spins on the calling thread while a worker holds the query's only
// task; Pond's lets it sleep. Whichever thread runs the (sleeping) scan, the caller burns little.
TEST_F(TableFunctionTest, CallerSleepsWhileAWorkerRunsTheOnlyTask) {
  script_.prefetch = false;
  script_.rows = 10 * OutputChunk::kCapacity;
  script_.pause_per_chunk = 40ms;
  double cpu_before = thread_cpu_seconds();
  auto started = std::chrono::steady_clock::now();
  connection_.prepare("CREATE TABLE t AS SELECT i, s FROM test_rows()").execute();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  double cpu = thread_cpu_seconds() - cpu_before;
  EXPECT_GE(wall, 0.4);
  EXPECT_LT(cpu, 0.25 * wall) << "the calling thread used " << cpu << " s of CPU in " << wall << " s";
}

TEST_F(TableFunctionTest, InterruptedPreparedStatementFailsAsCancelled) {
  Connection other = db_.connect();
  std::atomic<bool> done{false};
  std::jthread canceller([&](std::stop_token stop) {
    while (!stop.stop_requested() && !done) {
      std::this_thread::sleep_for(50ms);
      other.interrupt();
      connection_.interrupt();
    }
  });
  try {
    connection_.prepare("SELECT sum(a.range * b.range) FROM range(200000) a, range(200000) b").execute();
    ADD_FAILURE() << "the query finished instead of being cancelled";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::cancelled) << e.what();
  }
  done = true;
}

TEST_F(TableFunctionTest, PreparedStatementErrorsKeepTheirKind) {
  try {
    connection_.prepare("SELECT * FROM (SELECT 1) t WHERE t.x = 1").execute();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input) << e.what();
  }
  connection_.query("CREATE TABLE dup (x INTEGER PRIMARY KEY)");
  connection_.query("INSERT INTO dup VALUES (1)");
  try {
    connection_.prepare("INSERT INTO dup VALUES (1)").execute();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input) << e.what();
    EXPECT_NE(std::string(e.what()).find("Constraint Error"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pond::engine
