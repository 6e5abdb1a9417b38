// AnswerReader: executeQuery's JSON answer read piece by piece, rows handed over one at a time.

#include "cli/remote/answer_reader.hpp"

#include <gtest/gtest.h>

namespace pond::cli {
namespace {

using nlohmann::json;

struct Read {
  json columns;
  std::vector<json> rows;
  json fields;
  bool ok = true;
  bool complete = false;
};

// Feeds `text` in pieces of `piece` bytes.
Read read(const std::string& text, size_t piece) {
  Read out;
  AnswerReader reader([&](const json& c) { out.columns = c; }, [&](json& row) { out.rows.push_back(row); });
  for (size_t at = 0; at < text.size() && out.ok; at += piece) {
    out.ok = reader.feed(text.data() + at, std::min(piece, text.size() - at));
  }
  out.fields = reader.fields();
  out.complete = reader.complete();
  return out;
}

const std::string kAnswer =
    R"({"queryId":"q1","columns":[{"name":"a","type":"INTEGER"},{"name":"s","type":"VARCHAR"}],)"
    R"("rows":[[1,"x"],[null,"a \"quoted\" ] , } text"],[3,"\\"],[12345678901234567890123,"1.50"],)"
    R"([1.25e3,"{\"k\":[1]}"]], "rowCount":5,"status":"ok"})";

TEST(AnswerReader, RowsComeOneByOneWhateverThePieceSize) {
  for (size_t piece : {size_t{1}, size_t{2}, size_t{7}, size_t{64}, kAnswer.size()}) {
    Read r = read(kAnswer, piece);
    ASSERT_TRUE(r.ok) << piece;
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.columns.size(), 2u);
    ASSERT_EQ(r.rows.size(), 5u) << piece;
    EXPECT_EQ(r.rows[0], json::parse(R"([1,"x"])"));
    EXPECT_TRUE(r.rows[1][0].is_null());
    EXPECT_EQ(r.rows[1][1], "a \"quoted\" ] , } text");
    EXPECT_EQ(r.rows[2][1], "\\");
    EXPECT_EQ(r.rows[3][0], "12345678901234567890123");  // beyond 64 bits: the exact text
    EXPECT_EQ(r.rows[4][0], "1.25e3");
    EXPECT_EQ(r.rows[4][1], "{\"k\":[1]}");
    EXPECT_EQ(r.fields["rowCount"], 5);
    EXPECT_EQ(r.fields["status"], "ok");
    EXPECT_FALSE(r.fields.contains("rows"));
  }
}

TEST(AnswerReader, AnErrorTrailerAndAnEmptyResultAreRead) {
  Read r = read(R"( { "queryId":"q","columns":[],"rows":[ ],"rowCount":0,"status":"error",)"
                R"("error":{"code":"cancelled","message":"m"}} )",
                3);
  ASSERT_TRUE(r.ok);
  EXPECT_TRUE(r.complete);
  EXPECT_TRUE(r.rows.empty());
  EXPECT_EQ(r.fields["error"]["code"], "cancelled");
}

TEST(AnswerReader, WhatIsNotSuchAnAnswerFails) {
  for (const std::string& bad : {std::string("[1,2]"), std::string("<html>"), std::string(R"({"rows":[1,}])"),
                                 std::string(R"({"a" 1})"), std::string(R"({"rows":[[1]] "x":2})")}) {
    EXPECT_FALSE(read(bad, 1).ok) << bad;
  }
  Read cut = read(kAnswer.substr(0, kAnswer.size() / 2), 5);  // the connection ended midway
  EXPECT_TRUE(cut.ok);
  EXPECT_FALSE(cut.complete);
}

}  // namespace
}  // namespace pond::cli
