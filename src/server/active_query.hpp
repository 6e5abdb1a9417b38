#pragma once
// ActiveQuery — one query of executeQuery: its own connection, its streaming result once
// executed, and why it was stopped, if it was. Owned through shared_ptr by the request that
// runs it and by the QueryRegistry; the result is used by one thread at a time (the request
// streaming it, or the one fetchArrow call that checked it out), while stop() may be called
// from any thread.

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "engine/connection.hpp"
#include "engine/result.hpp"

namespace pond::server {

enum class StopReason { none, cancelled, timeout, shutdown, client_gone };

class ActiveQuery {
 public:
  using Clock = std::chrono::steady_clock;

  ActiveQuery(std::string id, engine::Connection connection)
      : id_(std::move(id)), connection_(std::move(connection)), started_(Clock::now()) {}
  ActiveQuery(const ActiveQuery&) = delete;
  ActiveQuery& operator=(const ActiveQuery&) = delete;

  const std::string& id() const { return id_; }
  engine::Connection& connection() { return connection_; }
  Clock::time_point started() const { return started_; }

  // Interrupts the running statement; the first reason given is the one reported. Thread-safe.
  void stop(StopReason reason);
  StopReason stop_reason() const { return reason_.load(); }
  // Throws pond::Error(cancelled) naming the reason when the query was stopped.
  void throw_if_stopped() const;
  // The message a client sees for `reason`.
  static std::string describe(StopReason reason);

  // The executed statement's rows; set once by the request that runs it.
  std::optional<engine::Result> result;
  // A chunk read ahead of the page being sent (to know whether more follow).
  std::optional<engine::Chunk> pending;

 private:
  std::string id_;
  engine::Connection connection_;  // declared before `result`: outlives it
  Clock::time_point started_;
  std::atomic<StopReason> reason_{StopReason::none};
};

}  // namespace pond::server
