#include "engine/table_function.hpp"

#include <duckdb.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstring>
#include <set>
#include <string>

#include "engine/error.hpp"
#include "engine/error_transport.hpp"
#include "engine/logical_type.hpp"
#include "engine/prefetched_scan.hpp"

namespace pond::engine {
namespace {

// What DuckDB keeps for us between the callbacks of one query.
struct BindData {
  std::unique_ptr<BoundScan> bound;
  ColumnType rowid_type = ColumnType::of(TypeId::bigint);
};

struct GlobalData {
  std::unique_ptr<GlobalScan> scan;
  std::vector<const ColumnType*> types;  // of the projected columns, in output order
  // Prefetch threads beyond one per DuckDB thread still to hand out (prefetch_threads() - 1).
  std::atomic<size_t> spare_prefetch_threads{0};

  // Threads for a new PrefetchedScan: one, plus what is left of the spare ones.
  size_t take_prefetch_threads() {
    size_t spare = spare_prefetch_threads.exchange(0);
    return 1 + spare;
  }
};

struct LocalData {
  std::unique_ptr<LocalScan> scan;             // made on the DuckDB thread, or
  std::unique_ptr<PrefetchedScan> prefetched;  // running on a thread of its own
};

template <typename T>
void destroy(void* p) {
  delete static_cast<T*>(p);  // NOLINT: ownership handed to DuckDB through a C callback
}

std::string varchar_of(duckdb_value v) {
  char* text = duckdb_get_varchar(v);
  std::string out = text ? text : "";
  duckdb_free(text);
  return out;
}

// DuckDB's column names are case-insensitive and must be unique, while a remote table may
// have both "Id" and "id" and a native query two columns named the same. A later duplicate
// becomes name_1 (name_2, ...), as DuckDB names duplicate CSV headers.
std::vector<std::string> unique_column_names(const std::vector<OutputColumn>& columns) {
  auto folded = [](std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  };
  std::set<std::string> taken;
  for (const OutputColumn& column : columns) taken.insert(folded(column.name));
  std::set<std::string> used;
  std::vector<std::string> names;
  for (const OutputColumn& column : columns) {
    std::string name = column.name;
    for (size_t n = 1; used.contains(folded(name)); ++n) {
      std::string candidate = column.name + "_" + std::to_string(n);
      if (!taken.contains(folded(candidate))) name = candidate;  // never a name another column has
    }
    used.insert(folded(name));
    names.push_back(std::move(name));
  }
  return names;
}

void bind(duckdb_bind_info info) {
  auto* function = static_cast<TableFunction*>(duckdb_bind_get_extra_info(info));
  try {
    BindInput input;
    idx_t count = duckdb_bind_get_parameter_count(info);
    for (idx_t i = 0; i < count; ++i) {
      duckdb_value v = duckdb_bind_get_parameter(info, i);
      input.arguments.push_back(duckdb_is_null_value(v) ? Value::null() : Value(TypeId::varchar, varchar_of(v)));
      duckdb_destroy_value(&v);
    }
    for (const std::string& name : function->named_parameters()) {
      duckdb_value v = duckdb_bind_get_named_parameter(info, name.c_str());
      if (!v) continue;
      if (!duckdb_is_null_value(v)) input.named[name] = Value(TypeId::varchar, varchar_of(v));
      duckdb_destroy_value(&v);
    }
    duckdb_client_context context = nullptr;
    duckdb_table_function_get_client_context(info, &context);
    input.connection_id = duckdb_client_context_get_connection_id(context);
    duckdb_destroy_client_context(&context);
    auto data = std::make_unique<BindData>();
    data->bound = function->bind(input);
    const std::vector<OutputColumn>& columns = data->bound->columns();
    std::vector<std::string> names = unique_column_names(columns);
    for (size_t i = 0; i < columns.size(); ++i) {
      OwnedLogicalType type = to_logical_type(columns[i].type);
      duckdb_bind_add_result_column(info, names[i].c_str(), type.get());
    }
    if (auto rows = data->bound->estimated_rows()) duckdb_bind_set_cardinality(info, *rows, false);
    duckdb_bind_set_bind_data(info, data.release(), destroy<BindData>);
  } catch (const std::exception& e) {
    duckdb_bind_set_error(info, detail::message_for_duckdb(e).c_str());
  }
}

void init(duckdb_init_info info) {
  auto* data = static_cast<BindData*>(duckdb_init_get_bind_data(info));
  try {
    const auto& columns = data->bound->columns();
    std::vector<size_t> projection;
    auto global = std::make_unique<GlobalData>();
    idx_t count = duckdb_init_get_column_count(info);
    for (idx_t i = 0; i < count; ++i) {
      idx_t index = duckdb_init_get_column_index(info, i);
      if (index < columns.size()) {
        projection.push_back(index);
        global->types.push_back(&columns[index].type);
      } else {
        // DuckDB asks for a row id (e.g. for count(*)); the scan leaves it NULL.
        projection.push_back(index);
        global->types.push_back(&data->rowid_type);
      }
    }
    global->scan = data->bound->init(projection);
    if (global->scan->prefetch())
      global->spare_prefetch_threads = std::max<size_t>(1, global->scan->prefetch_threads()) - 1;
    duckdb_init_set_max_threads(info, global->scan->max_threads());
    duckdb_init_set_init_data(info, global.release(), destroy<GlobalData>);
  } catch (const std::exception& e) {
    duckdb_init_set_error(info, detail::message_for_duckdb(e).c_str());
  }
}

// The C API gives local init no access to the global state, so each thread's LocalScan is
// made by its first scan() call.
void local_init(duckdb_init_info info) {
  duckdb_init_set_init_data(info, std::make_unique<LocalData>().release(), destroy<LocalData>);
}

void scan(duckdb_function_info info, duckdb_data_chunk chunk) {
  auto* global = static_cast<GlobalData*>(duckdb_function_get_init_data(info));
  auto* local = static_cast<LocalData*>(duckdb_function_get_local_init_data(info));
  try {
    if (global->scan->prefetch()) {
      if (!local->prefetched)
        local->prefetched =
            std::make_unique<PrefetchedScan>(*global->scan, global->types, global->take_prefetch_threads());
      local->prefetched->next(chunk);
      return;
    }
    if (!local->scan) local->scan = global->scan->init_local();
    OutputChunk out(chunk, global->types);
    out.set_size(local->scan->scan(out));
  } catch (const std::exception& e) {
    duckdb_data_chunk_set_size(chunk, 0);
    duckdb_function_set_error(info, detail::message_for_duckdb(e).c_str());
  }
}

}  // namespace

void OutputVector::set_null(size_t row) {
  auto v = static_cast<duckdb_vector>(vector_);
  duckdb_vector_ensure_validity_writable(v);
  duckdb_validity_set_row_invalid(duckdb_vector_get_validity(v), row);
}

void OutputVector::set_bool(size_t row, bool v) { slots<bool>()[row] = v; }

void OutputVector::set_int(size_t row, int64_t v) {
  switch (type_->id) {
    case TypeId::boolean:
      slots<bool>()[row] = v != 0;
      break;
    case TypeId::tinyint:
      slots<int8_t>()[row] = static_cast<int8_t>(v);
      break;
    case TypeId::smallint:
      slots<int16_t>()[row] = static_cast<int16_t>(v);
      break;
    case TypeId::integer:
      slots<int32_t>()[row] = static_cast<int32_t>(v);
      break;
    case TypeId::float32:
      slots<float>()[row] = static_cast<float>(v);
      break;
    case TypeId::float64:
      slots<double>()[row] = static_cast<double>(v);
      break;
    case TypeId::hugeint:
      set_hugeint(row, v < 0 ? -1 : 0, static_cast<uint64_t>(v));
      break;
    case TypeId::decimal:
      set_decimal(row, v);
      break;
    default:
      slots<int64_t>()[row] = v;
      break;
  }
}

void OutputVector::set_uint(size_t row, uint64_t v) {
  switch (type_->id) {
    case TypeId::utinyint:
      slots<uint8_t>()[row] = static_cast<uint8_t>(v);
      break;
    case TypeId::usmallint:
      slots<uint16_t>()[row] = static_cast<uint16_t>(v);
      break;
    case TypeId::uinteger:
      slots<uint32_t>()[row] = static_cast<uint32_t>(v);
      break;
    case TypeId::ubigint:
      slots<uint64_t>()[row] = v;
      break;
    case TypeId::hugeint:
      set_hugeint(row, 0, v);
      break;
    case TypeId::decimal:
      set_decimal(row, 0, v);
      break;
    default:
      set_int(row, static_cast<int64_t>(v));
      break;
  }
}

void OutputVector::set_double(size_t row, double v) {
  if (type_->id == TypeId::float32) {
    slots<float>()[row] = static_cast<float>(v);
  } else {
    slots<double>()[row] = v;
  }
}

void OutputVector::set_string(size_t row, std::string_view v) {
  constexpr size_t kInlined = 12;  // DuckDB keeps strings this short inside the vector's slot
  if (heap_bytes_ && v.size() > kInlined) *heap_bytes_ += v.size();
  duckdb_vector_assign_string_element_len(static_cast<duckdb_vector>(vector_), row, v.data(), v.size());
}

void OutputVector::set_date(size_t row, int32_t days) { slots<duckdb_date>()[row] = duckdb_date{days}; }

void OutputVector::set_time(size_t row, int64_t micros) { slots<duckdb_time>()[row] = duckdb_time{micros}; }

void OutputVector::set_timestamp(size_t row, int64_t micros) {
  slots<duckdb_timestamp>()[row] = duckdb_timestamp{micros};
}

void OutputVector::set_interval(size_t row, int32_t months, int32_t days, int64_t micros) {
  slots<duckdb_interval>()[row] = duckdb_interval{months, days, micros};
}

void OutputVector::set_decimal(size_t row, int64_t high, uint64_t low) {
  if (type_->width <= 4) {
    slots<int16_t>()[row] = static_cast<int16_t>(static_cast<int64_t>(low));
  } else if (type_->width <= 9) {
    slots<int32_t>()[row] = static_cast<int32_t>(static_cast<int64_t>(low));
  } else if (type_->width <= 18) {
    slots<int64_t>()[row] = static_cast<int64_t>(low);
  } else {
    slots<duckdb_hugeint>()[row] = duckdb_hugeint{low, high};
  }
}

void OutputVector::set_uuid(size_t row, uint64_t high, uint64_t low) {
  // DuckDB stores UUIDs with the top bit flipped so that they sort as unsigned.
  slots<duckdb_hugeint>()[row] = duckdb_hugeint{low, static_cast<int64_t>(high ^ (uint64_t{1} << 63))};
}

void OutputVector::set_hugeint(size_t row, int64_t high, uint64_t low) {
  slots<duckdb_hugeint>()[row] = duckdb_hugeint{low, high};
}

size_t OutputVector::list_size() const { return duckdb_list_vector_get_size(static_cast<duckdb_vector>(vector_)); }

void OutputVector::list_reserve(size_t total) {
  size_t before = list_size();
  if (heap_bytes_ && total > before) *heap_bytes_ += (total - before) * 16;
  duckdb_list_vector_reserve(static_cast<duckdb_vector>(vector_), total);
}

void OutputVector::list_set_size(size_t total) {
  duckdb_list_vector_set_size(static_cast<duckdb_vector>(vector_), total);
}

OutputVector OutputVector::list_child() {
  return OutputVector(duckdb_list_vector_get_child(static_cast<duckdb_vector>(vector_)), type_->child.get(),
                      heap_bytes_);
}

void OutputVector::set_list(size_t row, uint64_t offset, uint64_t length) {
  slots<duckdb_list_entry>()[row] = duckdb_list_entry{offset, length};
}

OutputVector::OutputVector(void* vector, const ColumnType* type, size_t* heap_bytes)
    : vector_(vector),
      data_(duckdb_vector_get_data(static_cast<duckdb_vector>(vector))),
      type_(type),
      heap_bytes_(heap_bytes) {}

OutputChunk::OutputChunk(void* chunk, const std::vector<const ColumnType*>& types) : chunk_(chunk) {
  columns_.reserve(types.size());
  for (size_t i = 0; i < types.size(); ++i) {
    columns_.emplace_back(duckdb_data_chunk_get_vector(static_cast<duckdb_data_chunk>(chunk_), i), types[i],
                          &heap_bytes_);
  }
}

void OutputChunk::set_size(size_t rows) { duckdb_data_chunk_set_size(static_cast<duckdb_data_chunk>(chunk_), rows); }

void register_table_function(Connection& connection, TableFunction& function) {
  duckdb_table_function tf = duckdb_create_table_function();
  std::string name = function.name();
  duckdb_table_function_set_name(tf, name.c_str());
  OwnedLogicalType varchar = to_logical_type(ColumnType::of(TypeId::varchar));
  for (size_t i = 0; i < function.argument_count(); ++i) duckdb_table_function_add_parameter(tf, varchar.get());
  for (const std::string& p : function.named_parameters()) {
    duckdb_table_function_add_named_parameter(tf, p.c_str(), varchar.get());
  }
  duckdb_table_function_set_extra_info(tf, &function, nullptr);
  duckdb_table_function_set_bind(tf, bind);
  duckdb_table_function_set_init(tf, init);
  duckdb_table_function_set_local_init(tf, local_init);
  duckdb_table_function_set_function(tf, scan);
  duckdb_table_function_supports_projection_pushdown(tf, true);
  duckdb_state state = duckdb_register_table_function(connection.handle(), tf);
  duckdb_destroy_table_function(&tf);
  if (state != DuckDBSuccess) {
    throw Error(ErrorKind::internal, "cannot register table function '" + name + "' (already registered?)");
  }
}

}  // namespace pond::engine
