// Decoding PostgreSQL's binary COPY rows into DuckDB chunks, without a server: the rows of the
// materialize benchmark's table (bigint, integer, double precision, numeric(12,2), text of
// 10-30 characters, boolean, date, timestamp) as PostgreSQL sends them, one message a row,
// decoded the way PgLocalScan decodes them. Measures the CPU the reader threads spend on
// decoding (scripts/bench-materialize.sh measures the whole load).

#include <benchmark/benchmark.h>

#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "connectors/postgres/pg_copy_decoder.hpp"
#include "connectors/postgres/pg_types.hpp"
#include "engine/standalone_chunk.hpp"
#include "engine/table_function.hpp"

namespace {

using namespace pond;
using namespace pond::connectors::postgres;

template <typename T>
void put(std::string& out, T value) {
  for (int shift = (sizeof(T) - 1) * 8; shift >= 0; shift -= 8)
    out += static_cast<char>((uint64_t(value) >> shift) & 0xff);
}

void put_field(std::string& out, const std::string& bytes) {
  put<int32_t>(out, static_cast<int32_t>(bytes.size()));
  out += bytes;
}

template <typename T>
std::string be(T value) {
  std::string out;
  put<T>(out, value);
  return out;
}

// numeric(12,2) with this many cents, in PostgreSQL's binary form (base-10000 digits).
std::string numeric_cents(int64_t cents) {
  std::vector<uint16_t> digits;  // of the value * 10^4, least significant first
  for (int64_t v = cents * 100; v > 0; v /= 10000) digits.push_back(static_cast<uint16_t>(v % 10000));
  std::string out;
  put<int16_t>(out, static_cast<int16_t>(digits.size()));
  put<int16_t>(out, static_cast<int16_t>(static_cast<int>(digits.size()) - 2));  // weight: one digit after the point
  put<uint16_t>(out, 0);                                                         // positive
  put<int16_t>(out, 2);                                                          // dscale
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) put<uint16_t>(out, *it);
  return out;
}

const std::string kLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz";

// The same values as scripts/bench-materialize.sh generates.
std::string row_message(int64_t i) {
  std::string out;
  put<int16_t>(out, 8);
  put_field(out, be<int64_t>(i));
  put_field(out, be<int32_t>(static_cast<int32_t>(i * 7919 % 100000)));
  put_field(out, be<uint64_t>(std::bit_cast<uint64_t>(static_cast<double>(i * 104729 % 1000003) / 100.0)));
  put_field(out, numeric_cents(i * 15485863 % 100000000));
  put_field(out, kLetters.substr(static_cast<size_t>(i * 31 % 40), static_cast<size_t>(10 + i % 21)));
  put_field(out, std::string(1, i % 3 == 0 ? '\1' : '\0'));
  put_field(out, be<int32_t>(static_cast<int32_t>(i % 9000)));
  put_field(out, be<int64_t>(631152000LL * 1000000 + i * 1000000));
  return out;
}

std::string copy_header() {
  std::string out("PGCOPY\n\377\r\n\0", 11);
  put<uint32_t>(out, 0);
  put<uint32_t>(out, 0);
  return out;
}

void BM_DecodeCopyRows(benchmark::State& state) {
  const int64_t rows = 20480;
  std::vector<std::string> messages;
  for (int64_t i = 1; i <= rows; ++i) messages.push_back(row_message(i));
  std::vector<PgType> types{
      map_type(20, -1, {}), map_type(23, -1, {}), map_type(701, -1, {}),  map_type(1700, ((12 << 16) | 2) + 4, {}),
      map_type(25, -1, {}), map_type(16, -1, {}), map_type(1082, -1, {}), map_type(1114, -1, {})};
  std::vector<const engine::ColumnType*> column_types;
  for (const PgType& type : types) column_types.push_back(&type.column);
  engine::StandaloneChunk chunk(column_types);
  std::vector<const PgType*> field_types;
  std::vector<size_t> outputs;
  for (size_t i = 0; i < types.size(); ++i) {
    field_types.push_back(&types[i]);
    outputs.push_back(i);
  }
  for (auto _ : state) {
    CopyRowDecoder decoder(field_types, outputs);
    size_t row = 0;
    std::optional<engine::OutputChunk> out;
    for (size_t m = 0; m < messages.size(); ++m) {
      if (row == 0) {
        chunk.reset();
        out.emplace(chunk.get(), column_types);
        decoder.start_chunk(*out);
      }
      if (m == 0) decoder.decode(copy_header(), 0);
      decoder.decode(messages[m], row);
      if (++row == engine::OutputChunk::kCapacity) {
        out->set_size(row);
        row = 0;
      }
    }
    benchmark::DoNotOptimize(chunk.get());
  }
  state.SetItemsProcessed(state.iterations() * rows);
}
BENCHMARK(BM_DecodeCopyRows)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
