#include "cli/remote/server_client.hpp"

#include <httplib.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli/remote/answer_reader.hpp"

namespace pond::cli {
namespace {

std::string trimmed(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

[[noreturn]] void bad_url(const std::string& url) {
  throw Error(ErrorKind::usage, "--server '" + url + "' is not an http://HOST:PORT URL");
}

}  // namespace

std::string read_client_token(const std::string& token_file) {
  if (!token_file.empty()) {
    std::ifstream in(token_file, std::ios::binary);
    if (!in) throw Error(ErrorKind::not_found, "cannot read the token file '" + token_file + "'");
    std::ostringstream text;
    text << in.rdbuf();
    std::string token = trimmed(text.str());
    if (token.empty()) throw Error(ErrorKind::invalid_input, "the token file '" + token_file + "' is empty");
    return token;
  }
  if (const char* env = std::getenv("POND_TOKEN"); env != nullptr) return trimmed(env);
  return {};
}

ErrorKind error_kind_of_code(const std::string& code) {
  for (ErrorKind kind : {ErrorKind::usage, ErrorKind::not_found, ErrorKind::invalid_input, ErrorKind::connector,
                         ErrorKind::io, ErrorKind::cancelled, ErrorKind::internal}) {
    if (error_kind_name(kind) == code) return kind;
  }
  if (code == "timeout" || code == "shutting_down") return ErrorKind::cancelled;
  if (code == "invalid_json" || code == "too_large" || code == "unauthorized" || code == "forbidden") {
    return ErrorKind::invalid_input;
  }
  return ErrorKind::connector;
}

ServerClient::ServerClient(const std::string& url, std::string token) : token_(std::move(token)) {
  constexpr std::string_view scheme = "http://";
  if (!url.starts_with(scheme)) {
    if (url.starts_with("https://"))
      throw Error(ErrorKind::usage, "--server '" + url + "': https is not supported; give the http:// URL");
    bad_url(url);
  }
  url_ = url;
  while (url_.ends_with('/')) url_.pop_back();
  std::string rest = url_.substr(scheme.size());
  std::string port;
  if (rest.starts_with('[')) {
    const size_t close = rest.find(']');
    if (close == std::string::npos) bad_url(url);
    host_ = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) bad_url(url);
    if (!rest.empty()) port = rest.substr(1);
  } else {
    const size_t colon = rest.find(':');
    host_ = rest.substr(0, colon);
    if (colon != std::string::npos) port = rest.substr(colon + 1);
  }
  if (host_.empty() || host_.find_first_of("/?#@ ") != std::string::npos) bad_url(url);
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) bad_url(url);
    port_ = std::stoi(port);
    if (port_ < 1 || port_ > 65535) bad_url(url);
  }
}

std::string ServerClient::body_text(const nlohmann::json& body) const {
  try {
    return body.dump();
  } catch (const nlohmann::json::exception&) {
    throw Error(ErrorKind::invalid_input, "the text sent to the server " + url_ +
                                              " is not valid UTF-8; pond serve takes UTF-8 statements and values");
  }
}

void ServerClient::throw_transport(int error_code) const {
  const auto error = static_cast<httplib::Error>(error_code);
  if (error == httplib::Error::Connection || error == httplib::Error::ConnectionTimeout)
    throw Error(ErrorKind::connector, "cannot reach the server " + url_ + " (" + httplib::to_string(error) +
                                          "); is `pond serve` running there?");
  throw Error(ErrorKind::connector,
              "lost the connection to the server " + url_ + " (" + httplib::to_string(error) + ")");
}

void ServerClient::throw_status(int status, const std::string& text) const {
  const nlohmann::json json = parse_exact_json(text);
  if (!json.is_object()) {
    throw Error(ErrorKind::connector, "server " + url_ + " answered HTTP " + std::to_string(status) +
                                          " without a JSON body; is it a pond server?");
  }
  const std::string code = json.value("code", "internal");
  std::string message = "server " + url_ + ": " + json.value("message", "request failed") + " [" + code + "]";
  if (status == 401)
    message += "; give the server's token with --token-file FILE or the environment variable POND_TOKEN";
  throw Error(error_kind_of_code(code), message);
}

nlohmann::json ServerClient::post(const std::string& endpoint, const nlohmann::json& body) const {
  std::string text;
  int status = 0;
  post_stream(endpoint, body, [&](int s, const char* data, size_t size) {
    status = s;
    text.append(data, size);
    return true;
  });
  if (status != 200) throw_status(status, text);
  nlohmann::json json = parse_exact_json(text);
  if (!json.is_object()) {
    throw Error(ErrorKind::connector,
                "server " + url_ + " answered HTTP 200 without a JSON body; is it a pond server?");
  }
  return json;
}

bool ServerClient::post_stream(const std::string& endpoint, const nlohmann::json& body,
                               const std::function<bool(int, const char*, size_t)>& receive) const {
  httplib::Client client(host_, port_);
  client.set_connection_timeout(10, 0);
  client.set_read_timeout(24 * 3600, 0);  // a statement may run long; the server has its own timeout
  client.set_write_timeout(60, 0);
  httplib::Request request;
  request.method = "POST";
  request.path = "/v1/" + endpoint;
  request.headers = {{"Accept", "application/json"}, {"Content-Type", "application/json"}};
  if (!token_.empty()) request.headers.emplace("Authorization", "Bearer " + token_);
  request.body = body_text(body);
  int status = 0;
  bool stopped = false;
  std::string error_text;  // an error status's body, read whole (it is small)
  request.response_handler = [&](const httplib::Response& response) {
    status = response.status;
    return true;
  };
  request.content_receiver = [&](const char* data, size_t size, uint64_t, uint64_t) {
    if (status != 200) {
      if (error_text.size() < (size_t{1} << 20)) error_text.append(data, size);
      return true;
    }
    if (!receive(status, data, size)) stopped = true;
    return !stopped;
  };
  httplib::Result reply = client.send(request);
  if (stopped) return false;
  if (!reply) throw_transport(static_cast<int>(reply.error()));
  if (status != 200) {
    if (error_text.empty()) error_text = reply->body;
    return receive(status, error_text.data(), error_text.size());
  }
  if (!reply->body.empty()) return receive(status, reply->body.data(), reply->body.size());
  return true;
}

}  // namespace pond::cli
