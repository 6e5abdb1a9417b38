#include "engine/session_time_zone.hpp"

#include <date/tz.h>

#include <array>
#include <chrono>
#include <exception>
#include <string_view>

#include "engine/arrow_c_data.hpp"
#include "engine/logical_type.hpp"

namespace pond::engine::detail {
namespace {

bool is_utc(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kUtc = {"UTC",     "Etc/UTC", "GMT",       "Etc/GMT",
                                                           "Etc/UCT", "UCT",     "Universal", "Zulu"};
  for (std::string_view utc : kUtc) {
    if (name == utc) return true;
  }
  return name.empty();
}

std::string two(int n) { return std::string(1, static_cast<char>('0' + n / 10)) + static_cast<char>('0' + n % 10); }

// "+00", "-05", "+05:30"; DuckDB leaves out the seconds of local mean time offsets (-04:56:02
// prints as -04:56) and so do we.
std::string offset_text(int64_t seconds) {
  std::string out(1, seconds < 0 ? '-' : '+');
  int64_t abs = seconds < 0 ? -seconds : seconds;
  out += two(static_cast<int>(abs / 3600));
  if (abs % 3600 != 0) out += ":" + two(static_cast<int>(abs % 3600 / 60));
  return out;
}

}  // namespace

std::shared_ptr<const SessionTimeZone> SessionTimeZone::of_result(duckdb_arrow_options options) {
  // DuckDB exports TIMESTAMPTZ as Arrow "tsu:<the TimeZone setting>".
  OwnedLogicalType type(duckdb_create_logical_type(DUCKDB_TYPE_TIMESTAMP_TZ));
  duckdb_logical_type types[] = {type.get()};
  const char* names[] = {"t"};
  OwnedArrowSchema schema;
  duckdb_error_data error = duckdb_to_arrow_schema(options, types, names, 1, schema.get());
  std::string name;
  if (error) {
    duckdb_destroy_error_data(&error);
  } else if (schema->n_children == 1 && schema->children[0]->format) {
    std::string_view format = schema->children[0]->format;
    if (format.starts_with("tsu:")) name = format.substr(4);
  }
  return std::make_shared<const SessionTimeZone>(name);
}

SessionTimeZone::SessionTimeZone(const std::string& name) : name_(name) {
  if (is_utc(name)) return;
  try {
    zone_ = date::locate_zone(name);
  } catch (const std::exception&) {
    zone_ = nullptr;  // not in the system's tz database: UTC
  }
}

std::string SessionTimeZone::format(int64_t micros) const {
  if (micros == INT64_MAX || micros == -INT64_MAX) return format_timestamp_micros(micros);
  int64_t offset = 0;
  if (zone_) {
    using Micros = std::chrono::duration<int64_t, std::micro>;
    auto info = static_cast<const date::time_zone*>(zone_)->get_info(date::sys_time<Micros>(Micros(micros)));
    offset = info.offset.count();
  }
  return format_timestamp_micros(micros + offset * 1000000) + offset_text(offset);
}

}  // namespace pond::engine::detail
