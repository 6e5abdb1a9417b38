#pragma once
// Internal to the engine: carries a pond::Error's kind through DuckDB. An error raised in a
// table function callback reaches DuckDB as a message only (the C API has no error type for
// it), so the callback prefixes the message with a marker naming the kind, and the engine
// removes the marker and restores the kind when the query's error comes back — a connector's
// `cancelled` or `connector` error stays one instead of becoming `invalid_input`.

#include <exception>
#include <optional>
#include <string>

#include "engine/error.hpp"

namespace pond::engine::detail {

// The message to hand to DuckDB for `error` thrown by a callback: marked with its kind when it
// is a pond::Error, else the message as it is.
std::string message_for_duckdb(const std::exception& error);

// Removes the first kind marker from `message` (and DuckDB's "<Type> Error: " prefix in front
// of it) and returns the kind it named; nothing when the message has no marker.
std::optional<ErrorKind> take_error_kind(std::string& message);

// Removes a repeated trailing "LINE n: ..." context block: DuckDB's C API appends a parser
// error's position twice (the message already carries it). Other messages are left as they are.
void drop_repeated_context(std::string& message);

// A pond::Error for a message DuckDB reported: the marked kind when there is one, else
// `fallback`.
Error error_from_duckdb(std::string message, ErrorKind fallback);

}  // namespace pond::engine::detail
