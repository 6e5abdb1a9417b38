// Query results to the Arrow IPC stream format (engine::ArrowStreamWriter), in one process: the
// limit that `pond serve` delivering Arrow over HTTP is measured against. The result is 1M rows
// of a mixed-type table (BIGINT, INTEGER, DECIMAL(12,2), DOUBLE, VARCHAR, VARCHAR with NULLs,
// DATE, TIMESTAMP, BOOLEAN, an ENUM), read with `SELECT * FROM mixed`:
//   BM_ChunksToArrowIpc   converts chunks fetched beforehand (DuckDB's chunk -> Arrow C Data
//                         conversion and Pond's IPC encoding only): the conversion rate.
//   BM_QueryToArrowIpc    runs the query streaming and converts each chunk as it arrives: what
//                         a server does per request, before the network.
//   BM_QueryOnly          runs the query and fetches the chunks without converting (the floor).
// Rows/s and bytes/s of IPC output are reported as items_per_second and bytes_per_second.
// DuckDB runs with threads=1 so that all work is on the calling thread.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "engine/arrow_stream.hpp"
#include "engine/connection.hpp"
#include "engine/database.hpp"

namespace {

using pond::engine::ArrowStreamWriter;
using pond::engine::Chunk;
using pond::engine::Connection;
using pond::engine::Database;
using pond::engine::DatabaseOptions;
using pond::engine::ExecMode;
using pond::engine::Result;

constexpr int64_t kRows = 1'000'000;
constexpr const char* kQuery = "SELECT * FROM mixed";

constexpr const char* kSchema = R"sql(
CREATE TYPE status AS ENUM ('open', 'paid', 'shipped', 'returned');
CREATE TABLE mixed AS
SELECT i AS id,
       (i % 1000)::INTEGER AS quantity,
       ((i % 100000) / 100)::DECIMAL(12,2) AS price,
       i / 7 AS ratio,
       'customer ' || (i % 5000) AS customer,
       CASE WHEN i % 10 = 0 THEN NULL ELSE 'note number ' || i END AS note,
       DATE '2020-01-01' + (i % 1500)::INTEGER AS day,
       TIMESTAMP '2020-01-01' + to_seconds(i) AS created_at,
       i % 3 = 0 AS flag,
       (['open', 'paid', 'shipped', 'returned'])[i % 4 + 1]::status AS status
FROM range(1000000) t(i);
)sql";

struct Fixture {
  Database database;
  Connection connection;
  Result prefetched;  // owns the types the prefetched chunks borrow
  std::vector<Chunk> chunks;

  Fixture()
      : database(options()),
        connection(database.connect()),
        prefetched((connection.query(kSchema), connection.query(kQuery))) {
    while (auto chunk = prefetched.next_chunk()) chunks.push_back(std::move(*chunk));
  }

  static DatabaseOptions options() {
    DatabaseOptions o;
    o.settings = {{"threads", "1"}};
    return o;
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void report(benchmark::State& state, int64_t rows, int64_t bytes) {
  state.SetItemsProcessed(rows);
  state.SetBytesProcessed(bytes);
  if (state.iterations() > 0) {
    state.counters["rows"] = static_cast<double>(rows) / static_cast<double>(state.iterations());
    state.counters["ipc_bytes"] = static_cast<double>(bytes) / static_cast<double>(state.iterations());
  }
}

void BM_ChunksToArrowIpc(benchmark::State& state) {
  Fixture& f = fixture();
  int64_t rows = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    ArrowStreamWriter writer(f.prefetched.columns());
    bytes += static_cast<int64_t>(writer.schema_message().size());
    for (Chunk& chunk : f.chunks) {
      std::string batch = writer.record_batch(chunk);
      bytes += static_cast<int64_t>(batch.size());
      rows += static_cast<int64_t>(chunk.row_count());
      benchmark::DoNotOptimize(batch.data());
    }
    bytes += static_cast<int64_t>(ArrowStreamWriter::end_of_stream().size());
  }
  if (rows != kRows * state.iterations()) state.SkipWithError("unexpected row count");
  report(state, rows, bytes);
}

void BM_QueryToArrowIpc(benchmark::State& state) {
  Connection& connection = fixture().connection;
  int64_t rows = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    Result result = connection.query(kQuery, ExecMode::streaming);
    ArrowStreamWriter writer(result);
    bytes += static_cast<int64_t>(writer.schema_message().size());
    while (auto chunk = result.next_chunk()) {
      std::string batch = writer.record_batch(*chunk);
      bytes += static_cast<int64_t>(batch.size());
      rows += static_cast<int64_t>(chunk->row_count());
      benchmark::DoNotOptimize(batch.data());
    }
    bytes += static_cast<int64_t>(ArrowStreamWriter::end_of_stream().size());
  }
  if (rows != kRows * state.iterations()) state.SkipWithError("unexpected row count");
  report(state, rows, bytes);
}

void BM_QueryOnly(benchmark::State& state) {
  Connection& connection = fixture().connection;
  int64_t rows = 0;
  for (auto _ : state) {
    Result result = connection.query(kQuery, ExecMode::streaming);
    while (auto chunk = result.next_chunk()) rows += static_cast<int64_t>(chunk->row_count());
  }
  if (rows != kRows * state.iterations()) state.SkipWithError("unexpected row count");
  state.SetItemsProcessed(rows);
}

}  // namespace

BENCHMARK(BM_ChunksToArrowIpc)->MinTime(2)->Repetitions(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueryToArrowIpc)->MinTime(2)->Repetitions(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueryOnly)->MinTime(2)->Repetitions(3)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
