// CopyRowDecoder without a server: every value it writes through its direct paths must equal
// what decode_value() writes for the same bytes (edge values included), and a broken stream
// or value gives the same errors.

#include "connectors/postgres/pg_copy_decoder.hpp"

#include <duckdb.h>
#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "engine/standalone_chunk.hpp"

namespace pond::connectors::postgres {
namespace {

template <typename T>
std::string be(T value) {
  std::string out;
  for (int shift = (sizeof(T) - 1) * 8; shift >= 0; shift -= 8)
    out += static_cast<char>((static_cast<uint64_t>(value) >> shift) & 0xff);
  return out;
}

std::string numeric(int16_t weight, uint16_t sign, int16_t dscale, const std::vector<uint16_t>& digits) {
  std::string out = be<uint16_t>(static_cast<uint16_t>(digits.size())) + be<int16_t>(weight) + be<uint16_t>(sign) +
                    be<int16_t>(dscale);
  for (uint16_t d : digits) out += be<uint16_t>(d);
  return out;
}

std::string header() { return std::string("PGCOPY\n\377\r\n\0", 11) + be<uint32_t>(0) + be<uint32_t>(0); }

// One row message; std::nullopt fields are NULL.
std::string row(const std::vector<std::optional<std::string>>& fields) {
  std::string out = be<int16_t>(static_cast<int16_t>(fields.size()));
  for (const auto& field : fields) {
    if (!field) {
      out += be<int32_t>(-1);
    } else {
      out += be<int32_t>(static_cast<int32_t>(field->size())) + *field;
    }
  }
  return out;
}

constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax64 = std::numeric_limits<int64_t>::max();
constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax32 = std::numeric_limits<int32_t>::max();

class CopyRowDecoderTest : public ::testing::Test {
 protected:
  // oid, typmod per column: int2, int4, int8, float4, float8, bool, date, timestamp,
  // timestamptz, text, bytea, numeric(12,2), numeric(4,1), numeric(30,5), numeric, uuid
  CopyRowDecoderTest()
      : types_{map_type(21, -1, {}),
               map_type(23, -1, {}),
               map_type(20, -1, {}),
               map_type(700, -1, {}),
               map_type(701, -1, {}),
               map_type(16, -1, {}),
               map_type(1082, -1, {}),
               map_type(1114, -1, {}),
               map_type(1184, -1, {}),
               map_type(25, -1, {}),
               map_type(17, -1, {}),
               map_type(1700, ((12 << 16) | 2) + 4, {}),
               map_type(1700, ((4 << 16) | 1) + 4, {}),
               map_type(1700, ((30 << 16) | 5) + 4, {}),
               map_type(1700, -1, {}),
               map_type(2950, -1, {})} {
    for (size_t i = 0; i < types_.size(); ++i) {
      field_types_.push_back(&types_[i]);
      columns_.push_back(&types_[i].column);
      outputs_.push_back(i);
    }
  }

