#pragma once
// pond::Error — the one exception type every Pond component throws. The kind decides how the
// CLI (exit code) and the server (HTTP status) report it; the message names the thing that is
// wrong and what to do, and never contains a secret.

#include <stdexcept>
#include <string>
#include <string_view>

namespace pond {

enum class ErrorKind {
  usage,          // the command line or statement is malformed
  not_found,      // a file, source, table or alias does not exist
  invalid_input,  // well-formed but wrong: bad value, type, setting, SQL error
  connector,      // an external engine failed or is unreachable
  io,             // reading or writing files failed
  cancelled,      // the user or a timeout interrupted the work
  internal,       // a bug or an unexpected state
};

std::string_view error_kind_name(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}

  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

}  // namespace pond
