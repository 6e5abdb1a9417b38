#pragma once
// PrefetchedScan — runs one LocalScan on a thread of its own, ahead of DuckDB: the thread fills
// standalone chunks (at most kDepth waiting) while DuckDB works on the rows it already has, and
// next() hands a filled chunk to DuckDB's output chunk without copying (the vectors share their
// buffers). Used for scans that say GlobalScan::prefetch(): reading from another engine then
// overlaps with DuckDB's own work on the rows, such as compressing them into a table.
//
// The LocalScan is made, used and destroyed on the prefetch thread. next() is called by one
// DuckDB thread at a time. Destruction (the query is over, or stopped early by a LIMIT, an
// error or an interrupt) lets a running scan() finish its chunk for kStopGrace, then asks it to
// stop (LocalScan::stop()), and waits for the thread. Internal to the engine.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/table_function.hpp"

struct _duckdb_data_chunk;

namespace pond::engine {

class PrefetchedScan {
 public:
  static constexpr size_t kDepth = 16;  // chunks of up to 2048 rows waiting for DuckDB
  // How long destruction lets a running scan() finish its chunk before calling stop().
  static constexpr std::chrono::milliseconds kStopGrace{100};

  // `types` (of the projected columns) must outlive this object.
  PrefetchedScan(GlobalScan& global, const std::vector<const ColumnType*>& types);
  PrefetchedScan(const PrefetchedScan&) = delete;
  PrefetchedScan& operator=(const PrefetchedScan&) = delete;
  ~PrefetchedScan();

  // Moves the next filled chunk into `out`; returns its row count, 0 when the scan is over.
  // Rethrows the scan's error once the rows read before it are delivered.
  size_t next(_duckdb_data_chunk* out);

 private:
  struct ChunkDeleter {
    void operator()(_duckdb_data_chunk* chunk) const;
  };
  using OwnedChunk = std::unique_ptr<_duckdb_data_chunk, ChunkDeleter>;

  void run(std::stop_token stop, GlobalScan& global);
  OwnedChunk make_chunk() const;

  const std::vector<const ColumnType*>& types_;
  std::mutex mutex_;
  std::condition_variable_any filled_;  // a chunk is ready, the scan is over, or scan() returned
  std::condition_variable_any space_;   // a slot is free
  std::deque<OwnedChunk> ready_;
  std::unique_ptr<LocalScan> scan_;  // set and reset by the thread, under mutex_
  bool in_scan_ = false;             // the thread is inside LocalScan::scan()
  bool finished_ = false;
  std::exception_ptr error_;
  std::jthread thread_;  // last: starts after every other member exists
};

}  // namespace pond::engine
