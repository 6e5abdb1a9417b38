// workspace::split_statements and statement_incomplete: ';' splits only outside strings,
// quoted identifiers, dollar quotes and comments.

#include "workspace/statement_splitter.hpp"

#include <gtest/gtest.h>

namespace pond::workspace {
namespace {

using Statements = std::vector<std::string>;

TEST(StatementSplitter, SplitsOnSemicolons) {
  EXPECT_EQ(split_statements("SELECT 1; SELECT 2;"), (Statements{"SELECT 1", "SELECT 2"}));
  EXPECT_EQ(split_statements("SELECT 1"), (Statements{"SELECT 1"}));
  EXPECT_EQ(split_statements("  SELECT 1 ;\n\n SELECT 2\n"), (Statements{"SELECT 1", "SELECT 2"}));
}

TEST(StatementSplitter, SemicolonInStringLiteralDoesNotSplit) {
  EXPECT_EQ(split_statements("SELECT 'a;b'; SELECT 'it''s;'"), (Statements{"SELECT 'a;b'", "SELECT 'it''s;'"}));
}

TEST(StatementSplitter, SemicolonInQuotedIdentifierDoesNotSplit) {
  EXPECT_EQ(split_statements("SELECT 1 AS \"quoted;ident\"; SELECT \"we\"\"ird;\" FROM t"),
            (Statements{"SELECT 1 AS \"quoted;ident\"", "SELECT \"we\"\"ird;\" FROM t"}));
}

TEST(StatementSplitter, SemicolonInCommentsDoesNotSplit) {
  EXPECT_EQ(split_statements("SELECT 1 -- comment; still comment\n; SELECT 2"),
            (Statements{"SELECT 1 -- comment; still comment", "SELECT 2"}));
  EXPECT_EQ(split_statements("SELECT /* a; b */ 1; SELECT 2"), (Statements{"SELECT /* a; b */ 1", "SELECT 2"}));
  EXPECT_EQ(split_statements("SELECT /* outer /* nested; */ still; */ 1; SELECT 2"),
            (Statements{"SELECT /* outer /* nested; */ still; */ 1", "SELECT 2"}));
}

TEST(StatementSplitter, SemicolonInDollarQuotesDoesNotSplit) {
  EXPECT_EQ(split_statements("SELECT $$dollar; quoted$$; SELECT 2"),
            (Statements{"SELECT $$dollar; quoted$$", "SELECT 2"}));
  EXPECT_EQ(split_statements("SELECT $tag$ a $$ ; b $tag$; SELECT 2"),
            (Statements{"SELECT $tag$ a $$ ; b $tag$", "SELECT 2"}));
}

TEST(StatementSplitter, PositionalParametersAreNotDollarQuotes) {
  EXPECT_EQ(split_statements("SELECT $1; SELECT $2"), (Statements{"SELECT $1", "SELECT $2"}));
}

TEST(StatementSplitter, EscapeStringsKeepEscapedQuotes) {
  EXPECT_EQ(split_statements("SELECT E'esc\\'aped;'; SELECT 2"), (Statements{"SELECT E'esc\\'aped;'", "SELECT 2"}));
  // In a plain string a backslash is an ordinary character.
  EXPECT_EQ(split_statements("SELECT 'back\\'; SELECT 2"), (Statements{"SELECT 'back\\'", "SELECT 2"}));
}

TEST(StatementSplitter, EmptyStatementsAndTrailingCommentsAreDropped) {
  EXPECT_EQ(split_statements(";;SELECT 1;;  ;\n;"), (Statements{"SELECT 1"}));
  EXPECT_EQ(split_statements("SELECT 1; -- the end"), (Statements{"SELECT 1"}));
  EXPECT_EQ(split_statements("SELECT 1; /* done */\n"), (Statements{"SELECT 1"}));
  EXPECT_TRUE(split_statements("").empty());
  EXPECT_TRUE(split_statements("  \n\t").empty());
  EXPECT_TRUE(split_statements("-- only a comment").empty());
}

TEST(StatementSplitter, LeadingCommentStaysWithItsStatement) {
  Statements statements = split_statements("-- first\nSELECT 1;\n/* second */ SELECT 2;");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_NE(statements[0].find("SELECT 1"), std::string::npos);
  EXPECT_NE(statements[1].find("SELECT 2"), std::string::npos);
}

TEST(StatementSplitter, MultiLineStatementsKeepTheirText) {
  EXPECT_EQ(split_statements("CREATE TABLE t(\n  a INTEGER,\n  b VARCHAR\n);\nINSERT INTO t VALUES (1, 'x;y');"),
            (Statements{"CREATE TABLE t(\n  a INTEGER,\n  b VARCHAR\n)", "INSERT INTO t VALUES (1, 'x;y')"}));
}

TEST(StatementSplitter, UnicodeIsKept) {
  EXPECT_EQ(split_statements("SELECT 'données;✓' AS \"é;\"; SELECT '🦆'"),
            (Statements{"SELECT 'données;✓' AS \"é;\"", "SELECT '🦆'"}));
}

TEST(StatementSplitter, PondStatementsSplitLikeAnyOther) {
  EXPECT_EQ(split_statements("ATTACH 'a;b.duckdb' AS \"semi;colon\"; USE 'x/*.parquet' AS p; SHOW SOURCES"),
            (Statements{"ATTACH 'a;b.duckdb' AS \"semi;colon\"", "USE 'x/*.parquet' AS p", "SHOW SOURCES"}));
}

TEST(StatementIncomplete, CompleteWhenEndingWithSemicolon) {
  EXPECT_FALSE(statement_incomplete("SELECT 1;"));
  EXPECT_FALSE(statement_incomplete("SELECT 1;  \n"));
  EXPECT_FALSE(statement_incomplete("SELECT 1; SELECT 2;"));
  EXPECT_FALSE(statement_incomplete("SELECT ';' ;"));
}

TEST(StatementIncomplete, IncompleteWithoutFinalSemicolon) {
  EXPECT_TRUE(statement_incomplete("SELECT 1"));
  EXPECT_TRUE(statement_incomplete("SELECT 1; SELECT 2"));
  EXPECT_TRUE(statement_incomplete("SELECT ';'"));
}

TEST(StatementIncomplete, IncompleteInsideQuotesOrComments) {
  EXPECT_TRUE(statement_incomplete("SELECT 'open;"));
  EXPECT_TRUE(statement_incomplete("SELECT \"open;"));
  EXPECT_TRUE(statement_incomplete("SELECT $$open;"));
  EXPECT_TRUE(statement_incomplete("SELECT E'esc\\';"));
  EXPECT_TRUE(statement_incomplete("SELECT 1 /* open;"));
  EXPECT_TRUE(statement_incomplete("SELECT 1 /* a /* b */;"));
}

TEST(StatementIncomplete, BlankOrCommentOnlyIsNotIncomplete) {
  EXPECT_FALSE(statement_incomplete(""));
  EXPECT_FALSE(statement_incomplete("   \n"));
  EXPECT_FALSE(statement_incomplete("-- just a comment"));
  EXPECT_FALSE(statement_incomplete("/* closed */"));
}

TEST(StatementIncomplete, TrailingLineCommentAfterSemicolonIsComplete) {
  EXPECT_FALSE(statement_incomplete("SELECT 1; -- done"));
  EXPECT_TRUE(statement_incomplete("SELECT 1 -- not done;"));
}

}  // namespace
}  // namespace pond::workspace
