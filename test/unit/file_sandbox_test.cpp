// FileSandbox: which paths of the --root folders DuckDB is told to allow, and that DuckDB then
// refuses everything else (reads, writes, ATTACH, settings) on a real database.

#include "server/file_sandbox.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "engine/database.hpp"
#include "engine/error.hpp"
#include "engine/sql_text.hpp"

namespace pond::server {
namespace {

namespace fs = std::filesystem;

std::string sql_path(const std::string& path) { return sql::quote_literal(path); }

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// The sandbox's refusal of `sql` on `connection`, or an empty body when DuckDB ran it.
nlohmann::json refusal(engine::Connection& connection, const std::string& sql) {
  try {
    connection.query(sql);
  } catch (const Error& e) {
    auto refused = sandbox_refusal(e.what());
    if (!refused) return {{"unexpected", e.what()}};
    EXPECT_EQ(refused->status, 403);
    return refused->body;
  }
  return {};
}

class FileSandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("pond-sandbox-" + std::to_string(getpid()));
    root_ = base_ / "root";
    fs::create_directories(root_ / "clean" / "deeper");
    fs::create_directories(root_ / "mixed");
    fs::create_directories(base_ / "outside");
    std::ofstream(root_ / "clean" / "b.csv") << "x\n1\n";
    std::ofstream(root_ / "mixed" / "a.csv") << "x\n1\n2\n";
    std::ofstream(base_ / "outside" / "secret.csv") << "s\n42\n";
    fs::create_symlink(base_ / "outside" / "secret.csv", root_ / "mixed" / "out.csv");
    fs::create_symlink(root_ / "mixed" / "a.csv", root_ / "mixed" / "in.csv");
    fs::create_symlink(root_ / "clean", root_ / "mixed" / "dirlink");
    fs::create_symlink(base_ / "nowhere.csv", root_ / "mixed" / "broken.csv");
  }
  void TearDown() override { fs::remove_all(base_); }
  std::string r(const std::string& rel) const { return (root_ / rel).string(); }

  fs::path base_, root_;
};

TEST_F(FileSandboxTest, TheRootsAreAllowedWholeByTheirRealAndGivenPaths) {
  fs::create_directory_symlink(root_, base_ / "alias");
  RootFolders roots({(base_ / "alias").string()});
  FileSandbox sandbox(roots, {});
  EXPECT_TRUE(has(sandbox.directories(), root_.string() + "/"));
  EXPECT_TRUE(has(sandbox.directories(), (base_ / "alias").string() + "/"));
  EXPECT_TRUE(sandbox.paths().empty());
}

TEST_F(FileSandboxTest, DuckDBThenReadsAndWritesOnlyInsideTheRoot) {
  RootFolders roots({root_.string()});
  engine::Database db;
  engine::Connection c = db.connect();
  FileSandbox sandbox(roots, {});
  sandbox.apply(c);
  EXPECT_EQ(c.query("SELECT count(*) FROM read_csv(" + sql_path(r("clean/b.csv")) + ")").fetch_all()[0][0].as_int64(),
            1);
  EXPECT_EQ(c.query("SELECT count(*) FROM read_csv(" + sql_path(r("mixed/in.csv")) + ")").fetch_all()[0][0].as_int64(),
            2);
  EXPECT_NO_THROW(c.query("COPY (SELECT 1 AS x) TO " + sql_path(r("clean/deeper/new.csv"))));
  EXPECT_TRUE(fs::exists(root_ / "clean" / "deeper" / "new.csv"));

  EXPECT_EQ(refusal(c, "SELECT * FROM read_csv(" + sql_path(r("mixed/out.csv")) + ")")["code"], "forbidden");
  // A link to a folder inside the roots leads nowhere else.
  EXPECT_EQ(
      c.query("SELECT count(*) FROM read_csv(" + sql_path(r("mixed/dirlink/b.csv")) + ")").fetch_all()[0][0].as_int64(),
      1);
  EXPECT_EQ(refusal(c, "SELECT * FROM read_csv(" + sql_path((base_ / "outside" / "secret.csv").string()) + ")")["code"],
            "forbidden");
  EXPECT_EQ(refusal(c, "COPY (SELECT 1) TO " + sql_path((base_ / "outside" / "w.csv").string()))["code"], "forbidden");
  EXPECT_FALSE(fs::exists(base_ / "outside" / "w.csv"));
  EXPECT_EQ(refusal(c, "ATTACH " + sql_path((base_ / "outside" / "x.duckdb").string()) + " AS x")["code"], "forbidden");
  EXPECT_FALSE(fs::exists(base_ / "outside" / "x.duckdb"));
  EXPECT_EQ(refusal(c, "SET enable_external_access = true")["code"], "forbidden");
  EXPECT_EQ(refusal(c, "SET allowed_directories = ['/']")["code"], "forbidden");
  EXPECT_EQ(refusal(c, "SET allowed_paths = ['/etc/passwd']")["code"], "forbidden");
  EXPECT_EQ(refusal(c, "RESET lock_configuration")["code"], "forbidden");
  // Another connection of the same database is confined too, and may still set its own
  // session settings.
  engine::Connection other = db.connect();
  EXPECT_EQ(refusal(other, "SELECT * FROM read_text('/etc/hostname')")["code"], "forbidden");
  EXPECT_NO_THROW(other.query("SET search_path = 'main'"));
}

