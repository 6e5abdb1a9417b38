#pragma once
// ScanDriver — runs a BoundScan the way DuckDB does (init with a projection, LocalScans that
// fill chunks) but from the test, so that tests can interleave scans with other work and see
// the pond::Error kinds that a scan throws (a DuckDB query turns them into DuckDB errors).

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/table_function.hpp"

namespace pond::test::pg {

class ScanDriver {
 public:
  ScanDriver(engine::BoundScan& scan, std::vector<size_t> projection);
  ~ScanDriver();

  engine::GlobalScan& global() { return *global_; }
  std::unique_ptr<engine::LocalScan> local() { return global_->init_local(); }

  struct Chunk {
    size_t rows = 0;
    int64_t sum = 0;  // of the first projected column when it is BIGINT or INTEGER
  };
  // One scan() call into a fresh chunk.
  Chunk next(engine::LocalScan& local);
  // Every remaining chunk of `local`.
  Chunk drain(engine::LocalScan& local);

 private:
  std::vector<const engine::ColumnType*> types_;
  engine::ColumnType rowid_ = engine::ColumnType::of(engine::TypeId::bigint);
  std::unique_ptr<engine::GlobalScan> global_;
};

}  // namespace pond::test::pg
