#include "pg_scan_driver.hpp"

#include <duckdb.h>

#include "engine/standalone_chunk.hpp"

namespace pond::test::pg {

ScanDriver::ScanDriver(engine::BoundScan& scan, std::vector<size_t> projection) {
  for (size_t index : projection) {
    types_.push_back(index < scan.columns().size() ? &scan.columns()[index].type : &rowid_);
  }
  global_ = scan.init(projection);
}

ScanDriver::~ScanDriver() = default;

ScanDriver::Chunk ScanDriver::next(engine::LocalScan& local) {
  engine::StandaloneChunk chunk(types_);
  engine::OutputChunk output(chunk.get(), types_);
  Chunk out;
  out.rows = local.scan(output);
  if (!types_.empty() && out.rows > 0) {
    duckdb_vector vector = duckdb_data_chunk_get_vector(chunk.get(), 0);
    uint64_t* validity = duckdb_vector_get_validity(vector);
    for (size_t r = 0; r < out.rows; ++r) {
      if (validity && !duckdb_validity_row_is_valid(validity, r)) continue;
      if (types_[0]->id == engine::TypeId::bigint) out.sum += static_cast<int64_t*>(duckdb_vector_get_data(vector))[r];
      if (types_[0]->id == engine::TypeId::integer) out.sum += static_cast<int32_t*>(duckdb_vector_get_data(vector))[r];
    }
  }
  return out;
}

ScanDriver::Chunk ScanDriver::drain(engine::LocalScan& local) {
  Chunk total;
  while (true) {
    Chunk c = next(local);
    if (c.rows == 0) return total;
    total.rows += c.rows;
    total.sum += c.sum;
  }
}

}  // namespace pond::test::pg
