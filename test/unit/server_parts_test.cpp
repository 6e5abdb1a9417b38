// Units of the HTTP server: request bodies, error mapping, root folders, token comparison,
// the query registry's caps and metrics text.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/database.hpp"
#include "engine/error.hpp"
#include "server/http_error.hpp"
#include "server/metrics.hpp"
#include "server/query_registry.hpp"
#include "server/request_body.hpp"
#include "server/root_folders.hpp"

namespace pond::server {
namespace {

namespace fs = std::filesystem;

int status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return error_body_for(e).status;
  }
  return 200;
}

TEST(RequestBody, EmptyBodyIsAnEmptyObject) {
  RequestBody body = RequestBody::parse("  ", {"sql"});
  EXPECT_FALSE(body.optional_string("sql").has_value());
}

TEST(RequestBody, MalformedJsonIsInvalidJson) {
  try {
    RequestBody::parse("{\"sql\":", {"sql"});
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.code(), "invalid_json");
  }
}

TEST(RequestBody, UnknownFieldIsRefusedNamingIt) {
  try {
    RequestBody::parse(R"({"sqll": 1})", {"sql"});
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_NE(std::string(e.what()).find("'sqll'"), std::string::npos);
  }
}

TEST(RequestBody, ParamsKeepTheirJsonTypes) {
  RequestBody body = RequestBody::parse(R"({"params": [null, true, -3, 2.5, "x"]})", {"params"});
  auto params = body.params("params");
  ASSERT_EQ(params.size(), 5u);
  EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(params[0]));
  EXPECT_EQ(std::get<bool>(params[1]), true);
  EXPECT_EQ(std::get<int64_t>(params[2]), -3);
  EXPECT_EQ(std::get<double>(params[3]), 2.5);
  EXPECT_EQ(std::get<std::string>(params[4]), "x");
}

TEST(RequestBody, WrongTypesAreBadRequests) {
  EXPECT_EQ(status_of([] { RequestBody::parse(R"({"sql": 1})", {"sql"}).required_string("sql"); }), 400);
  EXPECT_EQ(status_of([] { RequestBody::parse(R"({"n": 0})", {"n"}).optional_positive_int("n"); }), 400);
  EXPECT_EQ(status_of([] { RequestBody::parse(R"({"n": 1.5})", {"n"}).optional_positive_int("n"); }), 400);
  EXPECT_EQ(status_of([] { RequestBody::parse(R"({"p": [{}]})", {"p"}).params("p"); }), 400);
  EXPECT_EQ(status_of([] { RequestBody::parse(R"({"o": {"a": 1}})", {"o"}).optional_string_map("o"); }), 400);
  EXPECT_EQ(status_of([] { RequestBody::parse(R"({"b": "yes"})", {"b"}).optional_bool("b", false); }), 400);
}

TEST(HttpStatus, EachErrorKindHasItsStatus) {
  EXPECT_EQ(http_status_for(ErrorKind::usage), 400);
  EXPECT_EQ(http_status_for(ErrorKind::invalid_input), 400);
  EXPECT_EQ(http_status_for(ErrorKind::not_found), 404);
  EXPECT_EQ(http_status_for(ErrorKind::cancelled), 409);
  EXPECT_EQ(http_status_for(ErrorKind::connector), 502);
  EXPECT_EQ(http_status_for(ErrorKind::io), 500);
  EXPECT_EQ(http_status_for(ErrorKind::internal), 500);
  ErrorBody body = error_body_for(Error(ErrorKind::not_found, "no table t"));
  EXPECT_EQ(body.body["code"], "not_found");
  EXPECT_EQ(body.body["message"], "no table t");
  EXPECT_TRUE(body.body.contains("detail"));
}

class RootFoldersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("pond-roots-" + std::to_string(getpid()));
    fs::create_directories(root_ / "data");
    std::ofstream(root_ / "data" / "a.csv") << "x\n1\n";
    fs::create_symlink("/etc/hostname", root_ / "data" / "out.csv");
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(RootFoldersTest, AcceptsFilesInsideAndNewFilesInExistingFolders) {
  RootFolders roots({(root_ / "data").string()});
  EXPECT_NO_THROW(roots.check((root_ / "data" / "a.csv").string()));
  EXPECT_NO_THROW(roots.check((root_ / "data" / "new" / "b.duckdb").string()));
}

