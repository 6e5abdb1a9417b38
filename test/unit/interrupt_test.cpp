// Connection::interrupt() and progress() from another thread while a query runs.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "engine/connection.hpp"
#include "engine/database.hpp"
#include "engine/error.hpp"

namespace pond::engine {
namespace {

using namespace std::chrono_literals;

// Runs for minutes unless interrupted.
constexpr const char* kLongQuery = "SELECT sum(a.range * b.range) FROM range(200000) a, range(200000) b";

TEST(Interrupt, LongQueryIsCancelledFromAnotherThread) {
  Database db;
  Connection connection = db.connect();
  std::atomic<bool> done{false};
  std::atomic<double> max_progress{-2};
  // An interrupt that lands before the query starts is lost, so keep interrupting until done.
  std::jthread canceller([&](std::stop_token stop) {
    std::this_thread::sleep_for(200ms);
    while (!stop.stop_requested() && !done) {
      double p = connection.progress();
      if (p > max_progress) max_progress = p;
      connection.interrupt();
      std::this_thread::sleep_for(50ms);
    }
  });
  auto started = std::chrono::steady_clock::now();
  try {
    connection.query(kLongQuery);
    ADD_FAILURE() << "the query finished instead of being cancelled";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::cancelled) << error.what();
    EXPECT_NE(std::string(error.what()).find("cancelled"), std::string::npos) << error.what();
  }
  done = true;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 60s);
  EXPECT_GE(max_progress.load(), -1.0);
  EXPECT_LE(max_progress.load(), 100.0);
  // The connection stays usable after a cancelled query.
  EXPECT_EQ(connection.query("SELECT 1").fetch_all().at(0).at(0).as_int64(), 1);
}

TEST(Interrupt, StreamingQueryIsCancelledWhileFetching) {
  Database db;
  Connection connection = db.connect();
  std::atomic<bool> done{false};
  std::jthread canceller([&](std::stop_token stop) {
    while (!stop.stop_requested() && !done) {
      std::this_thread::sleep_for(100ms);
      connection.interrupt();
    }
  });
  try {
    // Rows arrive at once, but all of them would take hours.
    Result result =
        connection.query("SELECT a.range * b.range FROM range(200000) a, range(200000) b", ExecMode::streaming);
    while (result.next_chunk()) {
    }
    ADD_FAILURE() << "the query finished instead of being cancelled";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::cancelled) << error.what();
  }
  done = true;
}

TEST(Progress, IsCallableWithoutARunningQuery) {
  Database db;
  Connection connection = db.connect();
  double p = connection.progress();
  EXPECT_GE(p, -1.0);
  EXPECT_LE(p, 100.0);
  connection.interrupt();  // nothing running: harmless
  EXPECT_EQ(connection.query("SELECT 2").fetch_all().at(0).at(0).as_int64(), 2);
}

}  // namespace
}  // namespace pond::engine