TEST_F(FileSandboxTest, LinksMadeAfterTheSandboxStartedCannotLeadOut) {
  RootFolders roots({root_.string()});
  engine::Database db;
  engine::Connection c = db.connect();
  FileSandbox sandbox(roots, {});
  sandbox.apply(c);
  fs::create_directories(base_ / "outside" / "sub");
  std::ofstream(base_ / "outside" / "sub" / "deep.csv") << "s\n43\n";
  std::ofstream(root_ / "clean" / "inner.csv") << "x\n5\n";
  fs::create_symlink(base_ / "outside" / "secret.csv", root_ / "clean" / "late.csv");
  fs::create_directory_symlink(base_ / "outside", root_ / "clean" / "latedir");
  fs::create_directory_symlink(base_ / "outside" / "sub", root_ / "clean" / "up");
  fs::create_symlink(root_ / "clean" / "chain2", root_ / "clean" / "chain1");
  fs::create_symlink(base_ / "outside" / "secret.csv", root_ / "clean" / "chain2");
  fs::create_symlink(root_ / "mixed" / "a.csv", root_ / "clean" / "inlink.csv");

  for (const std::string& path : {r("clean/late.csv"), r("clean/latedir/secret.csv"), r("clean/chain1"),
                                  r("clean/up/../secret.csv"), r("clean/latedir/sub/deep.csv")}) {
    nlohmann::json body = refusal(c, "SELECT * FROM read_csv(" + sql_path(path) + ")");
    EXPECT_EQ(body["code"], "forbidden") << path << ": " << body.dump();
    EXPECT_NE(body.value("message", "").find("--root"), std::string::npos) << body.dump();
    EXPECT_NE(body.value("message", "").find(path), std::string::npos) << body.dump();
  }
  // A glob through a link that leads out matches nothing there.
  nlohmann::json glob_body = refusal(c, "SELECT * FROM read_csv(" + sql_path(r("clean/latedir/*.csv")) + ")");
  EXPECT_EQ(glob_body["code"], "forbidden") << glob_body.dump();
  EXPECT_EQ(c.query("SELECT count(*) FROM read_text(" + sql_path(r("clean/latedir/*.csv")) + ")")
                .fetch_all()[0][0]
                .as_int64(),
            0);
  // A glob skips what leads out: only the three files inside match (1 + 5 + 3, not 42).
  EXPECT_EQ(c.query("SELECT sum(x) FROM read_csv(" + sql_path(r("clean/*.csv")) + ")").fetch_all()[0][0].as_int64(),
            1 + 5 + 3);
  EXPECT_EQ(c.query("SELECT count(*) FROM glob(" + sql_path(r("clean/*/*")) + ")").fetch_all()[0][0].as_int64(), 0);
  EXPECT_EQ(c.query("SELECT count(*) FROM glob(" + sql_path(r("clean/**/*.csv")) + ")").fetch_all()[0][0].as_int64(),
            3);  // b.csv, inner.csv, inlink.csv
  // No write through a link either: not a new file, not an existing one, not a folder.
  EXPECT_EQ(refusal(c, "COPY (SELECT 1 AS x) TO " + sql_path(r("clean/latedir/w.csv")))["code"], "forbidden");
  EXPECT_FALSE(fs::exists(base_ / "outside" / "w.csv"));
  refusal(c, "COPY (SELECT 1 AS x) TO " + sql_path(r("clean/late.csv")));
  std::ifstream secret(base_ / "outside" / "secret.csv");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(secret), {}), "s\n42\n");
  refusal(c, "COPY (SELECT 1 AS x) TO " + sql_path(r("clean/latedir/parts")) + " (FORMAT csv, PARTITION_BY (x))");
  EXPECT_FALSE(fs::exists(base_ / "outside" / "parts"));
  // A file replaced by a link after start.
  fs::remove(root_ / "clean" / "b.csv");
  fs::create_symlink(base_ / "outside" / "secret.csv", root_ / "clean" / "b.csv");
  EXPECT_EQ(refusal(c, "SELECT * FROM read_csv(" + sql_path(r("clean/b.csv")) + ")")["code"], "forbidden");
  // What stays inside still works.
  EXPECT_EQ(
      c.query("SELECT sum(x) FROM read_csv(" + sql_path(r("clean/inlink.csv")) + ")").fetch_all()[0][0].as_int64(), 3);
}