  // Column `col` of every row, decoded by CopyRowDecoder and by decode_value(), must hold the
  // same bytes (and the same NULLs, and the same text).
  void expect_same_as_decode_value(const std::vector<std::vector<std::optional<std::string>>>& rows) {
    engine::StandaloneChunk fused(columns_);
    engine::StandaloneChunk reference(columns_);
    engine::OutputChunk fused_out(fused.get(), columns_);
    engine::OutputChunk reference_out(reference.get(), columns_);
    CopyRowDecoder decoder(field_types_, outputs_);
    decoder.start_chunk(fused_out);
    ASSERT_EQ(decoder.decode(header(), 0), CopyRowDecoder::Message::header);
    for (size_t r = 0; r < rows.size(); ++r) {
      ASSERT_EQ(decoder.decode(row(rows[r]), r), CopyRowDecoder::Message::row);
      for (size_t c = 0; c < rows[r].size(); ++c) {
        engine::OutputVector vector = reference_out.column(c);
        if (!rows[r][c]) {
          vector.set_null(r);
        } else {
          decode_value(types_[c], *rows[r][c], vector, r);
        }
      }
    }
    for (size_t c = 0; c < columns_.size(); ++c) {
      duckdb_vector a = duckdb_data_chunk_get_vector(fused.get(), c);
      duckdb_vector b = duckdb_data_chunk_get_vector(reference.get(), c);
      duckdb_logical_type type = duckdb_vector_get_column_type(a);
      duckdb_type id = duckdb_get_type_id(type);
      size_t width = 0;
      if (id == DUCKDB_TYPE_DECIMAL) {
        duckdb_type internal = duckdb_decimal_internal_type(type);
        width = internal == DUCKDB_TYPE_SMALLINT  ? 2
                : internal == DUCKDB_TYPE_INTEGER ? 4
                : internal == DUCKDB_TYPE_BIGINT  ? 8
                                                  : 16;
      }
      duckdb_destroy_logical_type(&type);
      for (size_t r = 0; r < rows.size(); ++r) {
        SCOPED_TRACE("column " + std::to_string(c) + ", row " + std::to_string(r));
        uint64_t* va = duckdb_vector_get_validity(a);
        uint64_t* vb = duckdb_vector_get_validity(b);
        bool valid_a = !va || duckdb_validity_row_is_valid(va, r);
        bool valid_b = !vb || duckdb_validity_row_is_valid(vb, r);
        ASSERT_EQ(valid_a, valid_b);
        if (!valid_a) continue;
        if (id == DUCKDB_TYPE_VARCHAR || id == DUCKDB_TYPE_BLOB) {
          auto* sa = static_cast<duckdb_string_t*>(duckdb_vector_get_data(a)) + r;
          auto* sb = static_cast<duckdb_string_t*>(duckdb_vector_get_data(b)) + r;
          EXPECT_EQ(std::string(duckdb_string_t_data(sa), duckdb_string_t_length(*sa)),
                    std::string(duckdb_string_t_data(sb), duckdb_string_t_length(*sb)));
          continue;
        }
        size_t size = width ? width : slot_size(id);
        ASSERT_GT(size, 0u);
        EXPECT_EQ(0, std::memcmp(static_cast<char*>(duckdb_vector_get_data(a)) + r * size,
                                 static_cast<char*>(duckdb_vector_get_data(b)) + r * size, size));
      }
    }
  }

  static size_t slot_size(duckdb_type id) {
    switch (id) {
      case DUCKDB_TYPE_BOOLEAN:
        return 1;
      case DUCKDB_TYPE_SMALLINT:
        return 2;
      case DUCKDB_TYPE_INTEGER:
      case DUCKDB_TYPE_FLOAT:
      case DUCKDB_TYPE_DATE:
        return 4;
      case DUCKDB_TYPE_BIGINT:
      case DUCKDB_TYPE_DOUBLE:
      case DUCKDB_TYPE_TIMESTAMP:
      case DUCKDB_TYPE_TIMESTAMP_TZ:
        return 8;
      case DUCKDB_TYPE_UUID:
        return 16;
      default:
        return 0;
    }
  }

  // A row of the 16 columns with every field NULL but `index`.
  std::vector<std::optional<std::string>> only(size_t index, std::string bytes) const {
    std::vector<std::optional<std::string>> fields(types_.size());
    fields[index] = std::move(bytes);
    return fields;
  }

