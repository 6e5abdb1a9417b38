#pragma once
// Result — the rows of one executed statement, read chunk by chunk (streaming when the
// statement was executed in streaming mode, so memory stays bounded). Owns its DuckDB result;
// move-only. Not thread-safe; a streaming result keeps its connection busy until destroyed.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/value.hpp"

namespace pond::engine {

// Engine-internal: DuckDB's logical type of a result column and the client settings that shape
// its Arrow export (defined in result_impl.hpp; opaque elsewhere).
struct ColumnHandle;

struct Column {
  std::string name;
  TypeId type = TypeId::other;
  std::string type_name;  // as DuckDB prints it: "DECIMAL(12,2)", "VARCHAR[]"
  // Set for columns read from a Result (shared, immutable); what Arrow export needs.
  std::shared_ptr<const ColumnHandle> handle = nullptr;
};

// One chunk of rows (up to DuckDB's vector size, 2048). Reads cells on demand.
class Chunk {
 public:
  struct Impl;
  explicit Chunk(std::unique_ptr<Impl> impl);
  Chunk(Chunk&&) noexcept;
  Chunk& operator=(Chunk&&) noexcept;
  ~Chunk();

  size_t row_count() const;
  size_t column_count() const;
  Value value(size_t column, size_t row) const;

  // Handle for engine-internal conversions (Arrow export); opaque outside the engine.
  Impl& impl() { return *impl_; }
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

class Result {
 public:
  struct Impl;
  explicit Result(std::unique_ptr<Impl> impl);
  Result(Result&&) noexcept;
  Result& operator=(Result&&) noexcept;
  ~Result();

  const std::vector<Column>& columns() const;
  // Next chunk of rows; std::nullopt once the result is exhausted.
  std::optional<Chunk> next_chunk();
  // Reads every remaining row; for small results (tests, metadata queries).
  std::vector<std::vector<Value>> fetch_all();
  // Rows inserted/updated/deleted by a DML statement.
  int64_t rows_changed() const;
  // True when the statement produced a row set (SELECT, SHOW, PRAGMA returning rows...).
  bool returns_rows() const;

  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace pond::engine
