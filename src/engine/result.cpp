#include "engine/result.hpp"

#include <string_view>
#include <utility>

#include "engine/error.hpp"
#include "engine/error_transport.hpp"
#include "engine/result_impl.hpp"
#include "engine/vector_reader.hpp"

namespace pond::engine {

Chunk::Chunk(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Chunk::Chunk(Chunk&&) noexcept = default;
Chunk& Chunk::operator=(Chunk&&) noexcept = default;
Chunk::~Chunk() = default;

size_t Chunk::row_count() const { return duckdb_data_chunk_get_size(impl_->chunk); }
size_t Chunk::column_count() const { return impl_->types.size(); }

Value Chunk::value(size_t column, size_t row) const {
  duckdb_vector vector = duckdb_data_chunk_get_vector(impl_->chunk, column);
  return detail::read_value(vector, impl_->types.at(column), row, impl_->time_zone.get());
}

Result::Impl::~Impl() {
  for (auto& t : types) duckdb_destroy_logical_type(&t);
  duckdb_destroy_result(&result);
}

Result::Result(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Result::Result(Result&&) noexcept = default;
Result& Result::operator=(Result&&) noexcept = default;
Result::~Result() = default;

const std::vector<Column>& Result::columns() const { return impl_->columns; }

std::optional<Chunk> Result::next_chunk() {
  if (impl_->exhausted) return std::nullopt;
  duckdb_data_chunk raw = duckdb_fetch_chunk(impl_->result);
  if (!raw) {
    impl_->exhausted = true;
    // A streaming result that failed mid-way reports it here.
    const char* err = duckdb_result_error(&impl_->result);
    if (err && *err) detail::throw_result_error(impl_->result, "query failed", false);
    return std::nullopt;
  }
  auto chunk = std::make_unique<Chunk::Impl>();
  chunk->chunk = raw;
  chunk->types = impl_->types;
  chunk->time_zone = impl_->time_zone;
  if (duckdb_data_chunk_get_size(raw) == 0) {
    impl_->exhausted = true;
    return std::nullopt;
  }
  return Chunk(std::move(chunk));
}

std::vector<std::vector<Value>> Result::fetch_all() {
  std::vector<std::vector<Value>> rows;
  while (auto chunk = next_chunk()) {
    for (size_t r = 0; r < chunk->row_count(); ++r) {
      std::vector<Value> row;
      row.reserve(chunk->column_count());
      for (size_t c = 0; c < chunk->column_count(); ++c) row.push_back(chunk->value(c, r));
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

int64_t Result::rows_changed() const { return static_cast<int64_t>(duckdb_rows_changed(&impl_->result)); }

bool Result::returns_rows() const {
  return duckdb_result_return_type(impl_->result) == DUCKDB_RESULT_TYPE_QUERY_RESULT;
}

namespace detail {

Result make_result(duckdb_result result) {
  auto impl = std::make_unique<Result::Impl>();
  impl->result = result;
  idx_t n = duckdb_column_count(&impl->result);
  std::shared_ptr<const ArrowOptions> arrow_options;
  if (n > 0) arrow_options = std::make_shared<const ArrowOptions>(duckdb_result_get_arrow_options(&impl->result));
  for (idx_t i = 0; i < n; ++i) {
    duckdb_logical_type t = duckdb_column_logical_type(&impl->result, i);
    impl->types.push_back(t);
    auto handle = std::make_shared<ColumnHandle>(
        ColumnHandle{OwnedLogicalType(duckdb_column_logical_type(&impl->result, i)), arrow_options});
    impl->columns.push_back(
        Column{duckdb_column_name(&impl->result, i), type_id_of(t), type_name_of(t), std::move(handle)});
    if (!impl->time_zone && impl->columns.back().type_name.find("TIMESTAMP WITH TIME ZONE") != std::string::npos) {
      impl->time_zone = SessionTimeZone::of_result(arrow_options->options);
    }
  }
  return Result(std::move(impl));
}

ErrorKind kind_of(duckdb_error_type type) {
  switch (type) {
    case DUCKDB_ERROR_CATALOG:
      return ErrorKind::not_found;
    case DUCKDB_ERROR_IO:
    case DUCKDB_ERROR_PERMISSION:
      return ErrorKind::io;
    case DUCKDB_ERROR_INTERRUPT:
      return ErrorKind::cancelled;
    case DUCKDB_ERROR_INTERNAL:
    case DUCKDB_ERROR_FATAL:
    case DUCKDB_ERROR_NULL_POINTER:
      return ErrorKind::internal;
    case DUCKDB_ERROR_NETWORK:
    case DUCKDB_ERROR_HTTP:
    case DUCKDB_ERROR_CONNECTION:
      return ErrorKind::connector;
    default:
      return ErrorKind::invalid_input;
  }
}

void throw_error_message(std::string message) {
  drop_repeated_context(message);
  // An error a table function raised keeps the kind it was raised with.
  if (std::optional<ErrorKind> raised = take_error_kind(message)) throw Error(*raised, message);
  // DuckDB writes the error type in front of the message ("Catalog Error: ..."), as
  // ExceptionTypeToString() spells it.
  static constexpr std::pair<std::string_view, duckdb_error_type> kPrefixes[] = {
      {"Catalog Error: ", DUCKDB_ERROR_CATALOG},       {"IO Error: ", DUCKDB_ERROR_IO},
      {"Permission Error: ", DUCKDB_ERROR_PERMISSION}, {"INTERRUPT Error: ", DUCKDB_ERROR_INTERRUPT},
      {"INTERNAL Error: ", DUCKDB_ERROR_INTERNAL},     {"FATAL Error: ", DUCKDB_ERROR_FATAL},
      {"Network Error: ", DUCKDB_ERROR_NETWORK},       {"HTTP Error: ", DUCKDB_ERROR_HTTP},
      {"Connection Error: ", DUCKDB_ERROR_CONNECTION},
  };
  ErrorKind kind = ErrorKind::invalid_input;
  for (const auto& [prefix, type] : kPrefixes) {
    if (message.starts_with(prefix)) kind = kind_of(type);
  }
  throw Error(kind, kind == ErrorKind::cancelled ? "query cancelled (" + message + ")" : message);
}

void throw_result_error(duckdb_result& result, const char* what, bool owned) {
  const char* raw = duckdb_result_error(&result);
  std::string message = raw && *raw ? raw : what;
  ErrorKind kind = kind_of(duckdb_result_error_type(&result));
  if (owned) duckdb_destroy_result(&result);
  drop_repeated_context(message);
  // An error a table function raised keeps the kind it was raised with.
  if (std::optional<ErrorKind> raised = take_error_kind(message)) throw Error(*raised, message);
  if (kind == ErrorKind::cancelled) message = "query cancelled (" + message + ")";
  throw Error(kind, message);
}

}  // namespace detail
}  // namespace pond::engine
