#include "server/result_json.hpp"

#include "engine/value_json.hpp"

namespace pond::server {

nlohmann::json columns_json(const std::vector<engine::Column>& columns) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& column : columns) out.push_back({{"name", column.name}, {"type", column.type_name}});
  return out;
}

void append_rows_json(std::string& out, const engine::Chunk& chunk, size_t from, size_t to, bool& first_row) {
  const size_t columns = chunk.column_count();
  for (size_t row = from; row < to; ++row) {
    out += first_row ? "[" : ",[";
    first_row = false;
    for (size_t c = 0; c < columns; ++c) {
      if (c > 0) out += ',';
      engine::append_json_value(out, chunk.value(c, row));
    }
    out += ']';
  }
}

}  // namespace pond::server
