#pragma once
// ArrowStreamWriter — turns a query result into the Arrow IPC streaming format
// (application/vnd.apache.arrow.stream): schema_message(), then record_batch() for each chunk,
// then end_of_stream(). Concatenated, they form one stream any Arrow reader decodes. DuckDB
// converts each chunk to Arrow (with the settings of the client that ran the query: time zone,
// string and list layouts); Pond writes the IPC messages itself.
//
// Types (DuckDB 1.4 defaults): integers, floats, booleans, DECIMAL and HUGEINT (Decimal128;
// HUGEINT as precision 38, scale 0), VARCHAR (Utf8; string views become LargeUtf8), BLOB and
// BIT (Binary), DATE (Date32), TIME and TIMETZ (Time64 µs), TIMESTAMP_S/MS/NS and TIMESTAMP
// (Timestamp without zone), TIMESTAMPTZ (Timestamp µs with the session's time zone), INTERVAL
// (MonthDayNano), UUID (Utf8 text), ENUM (Dictionary: a DictionaryBatch precedes the first
// record batch using it, and again whenever the dictionary changes), LIST, ARRAY
// (FixedSizeList), STRUCT, MAP, UNION (sparse), JSON (Utf8 with extension name arrow.json),
// UHUGEINT and BIGNUM (DuckDB's arrow.opaque extension over FixedSizeBinary(16) / Binary).
// List views (SET arrow_output_list_view = true) are refused.
//
// The writer borrows the client context of the query's connection: use it while that
// connection is open. Not thread-safe; one writer per stream.

#include <memory>
#include <string>
#include <vector>

#include "engine/result.hpp"

namespace pond::engine {

class ArrowStreamWriter {
 public:
  // `columns` must come from a Result (Result::columns()); throws pond::Error(usage) otherwise,
  // and pond::Error(invalid_input) for a type that cannot be exported.
  explicit ArrowStreamWriter(const std::vector<Column>& columns);
  explicit ArrowStreamWriter(const Result& result) : ArrowStreamWriter(result.columns()) {}
  ArrowStreamWriter(ArrowStreamWriter&&) noexcept;
  ArrowStreamWriter& operator=(ArrowStreamWriter&&) noexcept;
  ~ArrowStreamWriter();

  // The Schema message: the first bytes of the stream.
  std::string schema_message() const;
  // The messages for one chunk: DictionaryBatch messages when needed, then one RecordBatch.
  std::string record_batch(Chunk& chunk);
  // The same, appended to `out`: a caller that reuses one buffer avoids an allocation per chunk.
  void append_record_batch(Chunk& chunk, std::string& out);
  // The end-of-stream marker (8 bytes).
  static std::string end_of_stream();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pond::engine
