#include "server/result_json.hpp"

#include "engine/chunk_json.hpp"

namespace pond::server {

nlohmann::json columns_json(const std::vector<engine::Column>& columns) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& column : columns) out.push_back({{"name", column.name}, {"type", column.type_name}});
  return out;
}

void append_rows_json(std::string& out, const engine::Chunk& chunk, size_t from, size_t to, bool& first_row) {
  engine::append_chunk_rows_json(out, chunk, from, to, first_row);
}

}  // namespace pond::server
