#pragma once
// ActiveQuery — one query of the server (executeQuery, or a materialize / refresh): the DuckDB
// connection it runs on, its streaming result once executed, and why it was stopped, if it
// was. An executeQuery owns its connection; a materialize borrows the workspace's primary
// connection while it holds it (set_target). Stopping a query cancels only what runs on its
// connection: DuckDB's interrupt plus the remote statements (PostgreSQL, MySQL, SQLite) of
// that connection's query — other queries go on.
//
// Owned through shared_ptr by the request that runs it and by the QueryRegistry; the result
// is used by one thread at a time (the request streaming it, or the one fetchArrow call that
// checked it out), while stop() and interrupt_again() may be called from any thread.

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "engine/connection.hpp"
#include "engine/result.hpp"

namespace pond::server {

enum class StopReason { none, cancelled, timeout, shutdown, client_gone };

class ActiveQuery {
 public:
  using Clock = std::chrono::steady_clock;
  // Cancels what runs on a connection, remote statements of its query included
  // (workspace::Workspace::interrupt(connection)). Must be thread-safe.
  using Interrupter = std::function<void(const engine::Connection&)>;

  // A query on a connection of its own.
  ActiveQuery(std::string id, engine::Connection connection, Interrupter interrupt);
  // Work on a connection it borrows: stop() reaches it only while set_target() says so.
  ActiveQuery(std::string id, Interrupter interrupt);
  ActiveQuery(const ActiveQuery&) = delete;
  ActiveQuery& operator=(const ActiveQuery&) = delete;

  const std::string& id() const { return id_; }
  // The query's own connection; throws pond::Error(internal) for a borrowing query.
  engine::Connection& connection();
  Clock::time_point started() const { return started_; }

  // The connection stop() interrupts from now on (nullptr: none). A borrowing query sets it
  // once it holds the connection and clears it before letting go. Thread-safe.
  void set_target(const engine::Connection* connection);

  // Interrupts the running statement and cancels its remote statements; the first reason
  // given is the one reported. Thread-safe.
  void stop(StopReason reason);
  // For a stopped query that has not ended yet: interrupts DuckDB again (an interrupt that
  // arrived between two statements is forgotten) and, with `remote`, cancels the remote
  // statements again (one may have started after the first cancel). Thread-safe.
  void interrupt_again(bool remote);
  StopReason stop_reason() const { return reason_.load(); }
  // Throws pond::Error(cancelled) naming the reason when the query was stopped.
  void throw_if_stopped() const;
  // The message a client sees for `reason`.
  static std::string describe(StopReason reason);

 private:
  std::string id_;
  std::optional<engine::Connection> owned_;
  Interrupter interrupt_;
  Clock::time_point started_;
  std::atomic<StopReason> reason_{StopReason::none};
  mutable std::mutex target_mutex_;  // held while interrupting: set_target(nullptr) waits for it
  const engine::Connection* target_ = nullptr;

 public:
  // Declared after the connection: destroyed before it.
  // The executed statement's rows; set once by the request that runs it.
  std::optional<engine::Result> result;
  // A chunk read ahead of the page being sent (to know whether more follow).
  std::optional<engine::Chunk> pending;
};

// Points a borrowing query at a connection for the lifetime of the scope.
class QueryTargetScope {
 public:
  QueryTargetScope(ActiveQuery& query, const engine::Connection& connection) : query_(query) {
    query_.set_target(&connection);
  }
  ~QueryTargetScope() { query_.set_target(nullptr); }
  QueryTargetScope(const QueryTargetScope&) = delete;
  QueryTargetScope& operator=(const QueryTargetScope&) = delete;

 private:
  ActiveQuery& query_;
};

}  // namespace pond::server
