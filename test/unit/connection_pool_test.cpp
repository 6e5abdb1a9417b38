// The server's connection pool: which connections are reused, that the pool stays bounded,
// that a catalog change or a stop keeps a connection from being handed out again.

#include "server/connection_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <thread>
#include <vector>

#include "engine/database.hpp"
#include "engine/error.hpp"
#include "server/query_registry.hpp"

namespace pond::server {
namespace {

struct PoolFixture : ::testing::Test {
  engine::Database db;
  std::atomic<int> opened{0};
  ConnectionPool pool{[this] {
                        ++opened;
                        return db.connect();
                      },
                      4};
};

TEST_F(PoolFixture, AConnectionMarkedReusableServesTheNextLeaseWithItsCachedStatements) {
  uint64_t first_id = 0;
  {
    ConnectionLease lease = pool.acquire();
    first_id = lease.connection().id();
    lease.connection().prepare_cached("SELECT 41 + 1")->execute().fetch_all();
    lease.set_reusable(true);
  }
  EXPECT_EQ(pool.idle(), 1u);
  ConnectionLease again = pool.acquire();
  EXPECT_EQ(again.connection().id(), first_id);
  EXPECT_EQ(again.connection().statement_cache().size(), 1u);
  again.connection().prepare_cached("SELECT 41 + 1");
  EXPECT_EQ(again.connection().statement_cache().hits(), 1u);
  EXPECT_EQ(pool.reused(), 1u);
  EXPECT_EQ(opened.load(), 1);
}

TEST_F(PoolFixture, AConnectionNotMarkedReusableIsClosedAndTheNextLeaseOpensAFreshOne) {
  uint64_t first_id = 0;
  {
    ConnectionLease lease = pool.acquire();
    first_id = lease.connection().id();
    lease.connection().query("CREATE TEMP TABLE scratch AS SELECT 1 AS x").fetch_all();
  }
  EXPECT_EQ(pool.idle(), 0u);
  ConnectionLease next = pool.acquire();
  EXPECT_NE(next.connection().id(), first_id);
  EXPECT_THROW(next.connection().query("SELECT * FROM scratch").fetch_all(), Error);
  EXPECT_EQ(opened.load(), 2);
}

TEST_F(PoolFixture, InvalidateClosesIdleConnectionsAndThoseLeasedBeforeIt) {
  {
    ConnectionLease idle = pool.acquire();
    idle.set_reusable(true);
  }
  ConnectionLease leased = pool.acquire();
  leased.set_reusable(true);
  {
    ConnectionLease other = pool.acquire();
    other.set_reusable(true);
  }
  ASSERT_EQ(pool.idle(), 1u);
  pool.invalidate();
  EXPECT_EQ(pool.idle(), 0u);
  { ConnectionLease gone = std::move(leased); }  // opened before the change: not kept
  EXPECT_EQ(pool.idle(), 0u);
  {
    ConnectionLease fresh = pool.acquire();
    fresh.set_reusable(true);
  }
  EXPECT_EQ(pool.idle(), 1u);
}

TEST_F(PoolFixture, NoMoreThanTheCapacityWaitsIdleAfterManyConcurrentLeases) {
  std::vector<std::thread> clients;
  std::atomic<int> failures{0};
  // In the first round all 64 hold a lease at once (so 64 connections come back, whatever the
  // scheduling), then they come and go freely.
  std::latch all_holding(64);
  for (int i = 0; i < 64; ++i) {
    clients.emplace_back([&] {
      for (int round = 0; round < 5; ++round) {
        try {
          ConnectionLease lease = pool.acquire();
          lease.connection().prepare_cached("SELECT 1")->execute().fetch_all();
          lease.set_reusable(true);
          if (round == 0) all_holding.arrive_and_wait();
        } catch (const std::exception&) {
          ++failures;
          if (round == 0) all_holding.count_down();  // the others must not wait for this one
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(pool.idle(), pool.capacity());
  EXPECT_EQ(pool.idle(), 4u);
  EXPECT_EQ(pool.reused() + static_cast<uint64_t>(opened.load()), 320u);
}

TEST_F(PoolFixture, AMovedLeaseGivesItsConnectionBackOnce) {
  {
    ConnectionLease a = pool.acquire();
    a.set_reusable(true);
    ConnectionLease b = std::move(a);
  }
  EXPECT_EQ(pool.idle(), 1u);
}

TEST(ConnectionPoolSetup, ACapacityOfZeroIsRefused) {
  engine::Database db;
  EXPECT_THROW(ConnectionPool([&] { return db.connect(); }, 0), Error);
}

TEST_F(PoolFixture, AFinishedQueryGivesItsConnectionBackButACancelledOneDoesNot) {
  QueryRegistry registry(ServerOptions{}, [](const engine::Connection& c) { c.interrupt(); });
  {
    ConnectionLease lease = pool.acquire();
    lease.set_reusable(true);
    auto query = registry.start(std::move(lease));
    query->result = query->connection().prepare_cached("SELECT 1")->execute();
    registry.finish(query->id());
  }
  EXPECT_EQ(pool.idle(), 1u);
  {
    ConnectionLease lease = pool.acquire();
    lease.set_reusable(true);
    auto query = registry.start(std::move(lease));
    ASSERT_TRUE(registry.cancel(query->id()));
    registry.finish(query->id());
  }
  EXPECT_EQ(pool.idle(), 0u);
}

TEST_F(PoolFixture, AQueryCancelledWhileRunningIsNotReusedAndTheNextQueryRuns) {
  QueryRegistry registry(ServerOptions{}, [](const engine::Connection& c) { c.interrupt(); });
  uint64_t cancelled_id = 0;
  {
    ConnectionLease lease = pool.acquire();
    lease.set_reusable(true);
    auto query = registry.start(std::move(lease));
    cancelled_id = query->connection().id();
    std::thread canceller([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      registry.cancel(query->id());
    });
    EXPECT_THROW(
        query->connection()
            .prepare_cached("SELECT count(*) FROM range(1000000000000) a, range(1000) b WHERE a.range > b.range")
            ->execute()
            .fetch_all(),
        Error);
    canceller.join();
    EXPECT_EQ(query->stop_reason(), StopReason::cancelled);
    registry.finish(query->id());
  }
  EXPECT_EQ(pool.idle(), 0u);
  ConnectionLease next = pool.acquire();
  EXPECT_NE(next.connection().id(), cancelled_id);
  auto rows = next.connection().prepare_cached("SELECT 7")->execute().fetch_all();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].to_string(), "7");
}

}  // namespace
}  // namespace pond::server
