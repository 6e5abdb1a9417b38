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

// Whether doing the same thing again may succeed. A wrong password, an unknown user or an
// unknown database stays wrong until someone fixes a setting: code that retries transient
// failures (restoring a source on its next use, the catalog's retries) gives up on `futile` at
// once, while a server that is down (`may_help`) is retried as before.
enum class Retry { may_help, futile };

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, Retry retry = Retry::may_help)
      : std::runtime_error(message), kind_(kind), retry_(retry) {}

  ErrorKind kind() const noexcept { return kind_; }
  Retry retry() const noexcept { return retry_; }
  bool retry_futile() const noexcept { return retry_ == Retry::futile; }
  // The same error (kind and retry) with another message, for callers that add context.
  Error reworded(const std::string& message) const { return Error(kind_, message, retry_); }

 private:
  ErrorKind kind_;
  Retry retry_;
};

}  // namespace pond
