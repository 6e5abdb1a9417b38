#pragma once
// QueryRegistry — the queries this server runs now and the results it holds for fetchArrow,
// by query id (128 random bits: an id is the capability to fetch or cancel). Enforces the cap
// on concurrent queries and on held results (HTTP 503 beyond them), the per-query timeout and
// the expiry of idle held results through one watchdog thread. Stopping a query interrupts its
// own connection and cancels the remote statements of that connection only; while a stopped
// query has not ended, the watchdog interrupts it again every 50 ms and cancels its remote
// statements again every second (one may have started after the first cancel). Thread-safe.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/active_query.hpp"
#include "server/server_options.hpp"

namespace pond::server {

class QueryRegistry {
 public:
  using Clock = std::chrono::steady_clock;

  // `interrupt` cancels what runs on a connection, its remote statements included.
  QueryRegistry(const ServerOptions& options, ActiveQuery::Interrupter interrupt);
  ~QueryRegistry();
  QueryRegistry(const QueryRegistry&) = delete;
  QueryRegistry& operator=(const QueryRegistry&) = delete;

  // Registers a new running query on `connection` under `id` (empty: a new random one).
  // Throws HttpError 503 when the cap is reached or the server is shutting down, 409 when
  // the id is in use.
  std::shared_ptr<ActiveQuery> start(engine::Connection connection, const std::string& id = "");
  // Registers work that borrows a connection (materialize, refresh; see ActiveQuery::set_target),
  // with the same cap, timeout and id rules.
  std::shared_ptr<ActiveQuery> start_borrowing(const std::string& id = "");
  // The query stopped running (finished, failed, or its stream ended).
  void finish(const std::string& id);
  // Moves a running query to the held results. Throws HttpError(503) when too many are held.
  void hold(const std::shared_ptr<ActiveQuery>& query);
  // Takes a held result for one fetchArrow call. Throws HttpError 404 (unknown or expired)
  // or 409 (another fetch is using it).
  std::shared_ptr<ActiveQuery> check_out(const std::string& id);
  // Gives it back after a fetch; `exhausted` releases it instead.
  void check_in(const std::shared_ptr<ActiveQuery>& query, bool exhausted);
  // Stops a running query or drops a held one; false when the id is unknown.
  bool cancel(const std::string& id);
  // Refuses new queries from now on.
  void begin_shutdown();
  // Stops every running query and drops every held result.
  void stop_all(StopReason reason);

  size_t running() const;
  size_t held() const;

 private:
  struct Running {
    std::shared_ptr<ActiveQuery> query;
    Clock::time_point deadline;
    Clock::time_point stopped_at{};
    Clock::time_point remote_cancelled_at{};
  };
  struct Held {
    std::shared_ptr<ActiveQuery> query;
    Clock::time_point last_used;
    bool in_use = false;
  };

  void watch(std::stop_token stop);
  std::shared_ptr<ActiveQuery> add(std::shared_ptr<ActiveQuery> query);
  static std::string new_id();

  ServerOptions options_;
  ActiveQuery::Interrupter interrupt_;
  mutable std::mutex mutex_;
  std::map<std::string, Running> running_;
  std::map<std::string, Held> held_;
  bool shutting_down_ = false;
  std::jthread watchdog_;  // last: stops before the maps go away
};

// Throws HttpError(400) unless `id` is empty (the server picks one) or 8-64 letters, digits,
// '-' and '_'.
void check_query_id(const std::string& id);

// Calls QueryRegistry::finish for a running query when destroyed, unless released (held).
class RunningQueryGuard {
 public:
  RunningQueryGuard(QueryRegistry& registry, std::string id) : registry_(&registry), id_(std::move(id)) {}
  RunningQueryGuard(const RunningQueryGuard&) = delete;
  RunningQueryGuard& operator=(const RunningQueryGuard&) = delete;
  ~RunningQueryGuard() {
    if (registry_ != nullptr) registry_->finish(id_);
  }
  void release() { registry_ = nullptr; }

 private:
  QueryRegistry* registry_;
  std::string id_;
};

}  // namespace pond::server
