// workspace::Workspace through its C++ API: the source registry, restore on open, read-only
// workspaces, scripts, other connections, interrupt.

#include "workspace/workspace.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "engine/error.hpp"
#include "test_support.hpp"

namespace pond::workspace {
namespace {

using namespace std::chrono_literals;

AttachRequest attach_request(const std::string& location, const std::string& alias, bool read_only = false) {
  AttachRequest request;
  request.location = location;
  request.alias = alias;
  request.read_only = read_only;
  return request;
}

class WorkspaceTest : public ::testing::Test {
 protected:
  WorkspaceOptions options(bool read_only = false) const {
    WorkspaceOptions o;
    o.path = dir_.file("ws.duckdb");
    o.read_only = read_only;
    return o;
  }

  // A DuckDB file with table main.t(x) holding `rows` rows.
  std::string make_duckdb_file(const std::string& name, int rows) {
    std::string path = dir_.file(name);
    engine::DatabaseOptions o;
    o.path = path;
    engine::Database db(o);
    db.connect().query("CREATE TABLE t AS SELECT range AS x FROM range(" + std::to_string(rows) + ")");
    return path;
  }

  static int64_t scalar(Workspace& ws, const std::string& sql) {
    return ws.execute(sql).fetch_all().at(0).at(0).as_int64();
  }

  test::TempDir dir_;
};

TEST_F(WorkspaceTest, InMemoryWorkspaceStartsWithNoSources) {
  Workspace ws;
  EXPECT_TRUE(ws.sources().empty());
  EXPECT_EQ(scalar(ws, "SELECT 40 + 2"), 42);
  engine::Result shown = ws.show_sources();
  std::vector<std::string> names;
  for (const auto& c : shown.columns()) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"alias", "kind", "location", "read_only", "status", "tables"}));
  EXPECT_EQ(shown.columns()[3].type, engine::TypeId::boolean);
  EXPECT_TRUE(shown.fetch_all().empty());
}

TEST_F(WorkspaceTest, AttachedSourceIsRestoredOnReopen) {
  std::string file = make_duckdb_file("shop.duckdb", 3);
  {
    Workspace ws(options());
    ws.attach(attach_request(file, "shop", true));
    EXPECT_EQ(scalar(ws, "SELECT count(*) FROM shop.t"), 3);
  }
  Workspace ws(options());
  EXPECT_EQ(scalar(ws, "SELECT count(*) FROM shop.t"), 3);
  std::vector<SourceInfo> sources = ws.sources();
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].record.alias, "shop");
  EXPECT_EQ(sources[0].record.kind, SourceKind::duckdb);
  EXPECT_EQ(sources[0].record.location, file);
  EXPECT_TRUE(sources[0].record.read_only);
  EXPECT_TRUE(sources[0].available);
  EXPECT_EQ(sources[0].tables, std::vector<std::string>{"main.t"});
  EXPECT_FALSE(sources[0].record.created_at.empty());
}

TEST_F(WorkspaceTest, AliasDefaultsToTheFileStem) {
  std::string file = make_duckdb_file("sales_2024.duckdb", 1);
  Workspace ws(options());
  AttachRequest request;
  request.location = file;
  ws.attach(request);
  EXPECT_EQ(ws.sources().at(0).record.alias, "sales_2024");
  EXPECT_EQ(scalar(ws, "SELECT count(*) FROM sales_2024.t"), 1);
}

TEST_F(WorkspaceTest, RelativePathsAreStoredAbsolute) {
  make_duckdb_file("rel.duckdb", 2);
  std::filesystem::path previous = std::filesystem::current_path();
  std::filesystem::current_path(dir_.path());
  {
    Workspace ws(options());
    ws.execute("ATTACH 'rel.duckdb' AS rel");
    ws.execute("COPY (SELECT 1 AS one) TO 'one.parquet'");
    ws.execute("USE './one.parquet' AS one");
  }
  std::filesystem::current_path("/");
  Workspace ws(options());
  std::filesystem::current_path(previous);
  EXPECT_EQ(scalar(ws, "SELECT count(*) FROM rel.t"), 2);
  EXPECT_EQ(scalar(ws, "SELECT one FROM one"), 1);
  for (const SourceInfo& s : ws.sources()) {
    EXPECT_TRUE(std::filesystem::path(s.record.location).is_absolute()) << s.record.location;
    EXPECT_TRUE(s.available) << s.reason;
  }
}

