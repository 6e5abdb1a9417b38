#include "engine/arrow_stream.hpp"

#include "engine/arrow_c_data.hpp"
#include "engine/arrow_ipc.hpp"
#include "engine/error.hpp"
#include "engine/result_impl.hpp"

namespace pond::engine {
namespace {

// Throws pond::Error for a failed DuckDB Arrow conversion; frees the error either way.
void check(duckdb_error_data error, const char* what) {
  if (!error) return;
  bool failed = duckdb_error_data_has_error(error);
  std::string message = failed ? duckdb_error_data_message(error) : "";
  duckdb_destroy_error_data(&error);
  if (failed) throw Error(ErrorKind::invalid_input, std::string(what) + ": " + message);
}

std::string alias_of(duckdb_logical_type type) {
  char* raw = duckdb_logical_type_get_alias(type);
  std::string alias = raw ? raw : "";
  duckdb_free(raw);
  return alias;
}

bool has_extension_name(const detail::ArrowField& field) {
  for (const auto& [key, value] : field.metadata)
    if (key == "ARROW:extension:name") return true;
  return false;
}

// DuckDB exports JSON as plain strings; mark them with the canonical arrow.json extension,
// looking through nested types.
void mark_json(detail::ArrowField& field, duckdb_logical_type type) {
  if (field.kind == detail::ArrowKind::utf8 || field.kind == detail::ArrowKind::large_utf8 ||
      field.kind == detail::ArrowKind::utf8_view) {
    if (alias_of(type) == "JSON" && !has_extension_name(field))
      field.metadata.emplace_back("ARROW:extension:name", "arrow.json");
    return;
  }
  auto visit = [&field](size_t index, duckdb_logical_type child) {
    OwnedLogicalType owned(child);
    if (index < field.children.size()) mark_json(field.children[index], owned.get());
  };
  switch (duckdb_get_type_id(type)) {
    case DUCKDB_TYPE_LIST:
      return visit(0, duckdb_list_type_child_type(type));
    case DUCKDB_TYPE_ARRAY:
      return visit(0, duckdb_array_type_child_type(type));
    case DUCKDB_TYPE_STRUCT:
      for (idx_t i = 0; i < duckdb_struct_type_child_count(type); ++i) visit(i, duckdb_struct_type_child_type(type, i));
      return;
    case DUCKDB_TYPE_UNION:
      for (idx_t i = 0; i < duckdb_union_type_member_count(type); ++i) visit(i, duckdb_union_type_member_type(type, i));
      return;
    case DUCKDB_TYPE_MAP:
      if (field.children.size() == 1) {
        detail::ArrowField& entries = field.children[0];
        OwnedLogicalType key(duckdb_map_type_key_type(type));
        OwnedLogicalType value(duckdb_map_type_value_type(type));
        if (entries.children.size() == 2) {
          mark_json(entries.children[0], key.get());
          mark_json(entries.children[1], value.get());
        }
      }
      return;
    default:
      return;
  }
}

}  // namespace

struct ArrowStreamWriter::Impl {
  std::shared_ptr<const ArrowOptions> options;
  detail::RecordBatchEncoder encoder;
  std::string schema;
};

ArrowStreamWriter::ArrowStreamWriter(const std::vector<Column>& columns) {
  std::vector<duckdb_logical_type> types;
  std::vector<const char*> names;
  std::shared_ptr<const ArrowOptions> options;
  for (const Column& column : columns) {
    if (!column.handle)
      throw Error(ErrorKind::usage, "Arrow export: column '" + column.name +
                                        "' was not read from a query result; pass Result::columns()");
    types.push_back(column.handle->type.get());
    names.push_back(column.name.c_str());
    if (!options) options = column.handle->arrow_options;
  }
  std::vector<detail::ArrowField> fields;
  if (!columns.empty()) {
    detail::OwnedArrowSchema schema;
    check(duckdb_to_arrow_schema(options->options, types.data(), names.data(), types.size(), schema.get()),
          "Arrow export of the result's schema failed");
    fields = detail::fields_from_schema(*schema);
    for (size_t i = 0; i < fields.size(); ++i) mark_json(fields[i], types[i]);
  }
  std::string message = detail::encode_schema_message(fields);
  impl_ = std::make_unique<Impl>(
      Impl{std::move(options), detail::RecordBatchEncoder(std::move(fields)), std::move(message)});
}

ArrowStreamWriter::ArrowStreamWriter(ArrowStreamWriter&&) noexcept = default;
ArrowStreamWriter& ArrowStreamWriter::operator=(ArrowStreamWriter&&) noexcept = default;
ArrowStreamWriter::~ArrowStreamWriter() = default;

std::string ArrowStreamWriter::schema_message() const { return impl_->schema; }

std::string ArrowStreamWriter::record_batch(Chunk& chunk) {
  std::string out;
  append_record_batch(chunk, out);
  return out;
}

void ArrowStreamWriter::append_record_batch(Chunk& chunk, std::string& out) {
  if (impl_->encoder.fields().empty()) {
    // No columns: DuckDB has no options to convert with, and there is nothing to convert.
    ArrowArray empty{};
    empty.length = static_cast<int64_t>(chunk.row_count());
    impl_->encoder.encode(empty, out);
    return;
  }
  if (chunk.column_count() != impl_->encoder.fields().size())
    throw Error(ErrorKind::usage, "Arrow export: the chunk has " + std::to_string(chunk.column_count()) +
                                      " columns, the stream's schema " +
                                      std::to_string(impl_->encoder.fields().size()));
  detail::OwnedArrowArray array;
  check(duckdb_data_chunk_to_arrow(impl_->options->options, chunk.impl().chunk, array.get()),
        "Arrow export of a chunk failed");
  impl_->encoder.encode(*array, out);
}

std::string ArrowStreamWriter::end_of_stream() { return detail::end_of_stream_marker(); }

}  // namespace pond::engine
