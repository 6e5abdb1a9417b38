// C++ table functions registered through the engine: an error raised in bind, init or scan
// reaches the caller with the kind it was raised with, and bind sees the running connection.

#include <gtest/gtest.h>

#include <atomic>
#include <optional>

#include "engine/connection.hpp"
#include "engine/database.hpp"
#include "engine/error.hpp"
#include "engine/error_transport.hpp"
#include "engine/table_function.hpp"
#include "test_support.hpp"

namespace pond::engine {
namespace {

using test::throws_error;

enum class FailAt { nowhere, bind, init, scan };

// failing(stage, kind): one BIGINT column `n` with 3000 rows, or an Error(kind) at `stage`.
class FailingFunction : public TableFunction {
 public:
  std::string name() const override { return "failing"; }
  size_t argument_count() const override { return 2; }
  std::unique_ptr<BoundScan> bind(const BindInput& input) override;

  std::atomic<uint64_t> last_connection_id{~uint64_t{0}};
};

ErrorKind kind_from(const std::string& name) {
  for (ErrorKind kind : {ErrorKind::usage, ErrorKind::not_found, ErrorKind::invalid_input, ErrorKind::connector,
                         ErrorKind::io, ErrorKind::cancelled, ErrorKind::internal}) {
    if (error_kind_name(kind) == name) return kind;
  }
  throw Error(ErrorKind::usage, "no kind " + name);
}

FailAt stage_from(const std::string& name) {
  if (name == "bind") return FailAt::bind;
  if (name == "init") return FailAt::init;
  if (name == "scan") return FailAt::scan;
  return FailAt::nowhere;
}

class Local : public LocalScan {
 public:
  Local(FailAt at, ErrorKind kind) : at_(at), kind_(kind) {}
  size_t scan(OutputChunk& out) override {
    // The first chunk goes through, so that the failure comes mid-stream.
    if (at_ == FailAt::scan && emitted_ > 0) throw Error(kind_, "remote went away after " + std::to_string(emitted_));
    size_t rows = std::min<size_t>(OutputChunk::kCapacity, 3000 - emitted_);
    for (size_t i = 0; i < rows; ++i) out.column(0).set_int(i, static_cast<int64_t>(emitted_ + i));
    emitted_ += rows;
    return rows;
  }

 private:
  FailAt at_;
  ErrorKind kind_;
  size_t emitted_ = 0;
};

class Global : public GlobalScan {
 public:
  Global(FailAt at, ErrorKind kind) : at_(at), kind_(kind) {}
  std::unique_ptr<LocalScan> init_local() override { return std::make_unique<Local>(at_, kind_); }

 private:
  FailAt at_;
  ErrorKind kind_;
};

class Bound : public BoundScan {
 public:
  Bound(FailAt at, ErrorKind kind) : at_(at), kind_(kind) {}
  const std::vector<OutputColumn>& columns() const override { return columns_; }
  std::unique_ptr<GlobalScan> init(const std::vector<size_t>&) override {
    if (at_ == FailAt::init) throw Error(kind_, "cannot start the remote scan");
    return std::make_unique<Global>(at_, kind_);
  }

 private:
  FailAt at_;
  ErrorKind kind_;
  std::vector<OutputColumn> columns_{{"n", ColumnType::of(TypeId::bigint)}};
};

std::unique_ptr<BoundScan> FailingFunction::bind(const BindInput& input) {
  last_connection_id = input.connection_id;
  FailAt at = stage_from(input.arguments.at(0).to_string());
  ErrorKind kind = kind_from(input.arguments.at(1).to_string());
  if (at == FailAt::bind) throw Error(kind, "no such remote table");
  return std::make_unique<Bound>(at, kind);
}

class TableFunctionErrors : public ::testing::Test {
 protected:
  void SetUp() override { register_table_function(connection_, function_); }

