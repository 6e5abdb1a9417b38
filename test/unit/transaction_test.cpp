// engine::Transaction: rolled back unless committed.

#include "engine/transaction.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "engine/database.hpp"
#include "engine/error.hpp"

namespace pond::engine {
namespace {

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override { connection_.query("CREATE TABLE t(i INTEGER)"); }
  int64_t count() { return connection_.query("SELECT count(*) FROM t").fetch_all().at(0).at(0).as_int64(); }

  Database db_;
  Connection connection_ = db_.connect();
};

TEST_F(TransactionTest, CommitKeepsChanges) {
  {
    Transaction tx(connection_);
    EXPECT_TRUE(tx.active());
    connection_.query("INSERT INTO t VALUES (1)");
    tx.commit();
    EXPECT_FALSE(tx.active());
  }
  EXPECT_EQ(count(), 1);
}

TEST_F(TransactionTest, ScopeExitWithoutCommitRollsBack) {
  {
    Transaction tx(connection_);
    connection_.query("INSERT INTO t VALUES (1)");
    EXPECT_EQ(count(), 1);
  }
  EXPECT_EQ(count(), 0);
}

TEST_F(TransactionTest, ExceptionRollsBack) {
  try {
    Transaction tx(connection_);
    connection_.query("INSERT INTO t VALUES (1)");
    throw std::runtime_error("step two failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(count(), 0);
}

TEST_F(TransactionTest, FailedStatementInsideAbortsAndDestructorCleansUp) {
  {
    Transaction tx(connection_);
    connection_.query("INSERT INTO t VALUES (1)");
    EXPECT_THROW(connection_.query("INSERT INTO t VALUES ('x')"), Error);
  }
  EXPECT_EQ(count(), 0);
  connection_.query("INSERT INTO t VALUES (2)");  // the connection is usable again
  EXPECT_EQ(count(), 1);
}

TEST_F(TransactionTest, ExplicitRollbackThenDestructorDoesNothing) {
  Transaction tx(connection_);
  connection_.query("INSERT INTO t VALUES (1)");
  tx.rollback();
  EXPECT_FALSE(tx.active());
  EXPECT_EQ(count(), 0);
  tx.rollback();  // a second rollback is harmless
}

TEST_F(TransactionTest, CommitTwiceIsAnInternalError) {
  Transaction tx(connection_);
  tx.commit();
  try {
    tx.commit();
    FAIL() << "expected pond::Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::internal);
  }
}

TEST_F(TransactionTest, NestedTransactionIsRefusedAndTheOuterRollsBack) {
  {
    Transaction outer(connection_);
    connection_.query("INSERT INTO t VALUES (1)");
    EXPECT_THROW(Transaction inner(connection_), Error);
  }
  EXPECT_EQ(count(), 0);
}

TEST_F(TransactionTest, OtherConnectionsDoNotSeeUncommittedRows) {
  Connection other = db_.connect();
  Transaction tx(connection_);
  connection_.query("INSERT INTO t VALUES (1)");
  EXPECT_EQ(other.query("SELECT count(*) FROM t").fetch_all().at(0).at(0).as_int64(), 0);
  tx.commit();
  EXPECT_EQ(other.query("SELECT count(*) FROM t").fetch_all().at(0).at(0).as_int64(), 1);
}

}  // namespace
}  // namespace pond::engine
