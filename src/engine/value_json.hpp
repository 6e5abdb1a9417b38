#pragma once
// JSON text for result values, shared by every component that writes rows as JSON (the CLI's
// json/ndjson output, the HTTP server): integers, floats and decimals are JSON numbers
// (non-finite floats become null), booleans are true/false, NULL is null, everything else
// is a string in DuckDB's text form. Stateless functions; thread-safe.

#include <string>
#include <string_view>

#include "engine/value.hpp"

namespace pond::engine {

// Appends `text` to `out` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view text);
// Appends one value in the JSON form described above.
void append_json_value(std::string& out, const Value& value);

}  // namespace pond::engine