  FailingFunction function_;
  Database db_;
  Connection connection_ = db_.connect();
};

TEST_F(TableFunctionErrors, RowsFlowWhenNothingFails) {
  auto rows = connection_.query("SELECT count(*), sum(n) FROM failing('nowhere', 'internal')").fetch_all();
  EXPECT_EQ(rows[0][0].as_int64(), 3000);
  EXPECT_EQ(rows[0][1].as_int64(), 2999 * 3000 / 2);
}

TEST_F(TableFunctionErrors, EachKindRaisedInAScanKeepsItsKind) {
  for (ErrorKind kind : {ErrorKind::cancelled, ErrorKind::connector, ErrorKind::not_found, ErrorKind::io}) {
    std::string sql = "SELECT sum(n) FROM failing('scan', '" + std::string(error_kind_name(kind)) + "')";
    EXPECT_TRUE(throws_error([&] { connection_.query(sql); }, kind, "remote went away after 2048")) << sql;
  }
}

TEST_F(TableFunctionErrors, KindSurvivesBindAndInitToo) {
  EXPECT_TRUE(throws_error([&] { connection_.query("SELECT * FROM failing('bind', 'not_found')"); },
                           ErrorKind::not_found, "no such remote table"));
  EXPECT_TRUE(throws_error([&] { connection_.prepare("SELECT * FROM failing('bind', 'connector')"); },
                           ErrorKind::connector, "no such remote table"));
  EXPECT_TRUE(throws_error([&] { connection_.query("SELECT * FROM failing('init', 'cancelled')"); },
                           ErrorKind::cancelled, "cannot start the remote scan"));
}

TEST_F(TableFunctionErrors, StreamingResultsReportTheKindWhenTheFailureComesMidway) {
  EXPECT_TRUE(throws_error(
      [&] {
        Result result = connection_.query("SELECT n FROM failing('scan', 'connector')", ExecMode::streaming);
        while (result.next_chunk()) {
        }
      },
      ErrorKind::connector, "remote went away"));
}

TEST_F(TableFunctionErrors, MessagesCarryNoMarkerAndNoDuckdbPrefix) {
  try {
    connection_.query("SELECT sum(n) FROM failing('scan', 'cancelled')");
    FAIL() << "no error";
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_EQ(message.find('\x1e'), std::string::npos) << message;
    EXPECT_EQ(message.find("pond-error"), std::string::npos) << message;
    EXPECT_EQ(message.rfind("remote went away after 2048", 0), 0u) << message;
  }
}

TEST_F(TableFunctionErrors, OtherErrorsKeepTheirOwnKind) {
  EXPECT_TRUE(throws_error([&] { connection_.query("SELECT * FROM failing('nowhere')"); }, ErrorKind::invalid_input));
  EXPECT_TRUE(throws_error([&] { connection_.query("SELECT * FROM no_such_table"); }, ErrorKind::not_found));
}

TEST_F(TableFunctionErrors, BindSeesTheIdOfTheConnectionRunningTheQuery) {
  Connection other = db_.connect();
  EXPECT_NE(connection_.id(), other.id());
  connection_.query("SELECT * FROM failing('nowhere', 'internal')");
  EXPECT_EQ(function_.last_connection_id.load(), connection_.id());
  other.query("SELECT * FROM failing('nowhere', 'internal')");
  EXPECT_EQ(function_.last_connection_id.load(), other.id());
}

TEST(ErrorTransport, MarkerRoundTripsAndUnmarkedMessagesAreLeftAlone) {
  std::string marked = "Invalid Input Error: " + detail::message_for_duckdb(Error(ErrorKind::cancelled, "stop"));
  EXPECT_EQ(detail::take_error_kind(marked), ErrorKind::cancelled);
  EXPECT_EQ(marked, "stop");
  std::string plain = "Invalid Input Error: stop";
  EXPECT_EQ(detail::take_error_kind(plain), std::nullopt);
  EXPECT_EQ(plain, "Invalid Input Error: stop");
  std::string forged = "\x1epond-error:bogus\x1fstop";
  EXPECT_EQ(detail::take_error_kind(forged), std::nullopt);
  EXPECT_EQ(detail::message_for_duckdb(std::runtime_error("plain")), "plain");
}

}  // namespace
}  // namespace pond::engine
