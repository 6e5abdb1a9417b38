#pragma once
// PrefetchedScan — runs a scan ahead of DuckDB on threads of its own: each thread has its own
// LocalScan and fills standalone chunks (at most kDepth, or about kMaxWaitingBytes, waiting per
// thread) while DuckDB works
// on the rows it already has, and next() hands a filled chunk to DuckDB's output chunk without
// copying (the vectors share their buffers). Used for scans that say GlobalScan::prefetch():
// reading from another engine then overlaps with DuckDB's own work on the rows, such as
// compressing them into a table.
//
// With one thread the scan is read as one stream. With several (GlobalScan::prefetch_threads()
// > 1) each thread claims tasks through LocalScan::next_task(), under this object's lock, and
// next() delivers the claimed tasks in the order they were claimed: the rows come out as one
// thread would have read them.
//
// Each LocalScan is made, used and destroyed on its thread. next() is called by one DuckDB
// thread at a time. Destruction (the query is over, or stopped early by a LIMIT, an error or an
// interrupt) lets running scan() calls finish their chunks for kStopGrace, then asks them to stop
// (LocalScan::stop()), and waits for the threads. Internal to the engine.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "engine/standalone_chunk.hpp"
#include "engine/table_function.hpp"

struct _duckdb_data_chunk;

namespace pond::engine {

class PrefetchedScan {
 public:
  // Chunks of up to 2048 rows per thread waiting for DuckDB. Tasks come out in order, so the
  // thread reading the next task can run ahead only this far while DuckDB takes the current
  // one: it must hold several tasks (a PostgreSQL range of 400 pages is ~16 chunks of narrow
  // rows). 16 left the PostgreSQL connections idle half of the time; 64 made MATERIALIZE of
  // 2M rows 15% faster (docs/benchmarks.md).
  static constexpr size_t kDepth = 64;
  // ... and no more than about this many bytes per thread (OutputChunk::estimated_bytes()):
  // wide rows reach it long before kDepth. One chunk may always wait, whatever its size.
  static constexpr size_t kMaxWaitingBytes = size_t{32} << 20;
  // How long destruction lets a running scan() finish its chunk before calling stop().
  static constexpr std::chrono::milliseconds kStopGrace{100};

  // `types` (of the projected columns) must outlive this object. `threads` >= 1; tasks are used
  // when `global.prefetch_threads()` > 1, even if this object runs one thread.
  PrefetchedScan(GlobalScan& global, const std::vector<const ColumnType*>& types, size_t threads = 1);
  PrefetchedScan(const PrefetchedScan&) = delete;
  PrefetchedScan& operator=(const PrefetchedScan&) = delete;
  ~PrefetchedScan();

  // Moves the next filled chunk into `out`; returns its row count, 0 when the scan is over.
  // Rethrows a scan's error once the rows of the tasks before it are delivered.
  size_t next(_duckdb_data_chunk* out);

 private:
  struct Worker {
    std::unique_ptr<LocalScan> scan;  // set and reset by the thread, under mutex_
    bool in_scan = false;             // the thread is inside LocalScan::scan()
    size_t waiting = 0;               // its chunks not yet delivered
    size_t waiting_bytes = 0;         // their estimated_bytes()
  };
  // One claimed task (or the whole scan, without tasks): its chunks in order.
  struct Task {
    size_t worker = 0;
    std::deque<std::pair<StandaloneChunk, size_t>> chunks;  // with its estimated bytes
    bool done = false;
    std::exception_ptr error;  // delivered after the chunks
  };

  void run(std::stop_token stop, GlobalScan& global, size_t worker);
  void read_task(std::stop_token stop, LocalScan& reader, Task& task, size_t worker);

  const std::vector<const ColumnType*>& types_;
  const bool tasked_;
  std::mutex mutex_;
  std::condition_variable_any filled_;  // a chunk is ready, a task ended, or scan() returned
  std::condition_variable_any space_;   // a thread may add a chunk
  std::deque<Task> tasks_;              // claimed, in delivery order (references stay valid)
  std::vector<Worker> workers_;
  size_t running_ = 0;  // threads that have not finished
  bool claimed_whole_ = false;
  std::vector<std::jthread> threads_;  // last: started after every other member exists
};

}  // namespace pond::engine
