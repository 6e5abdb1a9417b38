#pragma once
// Internal to the engine: the DuckDB handles behind Result and Chunk.

#include <duckdb.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/logical_type.hpp"
#include "engine/result.hpp"
#include "engine/session_time_zone.hpp"

namespace pond::engine {

// The Arrow settings of the client that ran a query (time zone, string and list layouts).
// Borrows the client context: valid while the connection that produced the result is open.
struct ArrowOptions {
  duckdb_arrow_options options = nullptr;
  explicit ArrowOptions(duckdb_arrow_options o) : options(o) {}
  ArrowOptions(const ArrowOptions&) = delete;
  ArrowOptions& operator=(const ArrowOptions&) = delete;
  ~ArrowOptions() {
    if (options) duckdb_destroy_arrow_options(&options);
  }
};

struct ColumnHandle {
  OwnedLogicalType type;
  std::shared_ptr<const ArrowOptions> arrow_options;  // shared by the columns of one result
};

struct Chunk::Impl {
  duckdb_data_chunk chunk = nullptr;
  std::vector<duckdb_logical_type> types;                    // borrowed from the Result, which outlives its chunks
  std::shared_ptr<const detail::SessionTimeZone> time_zone;  // the Result's
  ~Impl() {
    if (chunk) duckdb_destroy_data_chunk(&chunk);
  }
};

struct Result::Impl {
  duckdb_result result{};
  std::vector<Column> columns;
  std::vector<duckdb_logical_type> types;
  // Set when a column holds TIMESTAMP WITH TIME ZONE values: they print in the session's zone.
  std::shared_ptr<const detail::SessionTimeZone> time_zone;
  bool exhausted = false;
  ~Impl();
};

namespace detail {
// Takes ownership of a successful duckdb_result.
Result make_result(duckdb_result result);
// Throws pond::Error for a failed duckdb_result; destroys it when `owned` (not yet in a Result).
[[noreturn]] void throw_result_error(duckdb_result& result, const char* what, bool owned = true);
// Throws pond::Error for an error DuckDB gave only as text (a pending result's): the kind
// comes from the type DuckDB writes in front of the message.
[[noreturn]] void throw_error_message(std::string message);
}  // namespace detail

}  // namespace pond::engine
