#pragma once
// The one error shape of the HTTP API — {"code", "message", "detail"} — and the one place
// where pond::Error kinds and server conditions become HTTP statuses. HttpError is thrown by
// request handlers for conditions that are not pond::Error kinds (busy, unauthorized, ...).

#include <exception>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "engine/error.hpp"

namespace pond::server {

class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string code, const std::string& message, nlohmann::json detail = nullptr)
      : std::runtime_error(message), status_(status), code_(std::move(code)), detail_(std::move(detail)) {}

  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const nlohmann::json& detail() const { return detail_; }

 private:
  int status_;
  std::string code_;
  nlohmann::json detail_;
};

struct ErrorBody {
  int status = 500;
  nlohmann::json body;  // {"code", "message", "detail"}
};

// The status for each pond::Error kind.
int http_status_for(ErrorKind kind);
// Maps any exception (HttpError, pond::Error, other) to its status and body.
ErrorBody error_body_for(const std::exception& error);
ErrorBody error_body_for(std::exception_ptr error);
nlohmann::json error_json(const std::string& code, const std::string& message, nlohmann::json detail = nullptr);

}  // namespace pond::server