TEST_F(FileSandboxTest, FileSourcesRestoredFromTheRegistryStayReadableWherever) {
  workspace::SourceInfo source;
  source.record.kind = workspace::SourceKind::files;
  source.record.location = (base_ / "outside" / "*.csv").string();
  RootFolders roots({r("clean")});
  FileSandbox sandbox(roots, {source});
  EXPECT_TRUE(has(sandbox.paths(), source.record.location));
  EXPECT_TRUE(has(sandbox.paths(), (base_ / "outside" / "secret.csv").string()));
  engine::Database db;
  engine::Connection c = db.connect();
  sandbox.apply(c);
  EXPECT_EQ(
      c.query("SELECT count(*) FROM read_csv(" + sql_path(source.record.location) + ")").fetch_all()[0][0].as_int64(),
      1);
  EXPECT_EQ(refusal(c, "SELECT * FROM read_csv(" + sql_path(r("mixed/a.csv")) + ")")["code"], "forbidden");
}

TEST_F(FileSandboxTest, WithoutRootsSqlGetsNoFiles) {
  RootFolders none({});
  FileSandbox sandbox(none, {});
  EXPECT_TRUE(sandbox.directories().empty());
  EXPECT_TRUE(sandbox.paths().empty());
  engine::Database db;
  engine::Connection c = db.connect();
  sandbox.apply(c);
  nlohmann::json body = refusal(c, "SELECT * FROM read_csv(" + sql_path(r("clean/b.csv")) + ")");
  EXPECT_EQ(body["code"], "forbidden");
  EXPECT_NE(body["message"].get<std::string>().find("--root"), std::string::npos);
  EXPECT_NE(body["message"].get<std::string>().find("b.csv"), std::string::npos);
  EXPECT_NO_THROW(c.query("CREATE TABLE t AS SELECT 1 AS x"));  // the database itself works
}

TEST_F(FileSandboxTest, ARootWithQuotesAndSemicolonsInItsNameIsQuotedNotSpliced) {
  const fs::path hostile = base_ / "it's; SET enable_external_access = true; --";
  fs::create_directories(hostile);
  std::ofstream(hostile / "h.csv") << "x\n1\n";
  RootFolders roots({hostile.string()});
  engine::Database db;
  engine::Connection c = db.connect();
  FileSandbox sandbox(roots, {});
  sandbox.apply(c);
  EXPECT_EQ(c.query("SELECT count(*) FROM read_csv(" + sql_path((hostile / "h.csv").string()) + ")")
                .fetch_all()[0][0]
                .as_int64(),
            1);
  EXPECT_EQ(refusal(c, "SELECT * FROM read_csv(" + sql_path(r("clean/b.csv")) + ")")["code"], "forbidden");
}

TEST(PathGuardText, NormalizesPathsAsDuckDBDoes) {
  EXPECT_EQ(normalize_path("/a//b/./c/"), "/a/b/c");
  EXPECT_EQ(normalize_path("/a/b/../../../etc"), "/etc");
  EXPECT_EQ(normalize_path("/"), "/");
  EXPECT_EQ(normalize_path("/.."), "/");
}

TEST(SandboxRefusal, LeavesOtherErrorsAlone) {
  EXPECT_FALSE(sandbox_refusal("Catalog Error: Table with name nope does not exist!"));
  EXPECT_FALSE(sandbox_refusal("IO Error: No files found that match the pattern \"/data/x.csv\""));
  auto locked = sandbox_refusal(
      "Invalid Input Error: Cannot change configuration option \"threads\" - the "
      "configuration has been locked");
  ASSERT_TRUE(locked);
  EXPECT_NE(locked->body["message"].get<std::string>().find("'threads'"), std::string::npos);
  auto path = sandbox_refusal(
      "materialize 'm' failed: Permission Error: Cannot access file \"/a \"b\".csv\" - file "
      "system operations are disabled by configuration");
  ASSERT_TRUE(path);
  EXPECT_EQ(path->body["message"].get<std::string>().rfind("'/a \"b\".csv'", 0), 0u);
}

}  // namespace
}  // namespace pond::server