TEST_F(RootFoldersTest, RefusesDotDotSymlinkAndPrefixEscapes) {
  RootFolders roots({(root_ / "data").string()});
  EXPECT_EQ(status_of([&] { roots.check((root_ / "data" / ".." / "x.csv").string()); }), 403);
  EXPECT_EQ(status_of([&] { roots.check((root_ / "data" / "out.csv").string()); }), 403);
  EXPECT_EQ(status_of([&] { roots.check((root_ / "data" / "*.csv").string()); }), 403);  // matches out.csv
  EXPECT_EQ(status_of([&] { roots.check((root_.string() + "/data2/x.csv")); }), 403);    // shares the prefix
  EXPECT_EQ(status_of([&] { roots.check("/etc/passwd"); }), 403);
  EXPECT_EQ(status_of([&] { roots.check(""); }), 400);
}

TEST_F(RootFoldersTest, WithoutRootsNothingIsAcceptedAndTheMessageNamesTheOption) {
  RootFolders none({});
  EXPECT_TRUE(none.roots().empty());
  try {
    none.check((root_ / "data" / "a.csv").string());
    FAIL() << "a file was accepted without roots";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 403);
    EXPECT_NE(std::string(e.what()).find("--root"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("a.csv"), std::string::npos) << e.what();
  }
}

TEST_F(RootFoldersTest, MissingRootIsAUsageError) { EXPECT_THROW(RootFolders({(root_ / "nope").string()}), Error); }

TEST(ConstantTimeEqual, ComparesWholeTexts) {
  EXPECT_TRUE(constant_time_equal("secret-token", "secret-token"));
  EXPECT_FALSE(constant_time_equal("secret-token", "secret-tokeN"));
  EXPECT_FALSE(constant_time_equal("secret", "secret-token"));
  EXPECT_FALSE(constant_time_equal("", "x"));
}

TEST(QueryRegistry, RefusesQueriesBeyondTheCapWith503) {
  engine::Database db;
  ServerOptions options;
  options.max_concurrent_queries = 1;
  QueryRegistry registry(options, [](const engine::Connection&) {});
  auto first = registry.start(db.connect());
  EXPECT_EQ(status_of([&] { registry.start(db.connect()); }), 503);
  registry.finish(first->id());
  EXPECT_NO_THROW(registry.finish(registry.start(db.connect())->id()));
}

TEST(QueryRegistry, CancelStopsARunningQueryAndUnknownIdsAreReported) {
  engine::Database db;
  QueryRegistry registry(ServerOptions{}, [](const engine::Connection&) {});
  auto query = registry.start(db.connect(), "my-query-1");
  EXPECT_EQ(status_of([&] { registry.start(db.connect(), "my-query-1"); }), 409);
  EXPECT_TRUE(registry.cancel("my-query-1"));
  EXPECT_EQ(query->stop_reason(), StopReason::cancelled);
  EXPECT_THROW(query->throw_if_stopped(), Error);
  EXPECT_FALSE(registry.cancel("other-query"));
}

