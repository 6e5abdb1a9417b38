#pragma once
// Table functions implemented in C++ and registered with DuckDB through its C API, so that
// connectors can stream rows from another engine into DuckDB queries without including
// duckdb.h. The flow follows DuckDB's: bind (arguments → output columns) once per query,
// init (projected columns → shared scan state) once per query, init_local once per thread,
// then scan() fills chunks until it returns 0 rows.
//
// Exceptions thrown from any callback become DuckDB errors for that query; a pond::Error keeps
// its kind (the engine carries it through DuckDB, see error_transport.hpp). Scan states are
// used by one thread each; GlobalScan must be thread-safe when max_threads() > 1.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/column_type.hpp"
#include "engine/connection.hpp"
#include "engine/value.hpp"

namespace pond::engine {

// One column of an output chunk, written row by row.
class OutputVector {
 public:
  // Reads the vector's data pointer once: it stays put while the vector is filled (a LIST's
  // child may move when list_reserve() grows it: take list_child() after reserving).
  // `heap_bytes`, when given, counts the bytes written outside the vector's fixed slots
  // (strings too long to inline, LIST elements): see OutputChunk::estimated_bytes().
  OutputVector(void* vector, const ColumnType* type, size_t* heap_bytes = nullptr);

  void set_null(size_t row);
  void set_bool(size_t row, bool v);
  // Integers are narrowed to the column's width (TINYINT ... BIGINT, unsigned too).
  void set_int(size_t row, int64_t v);
  void set_uint(size_t row, uint64_t v);
  void set_double(size_t row, double v);            // FLOAT or DOUBLE column
  void set_string(size_t row, std::string_view v);  // VARCHAR, BLOB, or ENUM (by name)
  void set_date(size_t row, int32_t days_since_epoch);
  void set_time(size_t row, int64_t micros_since_midnight);
  void set_timestamp(size_t row, int64_t micros_since_epoch);  // TIMESTAMP or TIMESTAMPTZ
  void set_interval(size_t row, int32_t months, int32_t days, int64_t micros);
  // DECIMAL from its unscaled integer (value * 10^scale), as high and low 64-bit halves.
  void set_decimal(size_t row, int64_t high, uint64_t low);
  void set_decimal(size_t row, int64_t unscaled) { set_decimal(row, unscaled < 0 ? -1 : 0, uint64_t(unscaled)); }
  void set_uuid(size_t row, uint64_t high, uint64_t low);
  void set_hugeint(size_t row, int64_t high, uint64_t low);

  // LIST columns: reserve room for `count` more elements in the child, fill it through
  // list_child(), then record where the row's elements are.
  size_t list_size() const;
  void list_reserve(size_t total_elements);
  void list_set_size(size_t total_elements);
  OutputVector list_child();
  void set_list(size_t row, uint64_t offset, uint64_t length);

  const ColumnType& type() const { return *type_; }

  // The vector's fixed-size slots, as T: for decoding loops that picked T from type() once
  // (int64_t for BIGINT and TIMESTAMP, int32_t for INTEGER and DATE, the DECIMAL's width ...).
  template <typename T>
  T* slots() const {
    return static_cast<T*>(data_);
  }

 private:
  void* vector_;
  void* data_;
  const ColumnType* type_;
  size_t* heap_bytes_;
};

// Not copyable: its columns point at its byte count.
class OutputChunk {
 public:
  OutputChunk(void* chunk, const std::vector<const ColumnType*>& types);
  OutputChunk(const OutputChunk&) = delete;
  OutputChunk& operator=(const OutputChunk&) = delete;

  static constexpr size_t kCapacity = 2048;  // DuckDB's vector size
  size_t column_count() const { return columns_.size(); }
  // The i-th *projected* column (in the order ScanContext::projection lists them).
  OutputVector column(size_t i) const { return columns_[i]; }
  void set_size(size_t rows);
  // Roughly the memory `rows` rows hold: 16 bytes a value plus what the columns wrote outside
  // their fixed slots. Bounds how much a prefetching scan keeps waiting for DuckDB.
  size_t estimated_bytes(size_t rows) const { return heap_bytes_ + rows * 16 * columns_.size(); }

 private:
  void* chunk_;
  size_t heap_bytes_ = 0;
  std::vector<OutputVector> columns_;  // found once per chunk, not once per value
};

struct OutputColumn {
  std::string name;
  ColumnType type;
};

class LocalScan {
 public:
  virtual ~LocalScan() = default;
  // Fills `out` with up to OutputChunk::kCapacity rows; returns the count, 0 when done.
  virtual size_t scan(OutputChunk& out) = 0;
  // Called from another thread when the rows are no longer wanted (the query ended early or
  // failed) while scan() may be running on a prefetch thread: makes scan() return or throw
  // soon. Thread-safe. The default does nothing, and the running scan() fills its chunk first.
  virtual void stop() {}
  // For a scan read ahead by several threads (GlobalScan::prefetch_threads() > 1): claims the
  // scan's next task (a part of it, such as a key range) and returns true, or false when none
  // is left. Tasks must be claimed in the order their rows are to come out, by all threads
  // together. The following scan() calls return only that task's rows, and 0 at its end. Called
  // under the prefetcher's lock: it must be quick (claim the task here, open it in scan()).
  virtual bool next_task() { return false; }
};

class GlobalScan {
 public:
  virtual ~GlobalScan() = default;
  virtual size_t max_threads() const { return 1; }
  // True when each LocalScan should run ahead of DuckDB on a thread of its own (up to
  // PrefetchedScan::kDepth chunks, or kMaxWaitingBytes, ahead): worth it when scan() spends its time in another
  // engine (a server, SQLite), which then overlaps with DuckDB's work on the rows already read
  // (writing them into a table, say). init_local() is then called on that thread.
  virtual bool prefetch() const { return false; }
  // With prefetch(): how many threads may read ahead of one DuckDB thread, each with its own
  // LocalScan taking tasks through LocalScan::next_task(). Their chunks reach DuckDB in task
  // order, so a pipeline that DuckDB runs on one thread (CREATE TABLE AS keeps insertion order)
  // still gets the rows in order while several connections read. Across all DuckDB threads of
  // one query at most this many threads run, plus one for each further DuckDB thread. 1 (the
  // default): one thread per DuckDB thread, and no tasks.
  virtual size_t prefetch_threads() const { return 1; }
  virtual std::unique_ptr<LocalScan> init_local() = 0;
};

class BoundScan {
 public:
  virtual ~BoundScan() = default;
  virtual const std::vector<OutputColumn>& columns() const = 0;
  virtual std::optional<uint64_t> estimated_rows() const { return std::nullopt; }
  // `projection` lists the indexes (into columns()) that the query needs, in output order.
  virtual std::unique_ptr<GlobalScan> init(const std::vector<size_t>& projection) = 0;
};

struct BindInput {
  std::vector<Value> arguments;        // positional, all VARCHAR
  std::map<std::string, Value> named;  // named parameters that were given
  uint64_t connection_id = 0;          // Connection::id() of the connection running the query
};

class TableFunction {
 public:
  virtual ~TableFunction() = default;
  virtual std::string name() const = 0;
  virtual size_t argument_count() const = 0;                                // VARCHAR positional arguments
  virtual std::vector<std::string> named_parameters() const { return {}; }  // VARCHAR values
  virtual std::unique_ptr<BoundScan> bind(const BindInput& input) = 0;
};

// Registers `function` in the database of `connection` (visible to all its connections).
// The function object must outlive the database; pass ownership to whoever owns both.
void register_table_function(Connection& connection, TableFunction& function);

}  // namespace pond::engine
