#pragma once
// StandaloneChunk — a DuckDB data chunk that belongs to no query: filled ahead of DuckDB by
// PrefetchedScan and handed over without copying, or filled by benchmarks and tests of a
// connector's decoding. Owns the chunk; used by one thread at a time.

#include <cstddef>
#include <memory>
#include <vector>

#include "engine/column_type.hpp"

struct _duckdb_data_chunk;

namespace pond::engine {

class StandaloneChunk {
 public:
  // Columns of these types, room for OutputChunk::kCapacity rows, size 0.
  explicit StandaloneChunk(const std::vector<const ColumnType*>& types);

  _duckdb_data_chunk* get() const { return chunk_.get(); }  // for OutputChunk and the engine
  size_t size() const;
  // Empties the chunk for refilling (size 0, NULL marks and string data dropped).
  void reset();

 private:
  struct Deleter {
    void operator()(_duckdb_data_chunk* chunk) const;
  };
  std::unique_ptr<_duckdb_data_chunk, Deleter> chunk_;
};

}  // namespace pond::engine
