#pragma once
// ServerClient — calls the HTTP bridge API of a running `pond serve` (docs/http-api.md) for
// `pond query --server` and `pond shell --server`: POSTs a JSON body to /v1/<endpoint> and
// returns the JSON answer, turning every failure (unreachable server, lost connection, an
// error status, a reply that is not a pond server's) into a pond::Error that names the URL.
// The bearer token is sent on every call and never appears in a message. Each call uses its
// own HTTP connection, so calls may come from several threads at once (the shell cancels a
// running statement from its interrupt watcher).

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/error.hpp"

namespace pond::cli {

// The token to send: the contents of `token_file` (surrounding whitespace trimmed) when it is
// not empty, else $POND_TOKEN, else none. Errors name the file, never its contents.
std::string read_client_token(const std::string& token_file);

class ServerClient {
 public:
  // `url` is http://HOST[:PORT] (a trailing '/' is allowed; HOST may be [IPv6]); anything else
  // is pond::Error(usage).
  ServerClient(const std::string& url, std::string token);

  const std::string& url() const { return url_; }

  // POSTs `body` to /v1/<endpoint> asking for JSON; returns the answer of a 200, in which
  // numbers with a fraction or exponent and integers beyond 64 bits are strings holding the
  // server's exact text (DECIMAL, HUGEINT). An error status throws with the kind of the
  // error's code ("server URL: message [code]").
  nlohmann::json post(const std::string& endpoint, const nlohmann::json& body) const;

  // POSTs `body` to /v1/<endpoint> and hands the answer to `receive` (status, piece of the
  // body) piece by piece as it arrives; an error status's body comes whole, in one piece.
  // `receive` returns false to stop reading (the connection is dropped and this returns
  // false). A server that cannot be reached or a lost connection throw as post() does.
  bool post_stream(const std::string& endpoint, const nlohmann::json& body,
                   const std::function<bool(int, const char*, size_t)>& receive) const;
  // Throws the pond::Error that post() throws for an error status and its body.
  [[noreturn]] void throw_status(int status, const std::string& text) const;

 private:
  std::string body_text(const nlohmann::json& body) const;
  [[noreturn]] void throw_transport(int error_code) const;

  std::string url_;   // as given, without a trailing '/': for messages
  std::string host_;  // without brackets
  int port_ = 80;
  std::string token_;
};

// The ErrorKind of a server error code ("not_found", "timeout" ...).
ErrorKind error_kind_of_code(const std::string& code);

}  // namespace pond::cli
