#pragma once
// Internal to the engine: prints TIMESTAMP WITH TIME ZONE values in a session's time zone, the
// way DuckDB's ICU extension casts them to text ("2024-03-01 07:00:00-05"). The zone's rules
// come from the system's tz database (Debian's tzdata, through the date library); a zone the
// database does not know prints in UTC ("+00"). Immutable, so any thread may use one.

#include <duckdb.h>

#include <cstdint>
#include <memory>
#include <string>

namespace pond::engine::detail {

class SessionTimeZone {
 public:
  // The time zone of the client that produced a result (its TimeZone setting), read from the
  // result's Arrow options, which carry it.
  static std::shared_ptr<const SessionTimeZone> of_result(duckdb_arrow_options options);
  explicit SessionTimeZone(const std::string& name);

  const std::string& name() const { return name_; }
  // Microseconds since the epoch (UTC) as local time plus the offset from UTC.
  std::string format(int64_t micros) const;

 private:
  std::string name_;
  const void* zone_ = nullptr;  // date::time_zone, or nullptr for UTC
};

// Microseconds since the epoch as DuckDB prints a TIMESTAMP ("infinity" for the infinities).
std::string format_timestamp_micros(int64_t micros);

}  // namespace pond::engine::detail
