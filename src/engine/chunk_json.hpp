#pragma once
// Rows of a result chunk as JSON arrays, the text append_json_value() gives value by value,
// but read straight from DuckDB's vectors for the common types (booleans, integers, floats,
// VARCHAR): the server's JSON results spend their time here. Stateless; thread-safe.

#include <cstddef>
#include <string>

#include "engine/result.hpp"

namespace pond::engine {

// Appends rows [from, to) of `chunk` as "[v,v,...]" arrays separated by commas; the first
// array gets no leading comma while `first_row` is true, which is then set false.
void append_chunk_rows_json(std::string& out, const Chunk& chunk, size_t from, size_t to, bool& first_row);

}  // namespace pond::engine