TEST_F(WorkspaceTest, MustExistRefusesAMissingFile) {
  Workspace ws(options());
  AttachRequest request = attach_request(dir_.file("nope.duckdb"), "nope");
  request.must_exist = true;
  EXPECT_TRUE(test::throws_error([&] { ws.attach(request); }, ErrorKind::not_found, "nope.duckdb"));
  EXPECT_FALSE(std::filesystem::exists(dir_.file("nope.duckdb")));
  EXPECT_TRUE(ws.sources().empty());
}

TEST_F(WorkspaceTest, AttachIfNotExistsIsIdempotent) {
  std::string file = make_duckdb_file("a.duckdb", 1);
  Workspace ws(options());
  AttachRequest request = attach_request(file, "a");
  request.if_not_exists = true;
  ws.attach(request);
  ws.attach(request);
  ws.execute("ATTACH IF NOT EXISTS '" + file + "' AS a");
  EXPECT_EQ(ws.sources().size(), 1u);
}

TEST_F(WorkspaceTest, UseFilesThroughTheApi) {
  dir_.write("a.csv", "k,v\nx,1\ny,2\n");
  Workspace ws(options());
  ws.use_files(UseFilesRequest{dir_.file("*.csv"), "kv", ""});
  EXPECT_EQ(scalar(ws, "SELECT sum(v) FROM kv"), 3);
  SourceInfo info = ws.sources().at(0);
  EXPECT_EQ(info.record.kind, SourceKind::files);
  EXPECT_EQ(info.record.format, "csv");
  EXPECT_EQ(info.tables, std::vector<std::string>{"kv"});
  ws.detach("kv");
  EXPECT_THROW(ws.execute("SELECT * FROM kv"), Error);
}

TEST_F(WorkspaceTest, DetachUnknownAliasIsNotFoundUnlessIfExists) {
  Workspace ws(options());
  EXPECT_TRUE(test::throws_error([&] { ws.detach("ghost"); }, ErrorKind::not_found, "ghost"));
  ws.detach("ghost", true);
}

TEST_F(WorkspaceTest, RegistryLivesInTheWorkspaceFile) {
  std::string file = make_duckdb_file("r.duckdb", 1);
  {
    Workspace ws(options());
    ws.attach(attach_request(file, "r"));
  }
  engine::DatabaseOptions o;
  o.path = dir_.file("ws.duckdb");
  engine::Database db(o);
  engine::Connection connection = db.connect();
  auto rows = connection.query("SELECT alias, kind, location FROM pond_meta.sources").fetch_all();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].to_string(), "r");
  EXPECT_EQ(rows[0][1].to_string(), "duckdb");
  EXPECT_EQ(rows[0][2].to_string(), file);
  auto version = connection.query("SELECT value FROM pond_meta.info WHERE key = 'registry_version'").fetch_all();
  ASSERT_EQ(version.size(), 1u);
  EXPECT_FALSE(version[0][0].to_string().empty());
}

TEST_F(WorkspaceTest, ReadOnlyWorkspaceRestoresSourcesButRefusesChanges) {
  std::string file = make_duckdb_file("ro.duckdb", 4);
  {
    Workspace ws(options());
    ws.attach(attach_request(file, "ro"));
  }
  Workspace ws(options(true));
  EXPECT_TRUE(ws.read_only());
  EXPECT_EQ(scalar(ws, "SELECT count(*) FROM ro.t"), 4);
  std::string other = make_duckdb_file("other.duckdb", 1);
  EXPECT_TRUE(
      test::throws_error([&] { ws.attach(attach_request(other, "other")); }, ErrorKind::invalid_input, "read-only"));
  EXPECT_TRUE(test::throws_error([&] { ws.detach("ro"); }, ErrorKind::invalid_input, "read-only"));
  EXPECT_THROW(ws.execute("CREATE TABLE t(i INTEGER)"), Error);
  EXPECT_EQ(ws.sources().size(), 1u);
}

TEST_F(WorkspaceTest, ReadOnlyOpenOfANewFileFails) { EXPECT_THROW(Workspace ws(options(true)), Error); }

TEST_F(WorkspaceTest, ExecuteScriptRunsEveryStatementInOrder) {
  Workspace ws(options());
  std::vector<std::string> seen;
  int64_t last = 0;
  ws.execute_script(
      "CREATE TABLE t(s VARCHAR); INSERT INTO t VALUES ('a;b'), ('c'); -- comment;\nSELECT count(*) FROM t;",
      [&](std::string_view statement, engine::Result& result) {
        seen.emplace_back(statement);
        if (result.returns_rows()) last = result.fetch_all().at(0).at(0).as_int64();
      });
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1], "INSERT INTO t VALUES ('a;b'), ('c')");
  EXPECT_EQ(last, 2);
}

