#pragma once
// Decoding of PostgreSQL's binary format — the rows of COPY ... TO STDOUT (FORMAT binary) and
// binary query results — straight into the engine's output vectors. Stateless apart from
// CopyTupleReader's header flag; one instance per stream.

#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "connectors/postgres/pg_types.hpp"
#include "engine/table_function.hpp"

namespace pond::connectors::postgres {

// Bytes that do not match the expected type (the column changed since bind, or a value Pond
// cannot represent). The scanner adds the source, table and column to the message.
class MalformedValue : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes one non-NULL value of `type` (its binary form) into row `row` of `out`.
void decode_value(const PgType& type, std::string_view bytes, engine::OutputVector& out, size_t row);

// Splits the CopyData messages of a binary COPY into fields. PostgreSQL sends one message
// per row; the first also carries the file header, the last is the trailer.
class CopyTupleReader {
 public:
  enum class Message { row, header, trailer };
  // Fills `fields` (std::nullopt for NULL) when `message` holds a row.
  Message read(std::string_view message, std::vector<std::optional<std::string_view>>& fields);

 private:
  bool header_read_ = false;
};

}  // namespace pond::connectors::postgres
