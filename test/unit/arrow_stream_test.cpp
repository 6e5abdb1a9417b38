// engine::ArrowStreamWriter and the IPC encoder: message framing (continuation marker, metadata
// length, 8-byte padding, body length), buffer alignment, validity, slicing, dictionaries, EOS.

#include "engine/arrow_stream.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "engine/arrow_ipc.hpp"
#include "engine/arrow_ipc_message.hpp"
#include "engine/connection.hpp"
#include "engine/database.hpp"
#include "engine/error.hpp"
#include "test_support.hpp"

namespace pond::engine {
namespace {

using detail::IpcBuffer;
using detail::IpcFieldNode;

constexpr uint8_t kSchema = 1;
constexpr uint8_t kDictionaryBatch = 2;
constexpr uint8_t kRecordBatch = 3;

// One decoded message of a stream.
struct Message {
  uint8_t header_type = 0;
  int16_t version = 0;
  int64_t body_length = 0;
  int64_t length = 0;  // RecordBatch rows (or dictionary entries)
  int64_t dictionary_id = -1;
  std::vector<IpcFieldNode> nodes;
  std::vector<IpcBuffer> buffers;
  std::string body;
};

int32_t read_int32(const std::string& bytes, size_t at) {
  int32_t v;
  std::memcpy(&v, bytes.data() + at, 4);
  return v;
}

// Splits a stream into messages, checking the framing of each; stops at EOS (which must end it).
std::vector<Message> split_stream(const std::string& stream) {
  std::vector<Message> out;
  size_t at = 0;
  while (true) {
    EXPECT_EQ(at % 8, 0u) << "every message starts 8-byte aligned";
    if (at + 8 > stream.size()) {
      ADD_FAILURE() << "stream ends without an end-of-stream marker";
      return out;
    }
    EXPECT_EQ(static_cast<uint32_t>(read_int32(stream, at)), 0xFFFFFFFFu) << "continuation marker at " << at;
    const int32_t metadata_length = read_int32(stream, at + 4);
    if (metadata_length == 0) {
      EXPECT_EQ(at + 8, stream.size()) << "nothing follows the end-of-stream marker";
      return out;
    }
    EXPECT_EQ(metadata_length % 8, 0) << "metadata is padded to 8 bytes";
    const auto* fb = reinterpret_cast<const uint8_t*>(stream.data() + at + 8);
    flatbuffers::Verifier verifier(fb, static_cast<size_t>(metadata_length));
    const auto* message = flatbuffers::GetRoot<flatbuffers::Table>(fb);
    EXPECT_TRUE(message->VerifyTableStart(verifier)) << "a valid flatbuffer table at " << at;
    Message m;
    m.version = message->GetField<int16_t>(4, 0);
    m.header_type = message->GetField<uint8_t>(6, 0);
    m.body_length = message->GetField<int64_t>(10, 0);
    EXPECT_EQ(m.body_length % 8, 0) << "the body is padded to 8 bytes";
    const auto* header = message->GetPointer<const flatbuffers::Table*>(8);
    EXPECT_NE(header, nullptr);
    const flatbuffers::Table* batch = header;
    if (m.header_type == kDictionaryBatch) {
      m.dictionary_id = header->GetField<int64_t>(4, 0);
      batch = header->GetPointer<const flatbuffers::Table*>(6);
    }
    if (m.header_type != kSchema) {
      m.length = batch->GetField<int64_t>(4, -1);
      for (const IpcFieldNode* n : *batch->GetPointer<const flatbuffers::Vector<const IpcFieldNode*>*>(6))
        m.nodes.push_back(*n);
      for (const IpcBuffer* b : *batch->GetPointer<const flatbuffers::Vector<const IpcBuffer*>*>(8))
        m.buffers.push_back(*b);
    }
    const size_t body_at = at + 8 + static_cast<size_t>(metadata_length);
    if (body_at + static_cast<size_t>(m.body_length) > stream.size()) {
      ADD_FAILURE() << "body runs past the stream";
      return out;
    }
    m.body = stream.substr(body_at, static_cast<size_t>(m.body_length));
    for (const IpcBuffer& b : m.buffers) {
      EXPECT_EQ(b.offset % detail::kBodyAlignment, 0) << "buffers are 64-byte aligned in the body";
      EXPECT_LE(b.offset + b.length, m.body_length) << "buffers lie inside the body";
    }
    at = body_at + static_cast<size_t>(m.body_length);
    out.push_back(std::move(m));
  }
}

class ArrowStreamTest : public ::testing::Test {
 protected:
  Database db_;
  Connection connection_ = db_.connect();