TEST(QueryRegistry, TimedOutQueriesAreStoppedByTheWatchdog) {
  engine::Database db;
  ServerOptions options;
  options.query_timeout = std::chrono::milliseconds(100);
  QueryRegistry registry(options, [](const engine::Connection&) {});
  auto query = registry.start(db.connect());
  for (int i = 0; i < 100 && query->stop_reason() == StopReason::none; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(query->stop_reason(), StopReason::timeout);
}

TEST(QueryRegistry, IdleHeldResultsExpire) {
  engine::Database db;
  ServerOptions options;
  options.result_ttl = std::chrono::milliseconds(100);
  QueryRegistry registry(options, [](const engine::Connection&) {});
  auto query = registry.start(db.connect());
  registry.hold(query);
  EXPECT_EQ(registry.held(), 1u);
  EXPECT_EQ(registry.running(), 0u);
  for (int i = 0; i < 100 && registry.held() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(registry.held(), 0u);
  EXPECT_EQ(status_of([&] { registry.check_out(query->id()); }), 404);
}

// Records which connections the registry asked to interrupt (remote statements included).
struct InterruptLog {
  std::mutex mutex;
  std::vector<uint64_t> ids;
  ActiveQuery::Interrupter interrupter() {
    return [this](const engine::Connection& c) {
      std::lock_guard lock(mutex);
      ids.push_back(c.id());
    };
  }
  size_t count(uint64_t id) {
    std::lock_guard lock(mutex);
    return static_cast<size_t>(std::count(ids.begin(), ids.end(), id));
  }
};

TEST(QueryRegistry, CancelInterruptsOnlyTheCancelledQuerysConnection) {
  engine::Database db;
  InterruptLog log;
  QueryRegistry registry(ServerOptions{}, log.interrupter());
  auto one = registry.start(db.connect(), "query-one-1");
  auto two = registry.start(db.connect(), "query-two-2");
  ASSERT_TRUE(registry.cancel("query-one-1"));
  EXPECT_EQ(log.count(one->connection().id()), 1u);
  EXPECT_EQ(log.count(two->connection().id()), 0u);
  EXPECT_EQ(two->stop_reason(), StopReason::none);
}

TEST(QueryRegistry, AStoppedQueryThatDoesNotEndHasItsRemoteStatementsCancelledAgain) {
  engine::Database db;
  InterruptLog log;
  QueryRegistry registry(ServerOptions{}, log.interrupter());
  auto query = registry.start(db.connect(), "stuck-query-1");
  auto other = registry.start(db.connect(), "other-query-1");
  registry.cancel("stuck-query-1");
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  EXPECT_GE(log.count(query->connection().id()), 2u);  // at cancel, then once a second
  EXPECT_LE(log.count(query->connection().id()), 3u);  // not every 50 ms
  EXPECT_EQ(log.count(other->connection().id()), 0u);
}

TEST(QueryRegistry, ABorrowingQueryIsInterruptedOnlyWhileItHoldsTheConnection) {
  engine::Database db;
  engine::Connection primary = db.connect();
  InterruptLog log;
  QueryRegistry registry(ServerOptions{}, log.interrupter());
  auto waiting = registry.start_borrowing("waiting-materialize");
  EXPECT_THROW(waiting->connection(), Error);
  registry.cancel("waiting-materialize");  // still waiting for the connection: nothing to interrupt
  EXPECT_EQ(log.count(primary.id()), 0u);
  EXPECT_THROW(waiting->throw_if_stopped(), Error);

  auto running = registry.start_borrowing("running-materialize");
  {
    QueryTargetScope scope(*running, primary);
    registry.cancel("running-materialize");
    EXPECT_EQ(log.count(primary.id()), 1u);
  }
  running->stop(StopReason::timeout);  // after the scope: the connection is no longer its own
  EXPECT_EQ(log.count(primary.id()), 1u);
}

TEST(QueryRegistry, ABorrowingQueryCountsAgainstTheCapAndItsIdMustBeFree) {
  engine::Database db;
  ServerOptions options;
  options.max_concurrent_queries = 1;
  QueryRegistry registry(options, [](const engine::Connection&) {});
  auto query = registry.start_borrowing("refresh-query-1");
  EXPECT_EQ(status_of([&] { registry.start(db.connect()); }), 503);
  registry.finish(query->id());
  auto again = registry.start(db.connect(), "refresh-query-1");
  EXPECT_EQ(status_of([&] { registry.start_borrowing("refresh-query-1"); }), 409);
}

TEST(CheckQueryId, AcceptsEmptyOrEightToSixtyFourSafeCharacters) {
  EXPECT_NO_THROW(check_query_id(""));
  EXPECT_NO_THROW(check_query_id("abc-DEF_0"));
  EXPECT_NO_THROW(check_query_id(std::string(64, 'a')));
  EXPECT_EQ(status_of([] { check_query_id("short"); }), 400);
  EXPECT_EQ(status_of([] { check_query_id(std::string(65, 'a')); }), 400);
  EXPECT_EQ(status_of([] { check_query_id("x'; DROP TABLE t; --"); }), 400);
  EXPECT_EQ(status_of([] { check_query_id("with space 1"); }), 400);
}

TEST(Metrics, RendersCountersAndACumulativeHistogram) {
  Metrics metrics;
  metrics.query_done(std::chrono::milliseconds(2), "");
  metrics.query_done(std::chrono::milliseconds(200), "timeout");
  metrics.request_done("/v1/executeQuery", 200);
  const std::string text = metrics.render(3, 1);
  EXPECT_NE(text.find("pond_queries_total 2\n"), std::string::npos);
  EXPECT_NE(text.find("pond_query_errors_total{code=\"timeout\"} 1"), std::string::npos);
  EXPECT_NE(text.find("pond_query_duration_seconds_bucket{le=\"0.0025\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("pond_query_duration_seconds_bucket{le=\"0.25\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("pond_active_queries 3\n"), std::string::npos);
  EXPECT_NE(text.find("pond_http_requests_total{route=\"/v1/executeQuery\",status=\"200\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace pond::server
