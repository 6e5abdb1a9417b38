#include "engine/chunk_json.hpp"

#include <duckdb.h>

#include <charconv>
#include <cmath>
#include <vector>

#include "engine/result_impl.hpp"
#include "engine/value_json.hpp"

namespace pond::engine {
namespace {

enum class Kind { boolean, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, varchar, other };

Kind kind_of(duckdb_logical_type type) {
  switch (duckdb_get_type_id(type)) {
    case DUCKDB_TYPE_BOOLEAN:
      return Kind::boolean;
    case DUCKDB_TYPE_TINYINT:
      return Kind::i8;
    case DUCKDB_TYPE_SMALLINT:
      return Kind::i16;
    case DUCKDB_TYPE_INTEGER:
      return Kind::i32;
    case DUCKDB_TYPE_BIGINT:
      return Kind::i64;
    case DUCKDB_TYPE_UTINYINT:
      return Kind::u8;
    case DUCKDB_TYPE_USMALLINT:
      return Kind::u16;
    case DUCKDB_TYPE_UINTEGER:
      return Kind::u32;
    case DUCKDB_TYPE_UBIGINT:
      return Kind::u64;
    case DUCKDB_TYPE_FLOAT:
      return Kind::f32;
    case DUCKDB_TYPE_DOUBLE:
      return Kind::f64;
    case DUCKDB_TYPE_VARCHAR:
      return Kind::varchar;
    default:
      return Kind::other;
  }
}

struct ColumnView {
  Kind kind;
  const void* data;
  uint64_t* validity;
};

template <typename T>
void append_integer(std::string& out, const void* data, size_t row) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, static_cast<const T*>(data)[row]);
  out.append(buffer, end);
}

}  // namespace

void append_chunk_rows_json(std::string& out, const Chunk& chunk, size_t from, size_t to, bool& first_row) {
  const Chunk::Impl& impl = chunk.impl();
  const size_t columns = chunk.column_count();
  std::vector<ColumnView> views;
  views.reserve(columns);
  for (size_t c = 0; c < columns; ++c) {
    duckdb_vector vector = duckdb_data_chunk_get_vector(impl.chunk, c);
    views.push_back(
        ColumnView{kind_of(impl.types.at(c)), duckdb_vector_get_data(vector), duckdb_vector_get_validity(vector)});
  }
  for (size_t row = from; row < to; ++row) {
    out += first_row ? "[" : ",[";
    first_row = false;
    for (size_t c = 0; c < columns; ++c) {
      if (c > 0) out += ',';
      const ColumnView& view = views[c];
      if (view.validity && !duckdb_validity_row_is_valid(view.validity, row)) {
        out += "null";
        continue;
      }
      switch (view.kind) {
        case Kind::boolean:
          out += static_cast<const bool*>(view.data)[row] ? "true" : "false";
          break;
        case Kind::i8:
          append_integer<int8_t>(out, view.data, row);
          break;
        case Kind::i16:
          append_integer<int16_t>(out, view.data, row);
          break;
        case Kind::i32:
          append_integer<int32_t>(out, view.data, row);
          break;
        case Kind::i64:
          append_integer<int64_t>(out, view.data, row);
          break;
        case Kind::u8:
          append_integer<uint8_t>(out, view.data, row);
          break;
        case Kind::u16:
          append_integer<uint16_t>(out, view.data, row);
          break;
        case Kind::u32:
          append_integer<uint32_t>(out, view.data, row);
          break;
        case Kind::u64:
          append_integer<uint64_t>(out, view.data, row);
          break;
        case Kind::varchar: {
          auto* s = const_cast<duckdb_string_t*>(static_cast<const duckdb_string_t*>(view.data) + row);
          append_json_string(out, std::string_view(duckdb_string_t_data(s), duckdb_string_t_length(*s)));
          break;
        }
        case Kind::f32:
        case Kind::f64:
        case Kind::other:
          // Floats keep Value's shortest round-trip text (and null when not finite).
          append_json_value(out, chunk.value(c, row));
          break;
      }
    }
    out += ']';
  }
}

}  // namespace pond::engine