  std::string stream_of(const std::string& sql) {
    Result result = connection_.query(sql, ExecMode::streaming);
    ArrowStreamWriter writer(result);
    std::string out = writer.schema_message();
    while (auto chunk = result.next_chunk()) out += writer.record_batch(*chunk);
    return out + ArrowStreamWriter::end_of_stream();
  }
};

TEST_F(ArrowStreamTest, EndOfStreamIsTheContinuationMarkerAndAZeroLength) {
  EXPECT_EQ(ArrowStreamWriter::end_of_stream(), std::string("\xFF\xFF\xFF\xFF\0\0\0\0", 8));
}

TEST_F(ArrowStreamTest, SchemaMessageIsAFramedV5SchemaWithoutBody) {
  Result result = connection_.query("SELECT 1 AS a, 'x' AS b");
  std::string schema = ArrowStreamWriter(result).schema_message();
  ASSERT_GE(schema.size(), 16u);
  EXPECT_EQ(schema.size() % 8, 0u);
  EXPECT_EQ(static_cast<size_t>(read_int32(schema, 4)) + 8, schema.size()) << "length covers the padded flatbuffer";
  auto messages = split_stream(schema + ArrowStreamWriter::end_of_stream());
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].header_type, kSchema);
  EXPECT_EQ(messages[0].version, 4) << "MetadataVersion V5";
  EXPECT_EQ(messages[0].body_length, 0);
}

TEST_F(ArrowStreamTest, EmptyResultIsSchemaThenEndOfStream) {
  auto messages = split_stream(stream_of("SELECT 1 AS a WHERE false"));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].header_type, kSchema);
}

TEST_F(ArrowStreamTest, EachChunkIsOneRecordBatchWithAlignedBuffers) {
  auto messages = split_stream(stream_of("SELECT i, i::VARCHAR AS s, i % 2 = 0 AS b FROM range(5000) t(i)"));
  ASSERT_EQ(messages.size(), 4u) << "schema + 3 chunks (2048, 2048, 904)";
  int64_t rows = 0;
  for (size_t i = 1; i < messages.size(); ++i) {
    const Message& m = messages[i];
    EXPECT_EQ(m.header_type, kRecordBatch);
    ASSERT_EQ(m.nodes.size(), 3u);
    ASSERT_EQ(m.buffers.size(), 2u + 3u + 2u) << "bigint: validity+data, varchar: validity+offsets+data, bool";
    for (const IpcFieldNode& n : m.nodes) EXPECT_EQ(n.length, m.length);
    EXPECT_EQ(m.buffers[1].length, m.length * 8);
    EXPECT_EQ(m.buffers[3].length, (m.length + 1) * 4);
    EXPECT_EQ(m.buffers[6].length, (m.length + 7) / 8);
    rows += m.length;
  }
  EXPECT_EQ(rows, 5000);
  int64_t first_value;
  std::memcpy(&first_value, messages[2].body.data() + messages[2].buffers[1].offset, 8);
  EXPECT_EQ(first_value, 2048) << "the second batch starts where the first ended";
}

TEST_F(ArrowStreamTest, ValidityIsOmittedWithoutNullsAndCountedWithThem) {
  auto messages = split_stream(
      stream_of("SELECT i AS dense, CASE WHEN i % 3 = 0 THEN NULL ELSE i END AS sparse FROM range(10) t(i)"));
  ASSERT_EQ(messages.size(), 2u);
  const Message& m = messages[1];
  EXPECT_EQ(m.nodes[0].null_count, 0);
  EXPECT_EQ(m.buffers[0].length, 0) << "no validity buffer for a column without nulls";
  EXPECT_EQ(m.nodes[1].null_count, 4);
  ASSERT_EQ(m.buffers[2].length, 2);
  const auto bits = static_cast<uint8_t>(m.body[static_cast<size_t>(m.buffers[2].offset)]);
  EXPECT_EQ(bits, 0b10110110) << "rows 0, 3, 6 are null";
}

