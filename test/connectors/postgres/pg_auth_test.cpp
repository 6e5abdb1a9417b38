// A wrong password is not a network error: ATTACH, a reopen whose secret's variable changed,
// a statement that names the source and `pond run` each fail at once with a connector error
// that names the source and says to fix its secret, without waiting or retrying, and no
// password ever shows. A server that is down is still retried (server_down.test).

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "catalog/open_workspace.hpp"
#include "connectors/postgres/postgres_connector.hpp"
#include "engine/sql_text.hpp"
#include "pg_test_support.hpp"
#include "throws_error.hpp"
#include "workspace/workspace.hpp"

namespace pond::test::pg {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr const char* kWrong = "Wr0ng-Pa55word;'\"";
// A broken source is retried on its next use after 1 s (source_manager.cpp); a catalog source
// by default 2 times, after 1 s and 2 s. Failing fast means well under half of those.
constexpr auto kHalfTheBackoff = 500ms;
constexpr auto kHalfTheCatalogRetries = 1500ms;

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

class PgAuthTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    setenv("POND_PG_AUTH_PASSWORD", server_.password.c_str(), 1);
    admin_->exec("CREATE TABLE " + sql::quote_identifier(schema_) +
                 ".orders AS SELECT g AS id FROM generate_series(1, 10) g");
  }
  workspace::WorkspaceOptions options(const std::string& path = ":memory:") {
    workspace::WorkspaceOptions o;
    o.path = path;
    o.connectors.push_back(std::make_shared<connectors::postgres::PostgresConnector>());
    return o;
  }
  std::string attach_sql() {
    return "ATTACH 'host=127.0.0.1 port=" + server_.port + " dbname=" + server_.database +
           "' AS pg (TYPE POSTGRES, SECRET pgs, SCHEMA " + sql::quote_literal(schema_) + ")";
  }
  static constexpr const char* kSecret =
      "CREATE PERSISTENT SECRET pgs (TYPE POSTGRES, USER 'pond', PASSWORD_ENV 'POND_PG_AUTH_PASSWORD')";

  // Runs `statement`, which must fail; returns the error and how long it took.
  static std::pair<Error, Clock::duration> failure(workspace::Workspace& ws, const std::string& statement) {
    return pond::test::timed_failure([&] { ws.execute(statement); });
  }
  void expect_no_password(const std::string& text) {
    EXPECT_FALSE(has(text, kWrong)) << text;
    EXPECT_FALSE(has(text, server_.password)) << text;
  }
  // The workspace at `path`, with the source registered, opened again once the secret's
  // variable holds the wrong password.
  workspace::Workspace reopened_with_wrong_password(const std::string& path) {
    {
      workspace::Workspace ws(options(path));
      ws.execute(kSecret);
      ws.execute(attach_sql());
    }
    setenv("POND_PG_AUTH_PASSWORD", kWrong, 1);
    return workspace::Workspace(options(path));
  }
};

TEST_F(PgAuthTest, TheConnectorMarksRefusedCredentialsAsNotWorthRetryingAndAnUnreachableServerAsWorthIt) {
  auto open_error = [](const workspace::ConnectionSettings& settings) {
    try {
      connectors::postgres::PostgresConnector().open(settings);
    } catch (const Error& e) {
      return e;
    }
    return Error(ErrorKind::internal, "no error");
  };
  workspace::ConnectionSettings wrong = settings_for(server_);
  wrong.secret["password"] = kWrong;
  workspace::ConnectionSettings nobody = settings_for(server_);
  nobody.secret["user"] = "nobody_here";
  workspace::ConnectionSettings no_db = settings_for(server_);
  no_db.location = "host=127.0.0.1 port=" + server_.port + " dbname=no_such_db";
  for (const auto& settings : {wrong, nobody, no_db}) {
    Error e = open_error(settings);
    EXPECT_EQ(e.kind(), ErrorKind::connector) << e.what();
    EXPECT_TRUE(e.retry_futile()) << e.what();
    expect_no_password(e.what());
  }
  workspace::ConnectionSettings down = settings_for(server_);
  down.location = "host=127.0.0.1 port=1 dbname=pond_test";
  Error e = open_error(down);
  EXPECT_EQ(e.kind(), ErrorKind::connector) << e.what();
  EXPECT_FALSE(e.retry_futile()) << e.what();
}

