#include "engine/error_transport.hpp"

#include <array>
#include <cctype>
#include <string_view>

namespace pond::engine::detail {
namespace {

// Control characters that no SQL text or connector message contains.
constexpr std::string_view kOpen = "\x1epond-error:";
constexpr char kClose = '\x1f';

constexpr std::array kKinds = {ErrorKind::usage, ErrorKind::not_found, ErrorKind::invalid_input, ErrorKind::connector,
                               ErrorKind::io,    ErrorKind::cancelled, ErrorKind::internal};

std::optional<ErrorKind> kind_named(std::string_view name) {
  for (ErrorKind kind : kKinds) {
    if (error_kind_name(kind) == name) return kind;
  }
  return std::nullopt;
}

// DuckDB puts "Invalid Input Error: " or "Binder Error: " in front of a callback's message.
size_t prefix_start(const std::string& message, size_t marker) {
  size_t line = message.rfind('\n', marker);
  size_t start = line == std::string::npos ? 0 : line + 1;
  std::string_view prefix(message.data() + start, marker - start);
  if (!prefix.ends_with(" Error: ")) return marker;
  for (char c : prefix) {
    if (!std::isalpha(static_cast<unsigned char>(c)) && c != ' ' && c != ':') return marker;
  }
  return start;
}

}  // namespace

std::string message_for_duckdb(const std::exception& error) {
  const auto* pond_error = dynamic_cast<const Error*>(&error);
  if (!pond_error) return error.what();
  return std::string(kOpen) + std::string(error_kind_name(pond_error->kind())) + kClose + pond_error->what();
}

std::optional<ErrorKind> take_error_kind(std::string& message) {
  size_t at = message.find(kOpen);
  if (at == std::string::npos) return std::nullopt;
  size_t close = message.find(kClose, at + kOpen.size());
  if (close == std::string::npos) return std::nullopt;
  std::optional<ErrorKind> kind =
      kind_named(std::string_view(message).substr(at + kOpen.size(), close - at - kOpen.size()));
  if (!kind) return std::nullopt;
  size_t start = prefix_start(message, at);
  message.erase(start, close + 1 - start);
  return kind;
}

void drop_repeated_context(std::string& message) {
  size_t last = message.rfind("\n\nLINE ");
  if (last == std::string::npos || last == 0) return;
  std::string_view tail = std::string_view(message).substr(last);
  if (std::string_view(message).substr(0, last).ends_with(tail)) message.erase(last);
}

Error error_from_duckdb(std::string message, ErrorKind fallback) {
  drop_repeated_context(message);
  std::optional<ErrorKind> kind = take_error_kind(message);
  return Error(kind.value_or(fallback), message);
}

}  // namespace pond::engine::detail
