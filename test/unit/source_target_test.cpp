// source_target: which registrations read the same file or the same database server.

#include "workspace/source_target.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace pond::workspace {
namespace {

namespace fs = std::filesystem;

class SourceTargetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "pond-source-target-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    fs::create_directory(dir_ / "sub");
    std::ofstream(dir_ / "crm.sqlite") << "x";
    std::ofstream(dir_ / "sales.csv") << "a\n1\n";
    std::ofstream(dir_ / "other.csv") << "a\n2\n";
    fs::create_symlink(dir_ / "crm.sqlite", dir_ / "link.sqlite");
  }
  void TearDown() override { fs::remove_all(dir_); }

  SourceRecord file(const std::string& alias, SourceKind kind, const fs::path& path) const {
    return SourceRecord{alias, kind, path.string(), kind == SourceKind::files ? "csv" : "", false, "{}", ""};
  }

  fs::path dir_;
};

SourceRecord server(const std::string& alias, SourceKind kind, const std::string& location,
                    const std::string& options) {
  return SourceRecord{alias, kind, location, "", true, options, ""};
}

TEST_F(SourceTargetTest, TheSameFileUnderTwoAliasesIsFound) {
  std::vector<SourceRecord> all = {file("a", SourceKind::sqlite, dir_ / "crm.sqlite"),
                                   file("b", SourceKind::sqlite, dir_ / "crm.sqlite")};
  EXPECT_EQ(aliases_with_same_target(all[1], all), std::vector<std::string>{"a"});
  EXPECT_EQ(aliases_with_same_target(all[0], all), std::vector<std::string>{"b"});
}

TEST_F(SourceTargetTest, PathsAreComparedByTheirRealPath) {
  std::vector<SourceRecord> all = {file("a", SourceKind::sqlite, dir_ / "crm.sqlite"),
                                   file("via_link", SourceKind::sqlite, dir_ / "link.sqlite"),
                                   file("via_dots", SourceKind::sqlite, dir_ / "sub" / ".." / "crm.sqlite")};
  EXPECT_EQ(aliases_with_same_target(all[0], all), (std::vector<std::string>{"via_link", "via_dots"}));
}

TEST_F(SourceTargetTest, DifferentFilesAreNotTheSame) {
  std::vector<SourceRecord> all = {file("s", SourceKind::files, dir_ / "sales.csv"),
                                   file("o", SourceKind::files, dir_ / "other.csv"),
                                   file("g", SourceKind::files, dir_ / "*.csv")};
  for (const auto& record : all) EXPECT_TRUE(aliases_with_same_target(record, all).empty()) << record.alias;
}

TEST_F(SourceTargetTest, TheSameGlobThroughAnotherPathIsFound) {
  std::vector<SourceRecord> all = {file("g1", SourceKind::files, dir_ / "*.csv"),
                                   file("g2", SourceKind::files, dir_ / "sub" / ".." / "*.csv")};
  EXPECT_EQ(aliases_with_same_target(all[0], all), std::vector<std::string>{"g2"});
}

TEST_F(SourceTargetTest, AMissingFileIsComparedByItsNormalPath) {
  std::vector<SourceRecord> all = {file("a", SourceKind::duckdb, dir_ / "gone.duckdb"),
                                   file("b", SourceKind::duckdb, dir_ / "sub" / ".." / "gone.duckdb")};
  EXPECT_EQ(aliases_with_same_target(all[0], all), std::vector<std::string>{"b"});
}

TEST_F(SourceTargetTest, TheRecordItselfIsLeftOutWhateverTheCaseOfItsAlias) {
  std::vector<SourceRecord> all = {file("Crm", SourceKind::sqlite, dir_ / "crm.sqlite")};
  EXPECT_TRUE(aliases_with_same_target(file("crm", SourceKind::sqlite, dir_ / "crm.sqlite"), all).empty());
}

TEST(SourceTarget, AServerIsTheSameOnlyWithTheSameConnectionStringAndSecret) {
  const std::string where = "host=127.0.0.1 port=5432 dbname=crm user=pond";
  std::vector<SourceRecord> all = {
      server("a", SourceKind::postgres, where, R"({"secret":"pg"})"),
      server("same", SourceKind::postgres, where, R"({"secret":"PG","all_varchar":"true"})"),
      server("other_secret", SourceKind::postgres, where, R"({"secret":"admin"})"),
      server("no_secret", SourceKind::postgres, where, "{}"),
      server("other_db", SourceKind::postgres, "host=127.0.0.1 port=5432 dbname=hr user=pond", R"({"secret":"pg"})"),
      server("mysql", SourceKind::mysql, where, R"({"secret":"pg"})")};
  EXPECT_EQ(aliases_with_same_target(all[0], all), std::vector<std::string>{"same"});
  EXPECT_TRUE(aliases_with_same_target(all[3], all).empty());
}

TEST(SourceTarget, MalformedOptionsAreReadAsNoSecret) {
  std::vector<SourceRecord> all = {server("a", SourceKind::mysql, "host=h", "not json"),
                                   server("b", SourceKind::mysql, "host=h", R"({"secret":5})")};
  EXPECT_EQ(aliases_with_same_target(all[0], all), std::vector<std::string>{"b"});
}

}  // namespace
}  // namespace pond::workspace
