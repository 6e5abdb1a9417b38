// A wrong password (MariaDB error 1045), a database the user may not use (1044) or one that
// does not exist (1049) is not a network error: ATTACH fails at once, a reopen whose secret's
// variable changed lists the source as unavailable and does not try it again on its next
// use (`pond run`: mysql_catalog_test); the message names the source and the secret, and no
// password ever shows (the real `pond` binary for the output). A server that is down is still
// retried (server_down.test).

#include <stdlib.h>

#include <chrono>
#include <thread>

#include "../../e2e/cli_test_support.hpp"
#include "connectors/mysql/mysql_connector.hpp"
#include "mysql_test_support.hpp"
#include "throws_error.hpp"
#include "workspace/workspace.hpp"

namespace pond::connectors::mysql::test {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
using e2e::RunResult;

constexpr const char* kWrong = "Wr0ng-Pa55word;'\"";
// A broken source is retried on its next use after 1 s (source_manager.cpp). Failing fast means well under half of
// that.
constexpr auto kHalfTheBackoff = 500ms;

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

class MysqlAuth : public MysqlTest {
 protected:
  void SetUp() override {
    MysqlTest::SetUp();
    if (IsSkipped()) return;
    setenv("POND_MYSQL_AUTH_PASSWORD", server_.password.c_str(), 1);
    sql("CREATE TABLE orders (id INT PRIMARY KEY)");
    sql("INSERT INTO orders VALUES (1), (2), (3)");
  }
  workspace::WorkspaceOptions options(const std::string& path = ":memory:") {
    workspace::WorkspaceOptions o;
    o.path = path;
    o.connectors.push_back(std::make_shared<MysqlConnector>());
    return o;
  }
  std::string secret_sql() const {
    return "CREATE PERSISTENT SECRET my (TYPE MYSQL, USER '" + server_.user +
           "', PASSWORD_ENV 'POND_MYSQL_AUTH_PASSWORD')";
  }
  std::string attach_sql(const std::string& database) const {
    return "ATTACH 'host=127.0.0.1 port=" + std::to_string(server_.port) + " database=" + database +
           "' AS shop (TYPE MYSQL, SECRET my)";
  }
  static std::pair<Error, Clock::duration> failure(workspace::Workspace& ws, const std::string& statement) {
    return pond::test::timed_failure([&] { ws.execute(statement); });
  }
  void expect_no_password(const std::string& text) {
    EXPECT_FALSE(has(text, kWrong)) << text;
    EXPECT_FALSE(has(text, server_.password)) << text;
  }
  RunResult pond(std::vector<std::string> args) {
    args.insert(args.begin(), {"-w", "ws.duckdb"});
    return e2e::run_pond(args, dir_.path());
  }

  e2e::TempDir dir_;
};

TEST_F(MysqlAuth, AWrongPasswordAnUnknownDatabaseOrAForbiddenOneFailAttachAtOnceAndAreNotWorthRetrying) {
  sql("CREATE USER IF NOT EXISTS 'pond_auth_limited'@'%' IDENTIFIED BY 'limited-Pa55'");
  struct Case {
    std::string password, user, database, expected;
  };
  for (const Case& c : {Case{kWrong, server_.user, database_,
                             "access denied; check the user and the password in the "
                             "source's secret (MySQL error 1045"},
                        Case{server_.password, server_.user, "no_such_database_here", "unknown database"},
                        Case{"limited-Pa55", "pond_auth_limited", database_, "may not use this database"}}) {
    setenv("POND_MYSQL_AUTH_PASSWORD", c.password.c_str(), 1);
    workspace::Workspace ws(options());
    ws.execute("CREATE SECRET my (TYPE MYSQL, USER '" + c.user + "', PASSWORD_ENV 'POND_MYSQL_AUTH_PASSWORD')");
    auto [e, took] = failure(ws, attach_sql(c.database));
    std::string message = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::connector) << message;
    EXPECT_TRUE(e.retry_futile()) << message;
    EXPECT_TRUE(has(message, "cannot attach 'shop': MySQL source 'shop'")) << message;
    EXPECT_TRUE(has(message, c.expected)) << message;
    EXPECT_LT(took, kHalfTheBackoff);
    expect_no_password(message);
    EXPECT_FALSE(has(message, "limited-Pa55")) << message;
    EXPECT_TRUE(ws.sources().empty());
  }
  sql("DROP USER 'pond_auth_limited'@'%'");
}

