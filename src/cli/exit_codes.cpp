#include "cli/exit_codes.hpp"

#include <iostream>

namespace pond::cli {

int exit_code_for(ErrorKind kind) { return kind == ErrorKind::usage ? kExitUsage : kExitFailure; }

void print_error_line(std::string_view message) {
  std::cout.flush();
  std::cerr << "pond: error: " << message << '\n' << std::flush;
}

int report_error(const std::exception& error) {
  print_error_line(error.what());
  if (const auto* pond_error = dynamic_cast<const Error*>(&error)) return exit_code_for(pond_error->kind());
  return kExitFailure;
}

}  // namespace pond::cli
