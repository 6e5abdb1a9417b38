#include "connectors/postgres/pg_activity.hpp"

namespace pond::connectors::postgres {

ActiveStatements::Ticket::Ticket(ActiveStatements& registry, PgCancel cancel, workspace::QueryOwner owner)
    : registry_(registry), cancel_(std::move(cancel)), owner_(owner) {
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

std::unique_ptr<ActiveStatements::Ticket> ActiveStatements::enter(const PgConnection& connection,
                                                                  workspace::QueryOwner owner) {
  return std::make_unique<Ticket>(*this, connection.cancel_handle(), owner);
}

size_t ActiveStatements::cancel_owner(workspace::QueryOwner owner) {
  std::lock_guard lock(mutex_);
  size_t count = 0;
  for (Ticket* ticket : tickets_) {
    if (ticket->owner_ != owner) continue;
    ticket->cancel();
    ++count;
  }
  return count;
}

size_t ActiveStatements::cancel_all() {
  std::lock_guard lock(mutex_);
  for (Ticket* ticket : tickets_) ticket->cancel();
  return tickets_.size();
}

}  // namespace pond::connectors::postgres
