// engine::StatementCache and Connection::prepare_cached: hits, LRU eviction, evicted
// statements held by a caller.

#include "engine/statement_cache.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "engine/connection.hpp"
#include "engine/database.hpp"

namespace pond::engine {
namespace {

class StatementCacheTest : public ::testing::Test {
 protected:
  std::shared_ptr<PreparedStatement> get(StatementCache& cache, const std::string& sql) {
    return cache.get(sql, [this](const std::string& text) { return connection_.prepare(text); });
  }

  Database db_;
  Connection connection_ = db_.connect();
};

TEST_F(StatementCacheTest, SameSqlIsAHit) {
  std::vector<Param> params{int64_t{1}};
  connection_.execute("SELECT ? + 1", params);
  connection_.execute("SELECT ? + 1", params);
  StatementCache& cache = connection_.statement_cache();
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(connection_.prepare_cached("SELECT ? + 1"), connection_.prepare_cached("SELECT ? + 1"));
}

TEST_F(StatementCacheTest, DifferentTextIsAMiss) {
  connection_.prepare_cached("SELECT 1");
  connection_.prepare_cached("SELECT  1");
  EXPECT_EQ(connection_.statement_cache().misses(), 2u);
  EXPECT_EQ(connection_.statement_cache().hits(), 0u);
}

TEST_F(StatementCacheTest, ConnectionCacheIsBounded) {
  StatementCache& cache = connection_.statement_cache();
  EXPECT_EQ(cache.capacity(), Connection::kDefaultCacheCapacity);
  for (size_t i = 0; i < Connection::kDefaultCacheCapacity + 10; ++i) {
    connection_.prepare_cached("SELECT " + std::to_string(i));
  }
  EXPECT_EQ(cache.size(), Connection::kDefaultCacheCapacity);
}

TEST_F(StatementCacheTest, LeastRecentlyUsedIsEvictedFirst) {
  StatementCache cache(2);
  get(cache, "SELECT 'a'");
  get(cache, "SELECT 'b'");
  get(cache, "SELECT 'a'");  // a is now more recent than b
  get(cache, "SELECT 'c'");  // evicts b
  EXPECT_EQ(cache.size(), 2u);
  size_t misses = cache.misses();
  get(cache, "SELECT 'a'");
  EXPECT_EQ(cache.misses(), misses) << "a should have stayed";
  get(cache, "SELECT 'b'");
  EXPECT_EQ(cache.misses(), misses + 1) << "b should have been evicted";
}

TEST_F(StatementCacheTest, EvictedStatementHeldByACallerStaysUsable) {
  StatementCache cache(1);
  std::shared_ptr<PreparedStatement> held = get(cache, "SELECT ? * 3");
  get(cache, "SELECT 'other'");  // evicts the held statement
  get(cache, "SELECT 'third'");
  EXPECT_EQ(cache.size(), 1u);
  std::vector<Param> params{int64_t{5}};
  EXPECT_EQ(held->execute(params).fetch_all().at(0).at(0).as_int64(), 15);
}

TEST_F(StatementCacheTest, ZeroCapacityCachesNothingButStillPrepares) {
  StatementCache cache(0);
  auto statement = get(cache, "SELECT 9");
  EXPECT_EQ(statement->execute().fetch_all().at(0).at(0).as_int64(), 9);
  EXPECT_EQ(cache.size(), 0u);
}

TEST_F(StatementCacheTest, ClearEmptiesTheCache) {
  connection_.prepare_cached("SELECT 1");
  connection_.statement_cache().clear();
  EXPECT_EQ(connection_.statement_cache().size(), 0u);
}

TEST_F(StatementCacheTest, FailedPrepareIsNotCached) {
  EXPECT_ANY_THROW(connection_.prepare_cached("SELECT * FROM not_yet"));
  connection_.query("CREATE TABLE not_yet AS SELECT 1 AS x");
  EXPECT_EQ(connection_.prepare_cached("SELECT * FROM not_yet")->execute().fetch_all().size(), 1u);
}

TEST_F(StatementCacheTest, CachedStatementSeesSchemaChanges) {
  connection_.query("CREATE TABLE t(i INTEGER)");
  connection_.execute("SELECT * FROM t", {});
  connection_.query("ALTER TABLE t ADD COLUMN j INTEGER");
  connection_.query("INSERT INTO t VALUES (1, 2)");
  Result result = connection_.execute("SELECT * FROM t", {});
  EXPECT_EQ(result.columns().size(), 2u);
  EXPECT_EQ(result.fetch_all().at(0).at(1).as_int64(), 2);
}

}  // namespace
}  // namespace pond::engine
