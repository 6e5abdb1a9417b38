#pragma once
// The one place where errors become exit codes and stderr lines:
//   0 success, 1 the work failed, 2 the command line (or a statement's form) was wrong.

#include <exception>
#include <string_view>

#include "engine/error.hpp"

namespace pond::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

int exit_code_for(ErrorKind kind);

// Prints "pond: error: <message>" to stderr and returns the exit code for `error`.
int report_error(const std::exception& error);
// Prints "pond: error: <message>" to stderr.
void print_error_line(std::string_view message);

}  // namespace pond::cli
