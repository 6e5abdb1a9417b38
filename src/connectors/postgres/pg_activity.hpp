#pragma once
// ActiveStatements — the registry behind RemoteSource::cancel(): every scan registers the
// connection it runs statements on for as long as it uses it, and cancel_all() asks the server
// to cancel each of them (PQcancel) and marks their tickets, so that a scan that was cancelled
// throws pond::Error(cancelled) even when it was between two statements. Thread-safe.

#include <atomic>
#include <memory>
#include <mutex>
#include <set>

#include "connectors/postgres/pg_connection.hpp"

namespace pond::connectors::postgres {

class ActiveStatements {
 public:
  // A registration; deregisters on destruction. Created and destroyed by the scan's thread.
  class Ticket {
   public:
    Ticket(ActiveStatements& registry, PgCancel cancel);
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
    std::atomic<bool> cancelled_{false};
  };

  // Registers `connection` until the ticket is destroyed.
  std::unique_ptr<Ticket> enter(const PgConnection& connection);
  // Cancels every registered connection's statement. Returns how many were registered.
  size_t cancel_all();

 private:
  std::mutex mutex_;
  std::set<Ticket*> tickets_;
};

}  // namespace pond::connectors::postgres
