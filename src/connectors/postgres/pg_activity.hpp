#pragma once
// ActiveStatements — the registry behind RemoteSource::cancel() and cancel_for(): every scan
// registers the connection it runs statements on, with the query it serves (its owner), for as
// long as it uses it; cancel_owner() / cancel_all() ask the server to cancel those statements
// (PQcancel) and mark their tickets, so that a scan that was cancelled throws
// pond::Error(cancelled) even when it was between two statements. Thread-safe.

#include <atomic>
#include <memory>
#include <mutex>
#include <set>

#include "connectors/postgres/pg_connection.hpp"
#include "workspace/connector.hpp"

namespace pond::connectors::postgres {

class ActiveStatements {
 public:
  // A registration; deregisters on destruction. Created and destroyed by the scan's thread.
  class Ticket {
   public:
    Ticket(ActiveStatements& registry, PgCancel cancel, workspace::QueryOwner owner);
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket();

    bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }
    // Marks the ticket cancelled and asks the server to cancel its statement. Thread-safe.
    void cancel();

   private:
    friend class ActiveStatements;
    ActiveStatements& registry_;
    PgCancel cancel_;
    workspace::QueryOwner owner_;
    std::atomic<bool> cancelled_{false};
  };

  // Registers `connection`, used for `owner`'s query, until the ticket is destroyed.
  std::unique_ptr<Ticket> enter(const PgConnection& connection, workspace::QueryOwner owner);
  // Cancels the statements registered for `owner`. Returns how many there were.
  size_t cancel_owner(workspace::QueryOwner owner);
  // Cancels every registered connection's statement. Returns how many were registered.
  size_t cancel_all();

 private:
  std::mutex mutex_;
  std::set<Ticket*> tickets_;
};

}  // namespace pond::connectors::postgres
