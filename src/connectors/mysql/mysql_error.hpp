#pragma once
// Turns a libmariadb error (code and message) into the pond::Error a user sees: the kind
// follows the code, the message names the source (origin), what was being done and what to
// try. The server's own message is kept; it never holds the password.

#include <string>
#include <string_view>

namespace pond::connectors::mysql {

// True for errors of the client library itself (network, protocol): after one of these the
// connection is not reusable.
bool is_client_error(unsigned code);

[[noreturn]] void throw_mysql_error(unsigned code, std::string_view message, const std::string& origin,
                                    std::string_view doing);

}  // namespace pond::connectors::mysql
