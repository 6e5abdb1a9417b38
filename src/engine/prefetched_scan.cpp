#include "engine/prefetched_scan.hpp"

#include <duckdb.h>

#include "engine/logical_type.hpp"

namespace pond::engine {

void PrefetchedScan::ChunkDeleter::operator()(_duckdb_data_chunk* chunk) const {
  duckdb_data_chunk handle = chunk;
  duckdb_destroy_data_chunk(&handle);
}

PrefetchedScan::PrefetchedScan(GlobalScan& global, const std::vector<const ColumnType*>& types)
    : types_(types), thread_([this, &global](std::stop_token stop) { run(stop, global); }) {}

PrefetchedScan::~PrefetchedScan() {
  thread_.request_stop();  // wakes the thread when it waits for a free slot
  {
    std::unique_lock lock(mutex_);
    if (!filled_.wait_for(lock, kStopGrace, [&] { return !in_scan_; }) && scan_) scan_->stop();
  }
  thread_.join();
}

PrefetchedScan::OwnedChunk PrefetchedScan::make_chunk() const {
  std::vector<OwnedLogicalType> owned;
  std::vector<duckdb_logical_type> handles;
  for (const ColumnType* type : types_) {
    owned.push_back(to_logical_type(*type));
    handles.push_back(owned.back().get());
  }
  return OwnedChunk(duckdb_create_data_chunk(handles.data(), handles.size()));
}

void PrefetchedScan::run(std::stop_token stop, GlobalScan& global) {
  try {
    std::unique_ptr<LocalScan> scan = global.init_local();
    LocalScan* reader = scan.get();
    {
      std::lock_guard lock(mutex_);
      scan_ = std::move(scan);
    }
    while (!stop.stop_requested()) {
      OwnedChunk chunk = make_chunk();
      OutputChunk out(chunk.get(), types_);
      {
        std::lock_guard lock(mutex_);
        in_scan_ = true;
      }
      size_t rows = reader->scan(out);
      std::unique_lock lock(mutex_);
      in_scan_ = false;
      filled_.notify_all();
      if (rows == 0) break;
      out.set_size(rows);
      if (!space_.wait(lock, stop, [&] { return ready_.size() < kDepth; })) break;
      ready_.push_back(std::move(chunk));
      filled_.notify_one();
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    in_scan_ = false;
    error_ = std::current_exception();
  }
  std::unique_ptr<LocalScan> done;
  {
    std::lock_guard lock(mutex_);
    done = std::move(scan_);
  }
  done.reset();  // on the thread that made it, without the lock: it may talk to its server
  std::lock_guard lock(mutex_);
  finished_ = true;
  filled_.notify_all();
}

size_t PrefetchedScan::next(_duckdb_data_chunk* out) {
  OwnedChunk chunk;
  {
    std::unique_lock lock(mutex_);
    filled_.wait(lock, [&] { return !ready_.empty() || finished_; });
    if (ready_.empty()) {
      if (error_) std::rethrow_exception(error_);
      return 0;
    }
    chunk = std::move(ready_.front());
    ready_.pop_front();
    space_.notify_one();
  }
  for (idx_t i = 0; i < types_.size(); ++i) {
    duckdb_vector_reference_vector(duckdb_data_chunk_get_vector(out, i), duckdb_data_chunk_get_vector(chunk.get(), i));
  }
  size_t rows = duckdb_data_chunk_get_size(chunk.get());
  duckdb_data_chunk_set_size(out, rows);
  return rows;
}

}  // namespace pond::engine
