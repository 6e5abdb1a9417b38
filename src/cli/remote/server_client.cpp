#include "cli/remote/server_client.hpp"

#include <httplib.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace pond::cli {
namespace {

std::string trimmed(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// The DOM as nlohmann builds it, except that a number with a fraction or exponent, or an
// integer beyond 64 bits, is kept as the string the server wrote: DuckDB's exact text of a
// DECIMAL or HUGEINT, which a double would round.
class ExactNumbersParser : public nlohmann::detail::json_sax_dom_parser<nlohmann::json> {
 public:
  explicit ExactNumbersParser(nlohmann::json& root) : json_sax_dom_parser(root, false) {}
  bool number_float(nlohmann::json::number_float_t, const nlohmann::json::string_t& text) {
    nlohmann::json::string_t copy = text;
    return string(copy);
  }
};

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

nlohmann::json ServerClient::post(const std::string& endpoint, const nlohmann::json& body) const {
  httplib::Client client(host_, port_);
  client.set_connection_timeout(10, 0);
  client.set_read_timeout(24 * 3600, 0);  // a statement may run long; the server has its own timeout
  client.set_write_timeout(60, 0);
  httplib::Headers headers = {{"Accept", "application/json"}};
  if (!token_.empty()) headers.emplace("Authorization", "Bearer " + token_);
  std::string text;
  try {
    text = body.dump();
  } catch (const nlohmann::json::exception&) {
    throw Error(ErrorKind::invalid_input, "the text sent to the server " + url_ +
                                              " is not valid UTF-8; pond serve takes UTF-8 statements and values");
  }
  httplib::Result reply = client.Post(("/v1/" + endpoint).c_str(), headers, text, "application/json");
  if (!reply) {
    const httplib::Error error = reply.error();
    if (error == httplib::Error::Connection || error == httplib::Error::ConnectionTimeout)
      throw Error(ErrorKind::connector, "cannot reach the server " + url_ + " (" + httplib::to_string(error) +
                                            "); is `pond serve` running there?");
    throw Error(ErrorKind::connector,
                "lost the connection to the server " + url_ + " (" + httplib::to_string(error) + ")");
  }
  nlohmann::json json;
  ExactNumbersParser parser(json);
  const bool parsed = nlohmann::json::sax_parse(reply->body, &parser, nlohmann::json::input_format_t::json, false);
  if (!parsed || parser.is_errored() || !json.is_object()) {
    throw Error(ErrorKind::connector, "server " + url_ + " answered HTTP " + std::to_string(reply->status) +
                                          " without a JSON body; is it a pond server?");
  }
  if (reply->status == 200) return json;
  const std::string code = json.value("code", "internal");
  std::string message = "server " + url_ + ": " + json.value("message", "request failed") + " [" + code + "]";
  if (reply->status == 401)
    message += "; give the server's token with --token-file FILE or the environment variable POND_TOKEN";
  throw Error(error_kind_of_code(code), message);
}

}  // namespace pond::cli