TEST_F(ArrowStreamTest, EnumDictionaryIsSentOnceBeforeTheFirstBatch) {
  connection_.query("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
  auto messages = split_stream(stream_of("SELECT (['sad','ok','happy'])[i % 3 + 1]::mood AS m FROM range(5000) t(i)"));
  ASSERT_EQ(messages.size(), 5u) << "schema, dictionary, 3 record batches";
  EXPECT_EQ(messages[1].header_type, kDictionaryBatch);
  EXPECT_EQ(messages[1].dictionary_id, 0);
  EXPECT_EQ(messages[1].length, 3);
  for (size_t i = 2; i < messages.size(); ++i) EXPECT_EQ(messages[i].header_type, kRecordBatch);
}

TEST_F(ArrowStreamTest, ColumnsNotFromAResultAreRefused) {
  std::vector<Column> columns{Column{"a", TypeId::integer, "INTEGER"}};
  EXPECT_TRUE(test::throws_error([&] { ArrowStreamWriter writer(columns); }, ErrorKind::usage, "'a'"));
}

TEST_F(ArrowStreamTest, AChunkOfAnotherShapeIsRefused) {
  Result two_columns = connection_.query("SELECT 1 AS a, 2 AS b");
  Result one_column = connection_.query("SELECT 1 AS a");
  ArrowStreamWriter writer(two_columns);
  auto chunk = one_column.next_chunk();
  ASSERT_TRUE(chunk.has_value());
  EXPECT_TRUE(test::throws_error([&] { writer.record_batch(*chunk); }, ErrorKind::usage, "1 columns"));
}

TEST_F(ArrowStreamTest, ZeroRowChunksAreNotNeededForAnEmptyStream) {
  Result result = connection_.query("SELECT 1 AS a WHERE false", ExecMode::streaming);
  ArrowStreamWriter writer(result);
  EXPECT_FALSE(result.next_chunk().has_value());
  auto messages = split_stream(writer.schema_message() + ArrowStreamWriter::end_of_stream());
  EXPECT_EQ(messages.size(), 1u);
}

TEST_F(ArrowStreamTest, AppendRecordBatchAddsTheSameBytesAsRecordBatch) {
  Result first = connection_.query("SELECT i, 'v' || i AS s FROM range(3000) t(i)");
  Result second = connection_.query("SELECT i, 'v' || i AS s FROM range(3000) t(i)");
  ArrowStreamWriter a(first);
  ArrowStreamWriter b(second);
  std::string returned;
  std::string appended = "prefix";
  while (auto chunk = first.next_chunk()) returned += a.record_batch(*chunk);
  while (auto chunk = second.next_chunk()) b.append_record_batch(*chunk, appended);
  EXPECT_EQ("prefix" + returned, appended);
}

TEST_F(ArrowStreamTest, ListViewsAreRefusedWithTheSettingToChange) {
  connection_.query("SET arrow_output_version = '1.5'");
  connection_.query("SET arrow_output_list_view = true");
  Result result = connection_.query("SELECT [1, 2] AS l");
  EXPECT_TRUE(test::throws_error([&] { ArrowStreamWriter writer(result); }, ErrorKind::invalid_input,
                                 "arrow_output_list_view = false"));
}

TEST_F(ArrowStreamTest, StringViewsAreWrittenAsLargeUtf8) {
  connection_.query("SET arrow_output_version = '1.5'");
  connection_.query("SET produce_arrow_string_view = true");
  auto messages =
      split_stream(stream_of("SELECT * FROM (VALUES ('short'), (NULL), ('a string longer than twelve bytes')) t(s)"));
  ASSERT_EQ(messages.size(), 2u);
  const Message& m = messages[1];
  ASSERT_EQ(m.buffers.size(), 3u);
  EXPECT_EQ(m.nodes[0].null_count, 1);
  EXPECT_EQ(m.buffers[1].length, 4 * 8) << "64-bit offsets";
  EXPECT_EQ(m.body.substr(static_cast<size_t>(m.buffers[2].offset), static_cast<size_t>(m.buffers[2].length)),
            "shorta string longer than twelve bytes");
}

// A hand-made int32 array sliced at a bit offset: the encoder re-aligns validity and data.
TEST(ArrowIpcEncoderTest, SlicedArraysAreWrittenFromTheirOffset) {
  int32_t values[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  uint8_t validity[2] = {0b11101111, 0b11111111};  // row 4 is null
  const void* column_buffers[2] = {validity, values};
  ArrowArray column{10, 1, 0, 2, 0, column_buffers, nullptr, nullptr, nullptr, nullptr};
  ArrowArray* children[1] = {&column};
  const void* batch_buffers[1] = {nullptr};
  ArrowArray batch{5, 0, 3, 1, 1, batch_buffers, children, nullptr, nullptr, nullptr};  // rows 3..7

  detail::ArrowField field;
  field.name = "n";
  field.kind = detail::ArrowKind::integer;
  field.bit_width = 32;
  field.is_signed = true;
  detail::RecordBatchEncoder encoder({field});
  std::string out;
  encoder.encode(batch, out);
  auto messages = split_stream(out + ArrowStreamWriter::end_of_stream());
  ASSERT_EQ(messages.size(), 1u);
  const Message& m = messages[0];
  EXPECT_EQ(m.length, 5);
  EXPECT_EQ(m.nodes[0].null_count, 1);
  EXPECT_EQ(static_cast<uint8_t>(m.body[static_cast<size_t>(m.buffers[0].offset)]) & 0x1F, 0b11101)
      << "row 4 of the original is row 1 of the slice";
  int32_t first;
  std::memcpy(&first, m.body.data() + m.buffers[1].offset, 4);
  EXPECT_EQ(first, 3);
  EXPECT_EQ(m.buffers[1].length, 20);
}

TEST(ArrowIpcEncoderTest, OffsetsOfASlicedStringColumnStartAtZero) {
  int32_t offsets[4] = {0, 2, 5, 9};
  const char data[] = "abcdefghi";
  const void* column_buffers[3] = {nullptr, offsets, data};
  ArrowArray column{3, 0, 1, 3, 0, column_buffers, nullptr, nullptr, nullptr, nullptr};  // "cde", "fghi"
  ArrowArray* children[1] = {&column};
  const void* batch_buffers[1] = {nullptr};
  ArrowArray batch{2, 0, 0, 1, 1, batch_buffers, children, nullptr, nullptr, nullptr};
  detail::ArrowField field;
  field.name = "s";
  field.kind = detail::ArrowKind::utf8;
  detail::RecordBatchEncoder encoder({field});
  std::string out;
  encoder.encode(batch, out);
  auto messages = split_stream(out + ArrowStreamWriter::end_of_stream());
  ASSERT_EQ(messages.size(), 1u);
  const Message& m = messages[0];
  int32_t written[3];
  std::memcpy(written, m.body.data() + m.buffers[1].offset, 12);
  EXPECT_EQ(written[0], 0);
  EXPECT_EQ(written[1], 3);
  EXPECT_EQ(written[2], 7);
  EXPECT_EQ(m.body.substr(static_cast<size_t>(m.buffers[2].offset), 7), "cdefghi");
}

// A dictionary-encoded column whose dictionary changes between batches: a replacement
// DictionaryBatch precedes the batch that needs it; an unchanged dictionary is not sent again.
TEST(ArrowIpcEncoderTest, ChangedDictionariesAreSentAgainUnchangedOnesAreNot) {
  detail::ArrowField field;
  field.name = "d";
  field.kind = detail::ArrowKind::utf8;
  field.dictionary = detail::DictionaryEncoding{0, 8, false, false};
  detail::RecordBatchEncoder encoder({field});

  auto batch_with = [&](const char* data, const int32_t* offsets, std::string& out) {
    const void* dictionary_buffers[3] = {nullptr, offsets, data};
    ArrowArray dictionary{2, 0, 0, 3, 0, dictionary_buffers, nullptr, nullptr, nullptr, nullptr};
    uint8_t indices[3] = {0, 1, 0};
    const void* column_buffers[2] = {nullptr, indices};
    ArrowArray column{3, 0, 0, 2, 0, column_buffers, nullptr, &dictionary, nullptr, nullptr};
    ArrowArray* children[1] = {&column};
    const void* batch_buffers[1] = {nullptr};
    ArrowArray batch{3, 0, 0, 1, 1, batch_buffers, children, nullptr, nullptr, nullptr};
    encoder.encode(batch, out);
  };
  const int32_t offsets[3] = {0, 1, 3};
  std::string out;
  batch_with("abc", offsets, out);
  batch_with("abc", offsets, out);
  batch_with("xyz", offsets, out);
  auto messages = split_stream(out + ArrowStreamWriter::end_of_stream());
  ASSERT_EQ(messages.size(), 5u);
  const uint8_t expected[] = {kDictionaryBatch, kRecordBatch, kRecordBatch, kDictionaryBatch, kRecordBatch};
  for (size_t i = 0; i < messages.size(); ++i) EXPECT_EQ(messages[i].header_type, expected[i]) << i;
  const Message& replacement = messages[3];
  EXPECT_EQ(replacement.length, 2);
  EXPECT_EQ(replacement.body.substr(static_cast<size_t>(replacement.buffers[2].offset), 3), "xyz");
}

}  // namespace
}  // namespace pond::engine
