// A repeated parameterized query through the statement cache (Connection::execute, which
// reuses the prepared statement keyed by its SQL text) against preparing it again on every
// call (Connection::prepare(sql).execute(params)), for two queries:
//   point_lookup    SELECT ... FROM items WHERE id = ?  (10,000 rows, PRIMARY KEY index)
//   join_aggregate  three tables joined, filtered by two parameters, grouped and ordered;
//                   binding and optimizing it costs more than running it.
// Each iteration binds a different parameter value and reads every row of the result. DuckDB
// runs with threads=1 so that the whole query runs on the calling thread: CPU time is then the
// full cost and does not depend on how busy the (shared) machine's other core is.

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <string>

#include "engine/connection.hpp"
#include "engine/database.hpp"

namespace {

using pond::engine::Connection;
using pond::engine::Database;
using pond::engine::DatabaseOptions;
using pond::engine::Param;

constexpr int64_t kItems = 10'000;
constexpr int64_t kCustomers = 1'000;

constexpr const char* kSchema = R"sql(
CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, category VARCHAR NOT NULL, price DOUBLE NOT NULL);
INSERT INTO items SELECT range, 'item ' || range, 'category ' || (range % 20), (range % 500) / 10.0
  FROM range(10000);
CREATE TABLE customers (id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, region VARCHAR NOT NULL);
INSERT INTO customers SELECT range, 'customer ' || range, 'region ' || (range % 8) FROM range(1000);
CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, item_id BIGINT NOT NULL,
  quantity INTEGER NOT NULL, ordered_at DATE NOT NULL);
INSERT INTO orders SELECT range, (range * 7) % 1000, (range * 13) % 10000, 1 + range % 5,
  DATE '2024-01-01' + CAST(range % 365 AS INTEGER) FROM range(10000);
)sql";

constexpr const char* kPointLookup = "SELECT id, name, category, price FROM items WHERE id = ?";

constexpr const char* kJoinAggregate = R"sql(
SELECT i.category, c.region, count(*) AS orders, sum(o.quantity * i.price) AS revenue,
       avg(i.price) AS avg_price, min(o.ordered_at) AS first_order, max(o.ordered_at) AS last_order
FROM orders o
JOIN customers c ON c.id = o.customer_id
JOIN items i ON i.id = o.item_id
WHERE c.id = ? AND o.ordered_at >= DATE '2024-01-01' + CAST(? AS INTEGER)
GROUP BY i.category, c.region
HAVING count(*) > 0
ORDER BY revenue DESC, i.category
)sql";

// One in-memory database with the tables above, built once per process.
struct Fixture {
  Database database;
  Connection connection;

  Fixture() : database(options()), connection(database.connect()) { connection.query(kSchema); }

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

enum class Mode { cached, prepared_each_time };

std::array<Param, 1> point_lookup_params(int64_t i) { return {(i * 7919) % kItems}; }

std::array<Param, 2> join_aggregate_params(int64_t i) { return {(i * 31) % kCustomers, (i * 11) % 300}; }

template <class Params>
size_t run(Connection& connection, Mode mode, const std::string& sql, const Params& params) {
  auto result = mode == Mode::cached ? connection.execute(sql, params) : connection.prepare(sql).execute(params);
  return result.fetch_all().size();
}

template <class MakeParams>
void run_benchmark(benchmark::State& state, Mode mode, const char* sql, MakeParams make_params) {
  Connection& connection = fixture().connection;
  std::string text(sql);
  connection.statement_cache().clear();
  size_t hits_before = connection.statement_cache().hits();
  int64_t i = 0;
  size_t rows = 0;
  for (auto _ : state) {
    rows += run(connection, mode, text, make_params(i++));
  }
  if (rows == 0) state.SkipWithError("the query returned no rows");
  state.counters["rows_per_query"] = static_cast<double>(rows) / static_cast<double>(i);
  state.counters["cache_hits"] = static_cast<double>(connection.statement_cache().hits() - hits_before);
}

void BM_PointLookup(benchmark::State& state, Mode mode) {
  run_benchmark(state, mode, kPointLookup, point_lookup_params);
}

void BM_JoinAggregate(benchmark::State& state, Mode mode) {
  run_benchmark(state, mode, kJoinAggregate, join_aggregate_params);
}

}  // namespace

// Fixed minimum time and three repetitions keep the whole binary around 10 seconds.
BENCHMARK_CAPTURE(BM_PointLookup, cached, Mode::cached)->MinTime(0.3)->Repetitions(3)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PointLookup, prepared_each_time, Mode::prepared_each_time)
    ->MinTime(0.3)
    ->Repetitions(3)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_JoinAggregate, cached, Mode::cached)->MinTime(0.3)->Repetitions(3)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_JoinAggregate, prepared_each_time, Mode::prepared_each_time)
    ->MinTime(0.3)
    ->Repetitions(3)
    ->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
