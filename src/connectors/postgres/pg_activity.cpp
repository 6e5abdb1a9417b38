#include "connectors/postgres/pg_activity.hpp"

namespace pond::connectors::postgres {

ActiveStatements::Ticket::Ticket(ActiveStatements& registry, PgCancel cancel)
    : registry_(registry), cancel_(std::move(cancel)) {
  std::lock_guard lock(registry_.mutex_);
  registry_.tickets_.insert(this);
}

ActiveStatements::Ticket::~Ticket() {
  std::lock_guard lock(registry_.mutex_);
  registry_.tickets_.erase(this);
}

void ActiveStatements::Ticket::cancel() {
  cancelled_.store(true, std::memory_order_release);
  cancel_.send();
}

std::unique_ptr<ActiveStatements::Ticket> ActiveStatements::enter(const PgConnection& connection) {
  return std::make_unique<Ticket>(*this, connection.cancel_handle());
}

size_t ActiveStatements::cancel_all() {
  std::lock_guard lock(mutex_);
  for (Ticket* ticket : tickets_) ticket->cancel();
  return tickets_.size();
}

}  // namespace pond::connectors::postgres
