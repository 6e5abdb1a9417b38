#pragma once
// Environment interpolation in catalog values: ${VAR} is the variable's value, ${VAR:-text}
// its value or `text` when it is unset or empty, $$ a literal '$'. Anything else after '$' is
// kept as written. Pure functions; thread-safe as long as nobody changes the environment.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace pond::catalog {

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment.
EnvLookup process_environment();

// Returns the interpolated text. Throws pond::Error(invalid_input) naming the variable (never
// its value) when one is unset and has no default, or when a ${ is not closed.
std::string interpolate(std::string_view text, const EnvLookup& env);

}  // namespace pond::catalog
