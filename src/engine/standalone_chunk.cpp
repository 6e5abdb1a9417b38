#include "engine/standalone_chunk.hpp"

#include <duckdb.h>

#include "engine/logical_type.hpp"

namespace pond::engine {

void StandaloneChunk::Deleter::operator()(_duckdb_data_chunk* chunk) const {
  duckdb_data_chunk handle = chunk;
  duckdb_destroy_data_chunk(&handle);
}

StandaloneChunk::StandaloneChunk(const std::vector<const ColumnType*>& types) {
  std::vector<OwnedLogicalType> owned;
  std::vector<duckdb_logical_type> handles;
  for (const ColumnType* type : types) {
    owned.push_back(to_logical_type(*type));
    handles.push_back(owned.back().get());
  }
  chunk_.reset(duckdb_create_data_chunk(handles.data(), handles.size()));
}

size_t StandaloneChunk::size() const { return duckdb_data_chunk_get_size(chunk_.get()); }

void StandaloneChunk::reset() { duckdb_data_chunk_reset(chunk_.get()); }

}  // namespace pond::engine