TEST_F(WorkspaceTest, ExecuteScriptStopsAtTheFirstError) {
  Workspace ws(options());
  int calls = 0;
  EXPECT_THROW(ws.execute_script("CREATE TABLE a(i INTEGER); SELECT * FROM missing; CREATE TABLE b(i INTEGER)",
                                 [&](std::string_view, engine::Result&) { ++calls; }),
               Error);
  EXPECT_EQ(calls, 1);
  EXPECT_THROW(ws.execute("SELECT * FROM b"), Error);
}

TEST_F(WorkspaceTest, OtherConnectionsSeeSources) {
  std::string file = make_duckdb_file("shared.duckdb", 5);
  Workspace ws(options());
  ws.attach(attach_request(file, "shared"));
  std::atomic<int> ok{0};
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < 3; ++i) {
      threads.emplace_back([&ws, &ok] {
        engine::Connection connection = ws.open_connection();
        if (connection.query("SELECT count(*) FROM shared.t").fetch_all().at(0).at(0).as_int64() == 5) ++ok;
      });
    }
  }
  EXPECT_EQ(ok.load(), 3);
}

TEST_F(WorkspaceTest, OtherConnectionsFindMaterializationsByBareNameBeforeAndAfterEphemeralOnes) {
  std::string file = make_duckdb_file("src.duckdb", 5);
  Workspace ws(options());
  ws.attach(attach_request(file, "src"));
  EXPECT_EQ(ws.materialize("kept", "src", "SELECT * FROM src.t", true), 5);
  auto count = [](engine::Connection& connection, const std::string& table) {
    return connection.query("SELECT count(*) FROM " + table).fetch_all().at(0).at(0).as_int64();
  };
  engine::Connection before = ws.open_connection();
  EXPECT_EQ(count(before, "kept"), 5);
  EXPECT_EQ(ws.materialize("eph", "src", "SELECT * FROM src.t WHERE x < 2", false), 2);
  engine::Connection after = ws.open_connection();
  EXPECT_EQ(count(after, "eph"), 2);
  EXPECT_EQ(count(after, "kept"), 5);
}

TEST_F(WorkspaceTest, SourceChangesFromManyThreadsAreSerialized) {
  Workspace ws(options());
  for (int i = 0; i < 4; ++i) dir_.write("f" + std::to_string(i) + ".csv", "n\n" + std::to_string(i) + "\n");
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([this, &ws, i] {
        std::string name = "f" + std::to_string(i);
        ws.use_files(UseFilesRequest{dir_.file(name + ".csv"), name, ""});
      });
    }
  }
  EXPECT_EQ(ws.sources().size(), 4u);
  EXPECT_EQ(scalar(ws, "SELECT f0.n + f1.n + f2.n + f3.n FROM f0, f1, f2, f3"), 6);
}

TEST_F(WorkspaceTest, InterruptCancelsTheRunningStatement) {
  Workspace ws(options());
  std::atomic<bool> done{false};
  std::jthread canceller([&](std::stop_token stop) {
    while (!stop.stop_requested() && !done) {
      std::this_thread::sleep_for(100ms);
      ws.interrupt();
    }
  });
  EXPECT_TRUE(
      test::throws_error([&] { ws.execute("SELECT sum(a.range * b.range) FROM range(200000) a, range(200000) b"); },
                         ErrorKind::cancelled));
  done = true;
  EXPECT_EQ(scalar(ws, "SELECT 1"), 1);
}

TEST_F(WorkspaceTest, BrokenSourceIsUnavailableNotFatal) {
  std::string file = make_duckdb_file("broken.duckdb", 1);
  {
    Workspace ws(options());
    ws.attach(attach_request(file, "broken"));
  }
  std::filesystem::remove(file);
  Workspace ws(options());
  SourceInfo info = ws.sources().at(0);
  EXPECT_FALSE(info.available);
  EXPECT_NE(info.reason.find(file), std::string::npos) << info.reason;
  EXPECT_TRUE(test::throws_error([&] { ws.execute("SELECT * FROM broken.t"); }, ErrorKind::not_found,
                                 "source 'broken' is unavailable"));
  ws.detach("broken");
  EXPECT_TRUE(ws.sources().empty());
}

TEST_F(WorkspaceTest, CorruptFileIsUnavailableWithDuckDbsReason) {
  std::string file = make_duckdb_file("corrupt.duckdb", 1);
  {
    Workspace ws(options());
    ws.attach(attach_request(file, "corrupt"));
  }
  dir_.write("corrupt.duckdb", std::string(8192, 'x'));
  Workspace ws(options());
  SourceInfo info = ws.sources().at(0);
  EXPECT_FALSE(info.available);
  EXPECT_FALSE(info.reason.empty());
  ws.detach("corrupt");
}

