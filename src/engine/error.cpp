#include "engine/error.hpp"

namespace pond {

std::string_view error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage:
      return "usage";
    case ErrorKind::not_found:
      return "not_found";
    case ErrorKind::invalid_input:
      return "invalid_input";
    case ErrorKind::connector:
      return "connector";
    case ErrorKind::io:
      return "io";
    case ErrorKind::cancelled:
      return "cancelled";
    case ErrorKind::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace pond