TEST_F(MysqlAuth, AnUnreachableServerIsStillWorthRetrying) {
  auto settings = settings_for(server_, database_);
  settings.location = "host=127.0.0.1 port=1 user=pond";
  try {
    MysqlConnector().open(settings);
    FAIL() << "connected to port 1";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::connector) << e.what();
    EXPECT_FALSE(e.retry_futile()) << e.what();
  }
}

TEST_F(MysqlAuth, AWrongPasswordAtReopenIsNotRetriedUntilTheSecretChanges) {
  std::string path = (dir_ / "api.duckdb").string();
  {
    workspace::Workspace ws(options(path));
    ws.execute(secret_sql());
    ws.execute(attach_sql(database_));
  }
  setenv("POND_MYSQL_AUTH_PASSWORD", kWrong, 1);
  workspace::Workspace ws(options(path));
  ASSERT_EQ(ws.sources().size(), 1u);
  EXPECT_TRUE(ws.sources()[0].retry_futile);
  auto [e, took] = failure(ws, "SELECT count(*) FROM shop.orders");
  std::string message = e.what();
  EXPECT_EQ(e.kind(), ErrorKind::connector) << message;
  EXPECT_TRUE(has(message, "source 'shop' is unavailable and is not retried: MySQL source 'shop'")) << message;
  EXPECT_TRUE(has(message, "access denied")) << message;
  EXPECT_TRUE(has(message, "fix its secret")) << message;
  EXPECT_LT(took, kHalfTheBackoff);
  expect_no_password(message);
  // Right password back and the 1 s backoff over: a retried source would come back; this one
  // is not tried again until its secret changes.
  setenv("POND_MYSQL_AUTH_PASSWORD", server_.password.c_str(), 1);
  std::this_thread::sleep_for(1100ms);
  auto [again, again_took] = failure(ws, "SELECT count(*) FROM shop.orders");
  EXPECT_TRUE(has(again.what(), "is not retried")) << again.what();
  EXPECT_LT(again_took, kHalfTheBackoff);
  ws.execute("CREATE OR REPLACE " + secret_sql().substr(7));
  EXPECT_EQ(ws.execute("SELECT count(*) FROM shop.orders").fetch_all()[0][0].as_int64(), 3);
}

TEST_F(MysqlAuth, TheCommandLineNamesTheSourceAndNeverShowsAPasswordWhenTheSecretsVariableChanged) {
  ASSERT_EQ(pond({"query", secret_sql()}).exit_code, 0);
  RunResult attached = pond({"query", attach_sql(database_)});
  ASSERT_EQ(attached.exit_code, 0) << attached.err;
  setenv("POND_MYSQL_AUTH_PASSWORD", kWrong, 1);
  RunResult listed = pond({"sources"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(has(listed.out, "unavailable: MySQL source 'shop'")) << listed.out;
  expect_no_password(listed.out + listed.err);
  RunResult query = pond({"query", "SELECT count(*) FROM shop.orders"});
  EXPECT_EQ(query.exit_code, 1);
  EXPECT_TRUE(has(query.err, "source 'shop' is unavailable and is not retried")) << query.err;
  EXPECT_TRUE(has(query.err, "fix its secret")) << query.err;
  expect_no_password(query.out + query.err);
}

}  // namespace
}  // namespace pond::connectors::mysql::test
