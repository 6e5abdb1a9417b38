#pragma once
// ConnectionPool — the workspace connections executeQuery reuses from one request to the next,
// each with its statement cache, so that repeated SQL skips opening a connection and
// preparing. A request takes a Lease; when the lease ends the connection goes back only if
// the request marked it reusable (it ran only statements that cannot change session state:
// SELECT, INSERT, UPDATE, DELETE in autocommit, and was not stopped) and the pool's
// generation has not moved since it was opened. invalidate() moves the generation (the
// workspace's catalog changed: ATTACH, DETACH, materialize, DDL): idle connections are closed
// and leased ones are closed when given back, so no cached plan or search path outlives it.
// At most `capacity` connections wait idle; more leases than that may be out at once (the
// query registry caps those), and their surplus is closed on return.
//
// Thread-safe. A Lease and its connection are used by one thread at a time; the pool must
// outlive every lease taken from it.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "engine/connection.hpp"

namespace pond::server {

class ConnectionPool;

// One connection taken from a pool (or a stand-alone one, closed at the end). Move-only.
class ConnectionLease {
 public:
  // A connection of no pool: closed when the lease ends.
  explicit ConnectionLease(engine::Connection connection);
  ConnectionLease(ConnectionLease&& other) noexcept;
  ConnectionLease& operator=(ConnectionLease&&) = delete;
  ConnectionLease(const ConnectionLease&) = delete;
  ConnectionLease& operator=(const ConnectionLease&) = delete;
  ~ConnectionLease();

  engine::Connection& connection() { return *connection_; }
  const engine::Connection& connection() const { return *connection_; }
  // Whether the connection may serve the next request (false until said otherwise).
  void set_reusable(bool reusable) { reusable_ = reusable; }
  bool reusable() const { return reusable_; }

 private:
  friend class ConnectionPool;
  ConnectionLease(ConnectionPool* pool, engine::Connection connection, uint64_t generation);

  ConnectionPool* pool_ = nullptr;
  std::optional<engine::Connection> connection_;
  uint64_t generation_ = 0;
  bool reusable_ = false;
};

class ConnectionPool {
 public:
  using Opener = std::function<engine::Connection()>;

  // `open` makes a new connection (Workspace::open_connection); capacity >= 1.
  ConnectionPool(Opener open, size_t capacity);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // The most recently returned idle connection, or a new one. Throws what `open` throws.
  ConnectionLease acquire();
  // The catalog changed: no connection opened before now is reused.
  void invalidate();

  size_t capacity() const { return capacity_; }
  size_t idle() const;
  uint64_t opened() const;  // connections opened, ever
  uint64_t reused() const;  // leases served by an idle connection

 private:
  friend class ConnectionLease;
  void give_back(engine::Connection connection, uint64_t generation);

  Opener open_;
  size_t capacity_;
  mutable std::mutex mutex_;
  std::vector<engine::Connection> idle_;  // back = most recently returned
  uint64_t generation_ = 0;
  uint64_t opened_ = 0;
  uint64_t reused_ = 0;
};

// Invalidates a pool when the scope ends, however it ends (work that changes the catalog and
// may fail half-way).
class InvalidateOnExit {
 public:
  explicit InvalidateOnExit(ConnectionPool& pool) : pool_(pool) {}
  ~InvalidateOnExit() { pool_.invalidate(); }
  InvalidateOnExit(const InvalidateOnExit&) = delete;
  InvalidateOnExit& operator=(const InvalidateOnExit&) = delete;

 private:
  ConnectionPool& pool_;
};

}  // namespace pond::server
