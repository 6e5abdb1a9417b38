#pragma once
// CopyRowDecoder — decodes the CopyData messages of a binary COPY (one row each; the first
// also carries the file header, the last is the trailer) straight into a chunk's columns in
// one pass over each message. The decoding of each field is chosen once per column: the
// common fixed-width types and text are written directly, the rest through decode_value().
// One instance per COPY stream, used by one thread.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "connectors/postgres/pg_binary_reader.hpp"

namespace pond::connectors::postgres {

// A field whose bytes do not fit its column: `field` is its index in the COPY's rows.
class MalformedField : public MalformedValue {
 public:
  MalformedField(size_t field, const std::string& what) : MalformedValue(what), field(field) {}
  size_t field;
};

class CopyRowDecoder {
 public:
  enum class Message { row, header, trailer };

  // Field i of every row has type `*types[i]` (which must outlive the decoder) and goes to
  // output column outputs[i].
  CopyRowDecoder(std::vector<const PgType*> types, std::vector<size_t> outputs);

  // Points the decoder at the chunk the next rows go to.
  void start_chunk(engine::OutputChunk& out);
  // A new COPY stream follows (it starts with a header again).
  void restart() { header_read_ = false; }
  // Decodes one message; a row goes into row `row` of the current chunk. Throws
  // MalformedField for a value that does not fit its column, MalformedValue for a broken
  // stream (no header, a wrong field count, a message that ends early).
  Message decode(std::string_view message, size_t row);

 private:
  enum class Kind : uint8_t { int16, int32, int64, float32, float64, boolean, date, timestamp, text, decimal64, other };
  struct Field {
    const PgType* type;
    size_t output;
    Kind kind;
  };

  void decode_field(size_t index, const char* bytes, size_t size, size_t row);
  void decode_decimal(size_t index, const char* bytes, size_t size, size_t row);
  void decode_generic(size_t index, std::string_view bytes, size_t row);

  std::vector<Field> fields_;
  std::vector<engine::OutputVector> vectors_;  // of the current chunk, one per field
  bool header_read_ = false;
};

}  // namespace pond::connectors::postgres