TEST_F(WorkspaceTest, BrokenSourceComesBackWithoutReopening) {
  std::string file = make_duckdb_file("later.duckdb", 2);
  {
    Workspace ws(options());
    ws.attach(attach_request(file, "later"));
  }
  std::filesystem::rename(file, file + ".away");
  Workspace ws(options());
  EXPECT_FALSE(ws.sources().at(0).available);
  std::filesystem::rename(file + ".away", file);
  // A statement naming the source retries it, at most once a second.
  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(scalar(ws, "SELECT count(*) FROM later.t"), 2);
  EXPECT_TRUE(ws.sources().at(0).available);
}

TEST_F(WorkspaceTest, InMemoryDatabaseAttachedThroughSqlCanBeDetached) {
  Workspace ws(options());
  ws.execute("ATTACH ':memory:' AS scratch");
  ws.execute("CREATE TABLE scratch.t AS SELECT 1 AS x");
  EXPECT_TRUE(ws.sources().empty()) << "an in-memory database is not a registered source";
  ws.execute("DETACH scratch");
  EXPECT_THROW(ws.execute("SELECT * FROM scratch.t"), Error);
}

TEST_F(WorkspaceTest, SecretsCreatedThroughTheApiAreListedWithoutValuesAndDropped) {
  Workspace ws(options());
  ws.create_secret(SecretDefinition{"tmp", "postgres", false, {{"user", "u"}, {"password", "hunter2"}}}, false);
  ws.create_secret(SecretDefinition{"kept", "mysql", true, {{"user", "u"}, {"password_env", "PW"}}}, false);
  EXPECT_TRUE(test::throws_error(
      [&] {
        ws.create_secret(SecretDefinition{"tmp", "postgres", false, {{"user", "v"}}}, false);
      },
      ErrorKind::invalid_input, "already exists"));
  ws.create_secret(SecretDefinition{"tmp", "postgres", false, {{"user", "v"}}}, true);
  EXPECT_TRUE(test::throws_error(
      [&] {
        ws.create_secret(SecretDefinition{"bad", "postgres", true, {{"password", "hunter2"}}}, false);
      },
      ErrorKind::invalid_input, "PASSWORD_ENV"));
  auto rows = ws.execute("SHOW SECRETS").fetch_all();
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) {
    for (const auto& value : row) EXPECT_EQ(value.to_string().find("hunter2"), std::string::npos);
  }
  EXPECT_TRUE(ws.drop_secret("tmp", false));
  EXPECT_TRUE(ws.drop_secret("KEPT", false));
  EXPECT_FALSE(ws.drop_secret("kept", true));
  EXPECT_TRUE(test::throws_error([&] { ws.drop_secret("kept", false); }, ErrorKind::not_found, "kept"));
}

TEST_F(WorkspaceTest, DropMaterializationRemovesTableAndProvenance) {
  std::string file = make_duckdb_file("src.duckdb", 5);
  Workspace ws(options());
  ws.attach(attach_request(file, "src"));
  EXPECT_EQ(ws.materialize("m", "src", "SELECT * FROM src.t", true), 5);
  ws.drop_materialization("m", false);
  EXPECT_TRUE(ws.execute("SHOW MATERIALIZATIONS").fetch_all().empty());
  EXPECT_TRUE(test::throws_error([&] { ws.execute("SELECT * FROM m"); }, ErrorKind::not_found, "m"));
  ws.drop_materialization("m", true);
  EXPECT_TRUE(test::throws_error([&] { ws.drop_materialization("m", false); }, ErrorKind::not_found, "m"));
}

TEST_F(WorkspaceTest, RetrySourceRestoresASourceThatCameBackWithoutWaitingForItsBackoff) {
  std::string file = make_duckdb_file("back.duckdb", 2);
  {
    Workspace ws(options());
    ws.attach(attach_request(file, "back"));
  }
  std::filesystem::rename(file, file + ".away");
  Workspace ws(options());
  EXPECT_FALSE(ws.retry_source("back").available);
  std::filesystem::rename(file + ".away", file);
  SourceInfo info = ws.retry_source("BACK");
  EXPECT_TRUE(info.available) << info.reason;
  EXPECT_EQ(ws.execute("SELECT count(*) FROM back.t").fetch_all()[0][0].as_int64(), 2);
  EXPECT_TRUE(test::throws_error([&] { ws.retry_source("ghost"); }, ErrorKind::not_found, "ghost"));
}

}  // namespace
}  // namespace pond::workspace
