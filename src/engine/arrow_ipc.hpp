#pragma once
// Internal to the engine: the Arrow IPC streaming format, written from the public format
// specification. ArrowField describes one column as the IPC schema sees it (parsed from an
// exported ArrowSchema); encode_schema_message() and RecordBatchEncoder turn fields and
// exported ArrowArrays into encapsulated messages:
//   0xFFFFFFFF, int32 metadata length, Message flatbuffer padded to 8 bytes, body.
// Body buffers start at multiples of kBodyAlignment from the body's start. Plain C++ apart from
// the C Data Interface structs; RecordBatchEncoder is not thread-safe.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/arrow_c_data.hpp"

namespace pond::engine::detail {

inline constexpr int64_t kBodyAlignment = 64;

enum class ArrowKind {
  null,
  boolean,
  integer,
  floating,
  decimal,
  binary,
  large_binary,
  utf8,
  large_utf8,
  binary_view,  // written as LargeBinary (views are converted)
  utf8_view,    // written as LargeUtf8
  fixed_binary,
  date,
  time,
  timestamp,
  duration,
  interval,
  list,
  large_list,
  fixed_list,
  structure,
  map,
  sparse_union,
  dense_union,
};

struct DictionaryEncoding {
  int64_t id = 0;
  int index_bits = 32;
  bool index_signed = true;
  bool ordered = false;
};

struct ArrowField {
  std::string name;
  bool nullable = true;
  ArrowKind kind = ArrowKind::null;
  int bit_width = 0;  // bits of one value for fixed-width kinds (booleans: 1)
  bool is_signed = false;
  int precision = 0;
  int scale = 0;
  int unit = 0;  // the IPC enum value of DateUnit, TimeUnit or IntervalUnit
  std::string timezone;
  int32_t fixed_size = 0;  // FixedSizeBinary bytes, FixedSizeList length
  bool keys_sorted = false;
  std::vector<int32_t> type_ids;  // unions
  std::vector<std::pair<std::string, std::string>> metadata;
  std::vector<ArrowField> children;
  // Set when the column is dictionary-encoded: the kind above is then the values' type.
  std::optional<DictionaryEncoding> dictionary;
};

// The fields of a struct schema's children (DuckDB exports a result as one struct); assigns
// dictionary ids in order. Throws pond::Error for layouts the writer does not handle.
std::vector<ArrowField> fields_from_schema(const ArrowSchema& schema);

// The Schema message.
std::string encode_schema_message(const std::vector<ArrowField>& fields);

// The end-of-stream marker: 0xFFFFFFFF followed by a zero length.
std::string end_of_stream_marker();

// Encodes exported record batches (a struct array whose children are the columns), emitting a
// DictionaryBatch before a RecordBatch whenever a dictionary is new or changed.
class RecordBatchEncoder {
 public:
  explicit RecordBatchEncoder(std::vector<ArrowField> fields) : fields_(std::move(fields)) {}

  const std::vector<ArrowField>& fields() const { return fields_; }
  // Appends the messages for `batch` (dictionaries first, then the record batch) to `out`.
  void encode(const ArrowArray& batch, std::string& out);

 private:
  std::vector<ArrowField> fields_;
  std::map<int64_t, std::string> sent_dictionaries_;  // id -> the last DictionaryBatch sent
};

}  // namespace pond::engine::detail
