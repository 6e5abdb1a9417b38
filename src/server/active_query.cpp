#include "server/active_query.hpp"

#include "engine/error.hpp"

namespace pond::server {

void ActiveQuery::stop(StopReason reason) {
  StopReason expected = StopReason::none;
  reason_.compare_exchange_strong(expected, reason);
  connection_.interrupt();
}

std::string ActiveQuery::describe(StopReason reason) {
  switch (reason) {
    case StopReason::cancelled:
      return "query cancelled by cancelQuery";
    case StopReason::timeout:
      return "query cancelled: it ran longer than the server's query timeout (pond serve --query-timeout)";
    case StopReason::shutdown:
      return "query cancelled: the server is shutting down";
    case StopReason::client_gone:
      return "query cancelled: the client disconnected";
    case StopReason::none:
      break;
  }
  return "query cancelled";
}

void ActiveQuery::throw_if_stopped() const {
  StopReason reason = reason_.load();
  if (reason != StopReason::none) throw Error(ErrorKind::cancelled, describe(reason));
}

}  // namespace pond::server
