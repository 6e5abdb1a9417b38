#pragma once
// Decoding of PostgreSQL's binary format — the values of binary query results and of COPY ...
// TO STDOUT (FORMAT binary) rows (CopyRowDecoder splits those) — straight into the engine's
// output vectors. Stateless.

#include <stdexcept>
#include <string_view>

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

}  // namespace pond::connectors::postgres
