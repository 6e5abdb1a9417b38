#include "server/active_query.hpp"

#include "engine/error.hpp"

namespace pond::server {

ActiveQuery::ActiveQuery(std::string id, engine::Connection connection, Interrupter interrupt)
    : id_(std::move(id)), owned_(std::move(connection)), interrupt_(std::move(interrupt)), started_(Clock::now()) {
  target_ = &*owned_;
}

ActiveQuery::ActiveQuery(std::string id, Interrupter interrupt)
    : id_(std::move(id)), interrupt_(std::move(interrupt)), started_(Clock::now()) {}

engine::Connection& ActiveQuery::connection() {
  if (!owned_) throw Error(ErrorKind::internal, "query '" + id_ + "' has no connection of its own");
  return *owned_;
}

void ActiveQuery::set_target(const engine::Connection* connection) {
  std::lock_guard lock(target_mutex_);
  target_ = connection;
}

void ActiveQuery::stop(StopReason reason) {
  StopReason expected = StopReason::none;
  reason_.compare_exchange_strong(expected, reason);
  interrupt_again(true);
}

void ActiveQuery::interrupt_again(bool remote) {
  std::lock_guard lock(target_mutex_);
  if (target_ == nullptr) return;
  if (remote && interrupt_) {
    interrupt_(*target_);
  } else {
    target_->interrupt();
  }
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