TEST_F(PgAuthTest, AWrongPasswordAtAttachFailsAtOnceNamingTheSourceAndItsSecret) {
  setenv("POND_PG_AUTH_PASSWORD", kWrong, 1);
  workspace::Workspace ws(options());
  ws.execute(kSecret);
  auto [e, took] = failure(ws, attach_sql());
  std::string message = e.what();
  EXPECT_EQ(e.kind(), ErrorKind::connector) << message;
  EXPECT_TRUE(e.retry_futile()) << message;
  EXPECT_TRUE(has(message, "cannot attach 'pg': postgres source 'pg'")) << message;
  EXPECT_TRUE(has(message, "authentication failed for user 'pond'; check the password in the source's secret"))
      << message;
  EXPECT_LT(took, kHalfTheBackoff);
  expect_no_password(message);
  EXPECT_TRUE(ws.sources().empty());
}

TEST_F(PgAuthTest, AWrongPasswordAtReopenIsNotRetriedUntilTheSecretChanges) {
  TempPath dir;
  workspace::Workspace ws = reopened_with_wrong_password(dir.file("ws.duckdb"));
  std::vector<workspace::SourceInfo> sources = ws.sources();
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_FALSE(sources[0].available);
  EXPECT_TRUE(sources[0].retry_futile);
  EXPECT_TRUE(has(sources[0].reason, "authentication failed")) << sources[0].reason;
  expect_no_password(sources[0].reason);

  auto [e, took] = failure(ws, "SELECT count(*) FROM pg.orders");
  std::string message = e.what();
  EXPECT_EQ(e.kind(), ErrorKind::connector) << message;
  EXPECT_TRUE(has(message, "source 'pg' is unavailable and is not retried: postgres source 'pg'")) << message;
  EXPECT_TRUE(has(message, "fix its secret")) << message;
  EXPECT_LT(took, kHalfTheBackoff);
  expect_no_password(message);

  // The right password is back in the variable and the 1 s backoff has passed: a source that
  // were retried would now come back. This one is not tried again ...
  setenv("POND_PG_AUTH_PASSWORD", server_.password.c_str(), 1);
  std::this_thread::sleep_for(1100ms);
  auto [again, again_took] = failure(ws, "SELECT count(*) FROM pg.orders");
  EXPECT_TRUE(has(again.what(), "is not retried")) << again.what();
  EXPECT_LT(again_took, kHalfTheBackoff);
  auto [materialize, _] = failure(ws, "MATERIALIZE m FROM pg AS 'SELECT 1'");
  EXPECT_EQ(materialize.kind(), ErrorKind::connector) << materialize.what();
  EXPECT_TRUE(has(materialize.what(), "is not retried")) << materialize.what();
  EXPECT_TRUE(has(ws.show_sources().fetch_all().at(0).at(4).to_string(), "unavailable: "));
  // ... until its secret changes.
  ws.execute("CREATE OR REPLACE " + std::string(kSecret).substr(7));
  EXPECT_EQ(ws.execute("SELECT count(*) FROM pg.orders").fetch_all()[0][0].as_int64(), 10);
  EXPECT_TRUE(ws.sources().at(0).available);
}

TEST_F(PgAuthTest, ATestOfTheConnectionTriesARefusedSourceAgainAndASuccessMakesItUsable) {
  TempPath dir;
  workspace::Workspace ws = reopened_with_wrong_password(dir.file("ws.duckdb"));
  ASSERT_TRUE(ws.sources().at(0).retry_futile);

  // Still the wrong password: the test reports the refusal (no password), and the source stays
  // unavailable and not retried on use.
  auto [refused, refused_took] = pond::test::timed_failure([&] { ws.ping_source("pg"); });
  EXPECT_EQ(refused.kind(), ErrorKind::connector) << refused.what();
  EXPECT_TRUE(has(refused.what(), "source 'pg' is unavailable: postgres source 'pg'")) << refused.what();
  EXPECT_TRUE(has(refused.what(), "authentication failed for user 'pond'")) << refused.what();
  EXPECT_TRUE(has(refused.what(), "not retried on use until a test of its connection succeeds")) << refused.what();
  expect_no_password(refused.what());
  EXPECT_TRUE(ws.sources().at(0).retry_futile);
  EXPECT_TRUE(has(failure(ws, "SELECT count(*) FROM pg.orders").first.what(), "is not retried"));

  // The right password is back in the variable: a use still does not try (the mark stays) ...
  setenv("POND_PG_AUTH_PASSWORD", server_.password.c_str(), 1);
  EXPECT_TRUE(has(failure(ws, "SELECT count(*) FROM pg.orders").first.what(), "is not retried"));
  // ... an explicit test does, and clears it.
  ws.ping_source("pg");
  workspace::SourceInfo info = ws.sources().at(0);
  EXPECT_TRUE(info.available) << info.reason;
  EXPECT_FALSE(info.retry_futile);
  EXPECT_EQ(ws.execute("SELECT count(*) FROM pg.orders").fetch_all()[0][0].as_int64(), 10);
}

