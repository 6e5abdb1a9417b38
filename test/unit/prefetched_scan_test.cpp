// How far a PrefetchedScan reads ahead of a DuckDB thread that takes nothing: at most kDepth
// chunks of narrow rows, and far fewer when the chunks hold much text.

#include "engine/prefetched_scan.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace pond::engine {
namespace {

using namespace std::chrono_literals;

class EndlessScan : public LocalScan {
 public:
  EndlessScan(std::atomic<size_t>& chunks, size_t text_bytes) : chunks_(chunks), text_(text_bytes, 'x') {}
  size_t scan(OutputChunk& out) override {
    for (size_t row = 0; row < OutputChunk::kCapacity; ++row) out.column(0).set_string(row, text_);
    ++chunks_;
    return OutputChunk::kCapacity;
  }

 private:
  std::atomic<size_t>& chunks_;
  std::string text_;
};

class EndlessGlobal : public GlobalScan {
 public:
  explicit EndlessGlobal(size_t text_bytes) : text_bytes_(text_bytes) {}
  bool prefetch() const override { return true; }
  std::unique_ptr<LocalScan> init_local() override { return std::make_unique<EndlessScan>(chunks, text_bytes_); }
  std::atomic<size_t> chunks{0};

 private:
  size_t text_bytes_;
};

// The chunks the scan has filled once it filled `expected` (or 10 s passed), and a moment
// later: a scan that does not stop for room goes on filling.
size_t chunks_read_ahead(EndlessGlobal& global, size_t expected) {
  ColumnType varchar = ColumnType::of(TypeId::varchar);
  std::vector<const ColumnType*> types{&varchar};
  PrefetchedScan prefetched(global, types);
  for (auto deadline = std::chrono::steady_clock::now() + 10s;
       global.chunks.load() < expected && std::chrono::steady_clock::now() < deadline;) {
    std::this_thread::sleep_for(10ms);
  }
  std::this_thread::sleep_for(300ms);
  return global.chunks.load();
}

TEST(PrefetchedScanTest, NarrowRowsAreReadAheadByKDepthChunks) {
  EndlessGlobal global(8);  // inlined strings: 16 bytes a value, 32 KiB a chunk
  // kDepth chunks wait; the next one is filled and waits for room.
  EXPECT_EQ(chunks_read_ahead(global, PrefetchedScan::kDepth + 1), PrefetchedScan::kDepth + 1);
}

TEST(PrefetchedScanTest, ChunksHoldingMuchTextAreReadAheadOnlyUpToTheByteBound) {
  EndlessGlobal global(4096);  // about 8 MiB a chunk
  size_t per_chunk = OutputChunk::kCapacity * (4096 + 16);
  size_t waiting = (PrefetchedScan::kMaxWaitingBytes + per_chunk - 1) / per_chunk;  // the last one crosses the bound
  EXPECT_EQ(chunks_read_ahead(global, waiting + 1), waiting + 1);
  EXPECT_LT(waiting, PrefetchedScan::kDepth);
}

TEST(PrefetchedScanTest, OneChunkLargerThanTheBoundStillWaits) {
  EndlessGlobal global(32 * 1024);  // 64 MiB a chunk
  EXPECT_EQ(chunks_read_ahead(global, 2), 2u);
}

}  // namespace
}  // namespace pond::engine