  std::vector<PgType> types_;
  std::vector<const PgType*> field_types_;
  std::vector<const engine::ColumnType*> columns_;
  std::vector<size_t> outputs_;
};

TEST_F(CopyRowDecoderTest, EveryColumnMatchesDecodeValueIncludingEdgeValues) {
  const std::string uuid = be<uint64_t>(0x0123456789abcdefULL) + be<uint64_t>(0xfedcba9876543210ULL);
  std::vector<std::vector<std::optional<std::string>>> rows{
      {be<int16_t>(-32768), be<int32_t>(kMin32), be<int64_t>(kMin64), be<uint32_t>(std::bit_cast<uint32_t>(-1.5f)),
       be<uint64_t>(std::bit_cast<uint64_t>(3.25)), std::string(1, '\1'), be<int32_t>(-1), be<int64_t>(-1),
       be<int64_t>(123456789), "héllo, a string longer than twelve bytes", std::string("\0\1\2", 3),
       numeric(1, 0x0000, 2, {1, 2345, 6700}), numeric(0, 0x4000, 1, {123, 4000}),
       numeric(6, 0, 5, {1, 2, 3, 4, 5, 6, 7, 8}), numeric(-1, 0x4000, 2, {500}), uuid},
      std::vector<std::optional<std::string>>(16),  // all NULL
      {be<int16_t>(32767), be<int32_t>(kMax32), be<int64_t>(kMax64), be<uint32_t>(std::bit_cast<uint32_t>(0.0f)),
       be<uint64_t>(std::bit_cast<uint64_t>(-0.0)), std::string(1, '\0'), be<int32_t>(kMax32), be<int64_t>(kMax64),
       be<int64_t>(kMin64), "", "", numeric(0, 0, 2, {}), numeric(0, 0, 1, {999, 9000}),
       numeric(-2, 0x4000, 8, {1234, 5678}), numeric(0, 0xC000, 0, {}), uuid},
      {be<int16_t>(0), be<int32_t>(0), be<int64_t>(0), be<uint32_t>(0x7fc00000), be<uint64_t>(0x7ff8000000000000ULL),
       std::string(1, '\2'), be<int32_t>(kMin32), be<int64_t>(kMin64), be<int64_t>(kMax64), "short", "bytes",
       numeric(2, 0x4000, 2, {9999, 9999, 9999, 9900}),  // -999,999,999,999.99: the largest numeric(12,2)... and more
       numeric(-1, 0, 4, {1234}), numeric(0, 0, 0, {7}), numeric(3, 0, 0, {1, 0, 0, 0}), uuid},
      // digits past the scale are truncated, as numeric_unscaled does
      only(11, numeric(0, 0x4000, 4, {12, 3456})),
      only(11, numeric(-1, 0, 4, {99, 9999})),
      only(11, numeric(2, 0, 2, {99, 9999, 9999, 9900})),  // 99,999,999,999.99
  };
  expect_same_as_decode_value(rows);
}

TEST_F(CopyRowDecoderTest, TheTrailerEndsTheStream) {
  engine::StandaloneChunk chunk(columns_);
  engine::OutputChunk out(chunk.get(), columns_);
  CopyRowDecoder decoder(field_types_, outputs_);
  decoder.start_chunk(out);
  EXPECT_EQ(decoder.decode(header() + be<int16_t>(-1), 0), CopyRowDecoder::Message::trailer);
}

class CopyRowDecoderErrors : public CopyRowDecoderTest {
 protected:
  // The error decoding `message` (after a header) throws, and the field it names (-1: none).
  std::pair<std::string, int> error_of(const std::string& message) {
    engine::StandaloneChunk chunk(columns_);
    engine::OutputChunk out(chunk.get(), columns_);
    CopyRowDecoder decoder(field_types_, outputs_);
    decoder.start_chunk(out);
    try {
      decoder.decode(header(), 0);
      decoder.decode(message, 0);
    } catch (const MalformedField& e) {
      return {e.what(), static_cast<int>(e.field)};
    } catch (const MalformedValue& e) {
      return {e.what(), -1};
    }
    ADD_FAILURE() << "no error";
    return {"", -1};
  }
};

TEST_F(CopyRowDecoderErrors, AValueOfTheWrongSizeNamesItsField) {
  auto [message, field] = error_of(row(only(2, be<int32_t>(7))));
  EXPECT_EQ(field, 2);
  EXPECT_EQ(message, "a bigint value has 4 bytes, not 8");
  std::tie(message, field) = error_of(row(only(6, be<int16_t>(7))));
  EXPECT_EQ(field, 6);
  EXPECT_EQ(message, "a date value has 2 bytes, not 4");
}

TEST_F(CopyRowDecoderErrors, AMalformedNumericNamesItsField) {
  auto [message, field] = error_of(row(only(11, numeric(0, 0x1234, 2, {1}))));
  EXPECT_EQ(field, 11);
  EXPECT_EQ(message, "a numeric value is malformed");
}

TEST_F(CopyRowDecoderErrors, AWrongFieldCountIsABrokenStream) {
  auto [message, field] = error_of(row({be<int16_t>(1), be<int32_t>(2)}));
  EXPECT_EQ(field, -1);
  EXPECT_EQ(message, "COPY sent 2 columns, expected 16");
}

TEST_F(CopyRowDecoderErrors, ARowThatEndsEarlyIsABrokenStream) {
  std::string message = row(only(9, "some text"));
  auto [text, field] = error_of(message.substr(0, message.size() - 3));
  EXPECT_EQ(field, -1);
  EXPECT_EQ(text, "a COPY row ends early");
}

TEST_F(CopyRowDecoderErrors, DataWithoutTheHeaderIsRefused) {
  engine::StandaloneChunk chunk(columns_);
  engine::OutputChunk out(chunk.get(), columns_);
  CopyRowDecoder decoder(field_types_, outputs_);
  decoder.start_chunk(out);
  EXPECT_THROW(decoder.decode(std::string(19, 'x'), 0), MalformedValue);
}

}  // namespace
}  // namespace pond::connectors::postgres