TEST_F(PgAuthTest, ATestOfTheConnectionOfAnUnknownSourceIsNotFound) {
  workspace::Workspace ws(options());
  EXPECT_TRUE(pond::test::throws_error([&] { ws.ping_source("nope'; DROP TABLE x; --"); }, ErrorKind::not_found,
                                       "no source named"));
}

class PgAuthCatalogTest : public PgAuthTest {
 protected:
  // Default retries (2) and retry_backoff (1 s) unless `retries` says otherwise.
  std::string write_catalog(const std::string& port, const std::string& retries = "") {
    std::string path = dir_.file("catalog.yaml");
    std::ofstream(path) << "version: 1\nworkspace: ws.duckdb\nsecrets:\n  pg_secret: { type: postgres, user: \""
                        << server_.user << "\", password: \"${POND_PG_AUTH_PASSWORD}\" }\n"
                        << "sources:\n  shop: { type: postgres, dsn: \"host=" << server_.host << " port=" << port
                        << " dbname=" << server_.database << "\", secret: pg_secret, connect_timeout: 5" << retries
                        << ", options: { schema: " << schema_ << " } }\n"
                        << "views:\n  n: \"SELECT count(*) AS n FROM shop." << schema_ << ".orders\"\n";
    return path;
  }
  catalog::OpenOptions catalog_options() {
    catalog::OpenOptions o;
    o.connectors = {std::make_shared<connectors::postgres::PostgresConnector>()};
    o.log = [this](const std::string& note) { notes_ += note + "\n"; };
    return o;
  }
  // open_workspace, which must fail; returns the error and how long it took.
  std::pair<Error, Clock::duration> apply_failure(const std::string& file, const catalog::OpenOptions& o) {
    Clock::time_point started = Clock::now();
    try {
      catalog::open_workspace(file, o);
    } catch (const Error& e) {
      return {e, Clock::now() - started};
    }
    return {Error(ErrorKind::internal, "no error"), Clock::now() - started};
  }

  TempPath dir_;
  std::string notes_;
};

TEST_F(PgAuthCatalogTest, ANewSourceWithAWrongPasswordFailsWithoutTheCatalogsRetries) {
  setenv("POND_PG_AUTH_PASSWORD", kWrong, 1);
  auto [e, took] = apply_failure(write_catalog(server_.port), catalog_options());
  EXPECT_EQ(e.kind(), ErrorKind::connector) << e.what();
  EXPECT_TRUE(has(e.what(), "source 'shop'")) << e.what();
  EXPECT_TRUE(has(e.what(), "authentication failed")) << e.what();
  EXPECT_FALSE(has(notes_, "retry")) << notes_;
  EXPECT_LT(took, kHalfTheCatalogRetries);
  expect_no_password(std::string(e.what()) + notes_);
}

TEST_F(PgAuthCatalogTest, AKeptSourceWhosePasswordChangedFailsAtOnceOrIsSkippedWithKeepGoing) {
  std::string file = write_catalog(server_.port);
  { catalog::open_workspace(file, catalog_options()); }
  setenv("POND_PG_AUTH_PASSWORD", kWrong, 1);
  auto [e, took] = apply_failure(file, catalog_options());
  EXPECT_EQ(e.kind(), ErrorKind::connector) << e.what();
  EXPECT_TRUE(has(e.what(), "source 'shop' cannot connect, and retrying will not help")) << e.what();
  EXPECT_TRUE(has(e.what(), "fix the source's secret")) << e.what();
  EXPECT_FALSE(has(notes_, "retry")) << notes_;
  EXPECT_LT(took, kHalfTheCatalogRetries);
  expect_no_password(std::string(e.what()) + notes_);

  catalog::OpenOptions keep_going = catalog_options();
  keep_going.keep_going = true;
  Clock::time_point started = Clock::now();
  catalog::OpenedWorkspace opened = catalog::open_workspace(file, keep_going);
  EXPECT_LT(Clock::now() - started, kHalfTheCatalogRetries);
  ASSERT_EQ(opened.report.skipped.size(), 1u);
  EXPECT_TRUE(has(opened.report.skipped[0], "retrying will not help")) << opened.report.skipped[0];
  expect_no_password(opened.report.skipped[0]);
}

TEST_F(PgAuthCatalogTest, AnUnreachableServerIsStillRetried) {
  auto [e, took] = apply_failure(write_catalog("1", ", retries: 1, retry_backoff: 0.2"), catalog_options());
  EXPECT_EQ(e.kind(), ErrorKind::connector) << e.what();
  EXPECT_TRUE(has(e.what(), "cannot reach the server")) << e.what();
  EXPECT_TRUE(has(notes_, "retry 1 of 1")) << notes_;
  EXPECT_GE(took, 200ms);
}

}  // namespace
}  // namespace pond::test::pg
