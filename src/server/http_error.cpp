#include "server/http_error.hpp"

#include "server/file_sandbox.hpp"

namespace pond::server {

int http_status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage:
    case ErrorKind::invalid_input:
      return 400;
    case ErrorKind::not_found:
      return 404;
    case ErrorKind::cancelled:
      return 409;
    case ErrorKind::connector:
      return 502;
    case ErrorKind::io:
    case ErrorKind::internal:
      return 500;
  }
  return 500;
}

nlohmann::json error_json(const std::string& code, const std::string& message, nlohmann::json detail) {
  return nlohmann::json{{"code", code}, {"message", message}, {"detail", std::move(detail)}};
}

ErrorBody error_body_for(const std::exception& error) {
  if (const auto* http = dynamic_cast<const HttpError*>(&error)) {
    return {http->status(), error_json(http->code(), http->what(), http->detail())};
  }
  if (const auto* pond = dynamic_cast<const Error*>(&error)) {
    if (auto refused = sandbox_refusal(pond->what())) return *refused;
    return {http_status_for(pond->kind()), error_json(std::string(error_kind_name(pond->kind())), pond->what())};
  }
  if (const auto* json = dynamic_cast<const nlohmann::json::exception*>(&error)) {
    return {400, error_json("invalid_input", "the request body does not fit the endpoint",
                            nlohmann::json{{"parser", json->what()}})};
  }
  return {500, error_json("internal", error.what())};
}

ErrorBody error_body_for(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return error_body_for(e);
  } catch (...) {
    return {500, error_json("internal", "unknown error")};
  }
}

}  // namespace pond::server
