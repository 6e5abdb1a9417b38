#include "engine/prefetched_scan.hpp"

#include <duckdb.h>

#include <algorithm>
#include <optional>
#include <utility>

namespace pond::engine {

PrefetchedScan::PrefetchedScan(GlobalScan& global, const std::vector<const ColumnType*>& types, size_t threads)
    : types_(types), tasked_(global.prefetch_threads() > 1), workers_(std::max<size_t>(1, threads)) {
  running_ = workers_.size();
  threads_.reserve(workers_.size());
  for (size_t w = 0; w < workers_.size(); ++w) {
    threads_.emplace_back([this, &global, w](std::stop_token stop) { run(stop, global, w); });
  }
}

PrefetchedScan::~PrefetchedScan() {
  for (auto& thread : threads_) thread.request_stop();  // wakes threads waiting for a free slot
  {
    std::unique_lock lock(mutex_);
    auto idle = [&] {
      return std::none_of(workers_.begin(), workers_.end(), [](const Worker& w) { return w.in_scan; });
    };
    if (!filled_.wait_for(lock, kStopGrace, idle)) {
      for (Worker& worker : workers_) {
        if (worker.in_scan && worker.scan) worker.scan->stop();
      }
    }
  }
  for (auto& thread : threads_) thread.join();
}

void PrefetchedScan::read_task(std::stop_token stop, LocalScan& reader, Task& task, size_t worker) {
  while (!stop.stop_requested()) {
    StandaloneChunk chunk(types_);
    OutputChunk out(chunk.get(), types_);
    {
      std::lock_guard lock(mutex_);
      workers_[worker].in_scan = true;
    }
    size_t rows = reader.scan(out);
    std::unique_lock lock(mutex_);
    workers_[worker].in_scan = false;
    filled_.notify_all();
    if (rows == 0) return;
    out.set_size(rows);
    const size_t bytes = out.estimated_bytes(rows);
    Worker& me = workers_[worker];
    if (!space_.wait(lock, stop, [&] { return me.waiting < kDepth && me.waiting_bytes < kMaxWaitingBytes; })) return;
    task.chunks.emplace_back(std::move(chunk), bytes);
    ++me.waiting;
    me.waiting_bytes += bytes;
  }
}

void PrefetchedScan::run(std::stop_token stop, GlobalScan& global, size_t worker) {
  Task* task = nullptr;
  try {
    std::unique_ptr<LocalScan> scan = global.init_local();
    LocalScan* reader = scan.get();
    {
      std::lock_guard lock(mutex_);
      workers_[worker].scan = std::move(scan);
    }
    while (!stop.stop_requested()) {
      {
        std::lock_guard lock(mutex_);
        // Claiming and queueing under one lock keeps the queue in claim order.
        bool claimed = tasked_ ? reader->next_task() : !std::exchange(claimed_whole_, true);
        if (!claimed) break;
        tasks_.push_back(Task{worker, {}, false, nullptr});
        task = &tasks_.back();
      }
      read_task(stop, *reader, *task, worker);
      std::lock_guard lock(mutex_);
      task->done = true;
      task = nullptr;
      filled_.notify_all();
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    workers_[worker].in_scan = false;
    if (!task) {
      tasks_.push_back(Task{worker, {}, false, nullptr});
      task = &tasks_.back();
    }
    task->error = std::current_exception();
    task->done = true;
  }
  std::unique_ptr<LocalScan> done;
  {
    std::lock_guard lock(mutex_);
    done = std::move(workers_[worker].scan);
  }
  done.reset();  // on the thread that made it, without the lock: it may talk to its server
  std::lock_guard lock(mutex_);
  --running_;
  filled_.notify_all();
}

size_t PrefetchedScan::next(_duckdb_data_chunk* out) {
  std::optional<StandaloneChunk> chunk;
  {
    std::unique_lock lock(mutex_);
    for (;;) {
      filled_.wait(
          lock, [&] { return tasks_.empty() ? running_ == 0 : !tasks_.front().chunks.empty() || tasks_.front().done; });
      if (tasks_.empty()) return 0;
      Task& task = tasks_.front();
      if (!task.chunks.empty()) {
        chunk.emplace(std::move(task.chunks.front().first));
        --workers_[task.worker].waiting;
        workers_[task.worker].waiting_bytes -= task.chunks.front().second;
        task.chunks.pop_front();
        space_.notify_all();
        break;
      }
      if (task.error) std::rethrow_exception(task.error);  // stays first: later calls fail too
      tasks_.pop_front();
    }
  }
  for (idx_t i = 0; i < types_.size(); ++i) {
    duckdb_vector_reference_vector(duckdb_data_chunk_get_vector(out, i), duckdb_data_chunk_get_vector(chunk->get(), i));
  }
  size_t rows = chunk->size();
  duckdb_data_chunk_set_size(out, rows);
  return rows;
}

}  // namespace pond::engine
