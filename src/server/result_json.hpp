#pragma once
// JSON text for query results: column descriptions and rows as arrays of cells in column
// order (the value forms of engine/value_json.hpp). Stateless; thread-safe.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/result.hpp"

namespace pond::server {

// [{"name": ..., "type": "DECIMAL(12,2)"}, ...]
nlohmann::json columns_json(const std::vector<engine::Column>& columns);
// Appends rows [from, to) of `chunk` as ",[...]" each (no comma before the first row of a
// result: `first_row` is cleared after it).
void append_rows_json(std::string& out, const engine::Chunk& chunk, size_t from, size_t to, bool& first_row);

}  // namespace pond::server
