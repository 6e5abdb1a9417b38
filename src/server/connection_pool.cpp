#include "server/connection_pool.hpp"

#include <utility>

#include "engine/error.hpp"

namespace pond::server {

ConnectionLease::ConnectionLease(engine::Connection connection) : connection_(std::move(connection)) {}

ConnectionLease::ConnectionLease(ConnectionPool* pool, engine::Connection connection, uint64_t generation)
    : pool_(pool), connection_(std::move(connection)), generation_(generation) {}

ConnectionLease::ConnectionLease(ConnectionLease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      connection_(std::move(other.connection_)),
      generation_(other.generation_),
      reusable_(std::exchange(other.reusable_, false)) {
  other.connection_.reset();
}

ConnectionLease::~ConnectionLease() {
  if (pool_ != nullptr && connection_ && reusable_) pool_->give_back(std::move(*connection_), generation_);
}

ConnectionPool::ConnectionPool(Opener open, size_t capacity) : open_(std::move(open)), capacity_(capacity) {
  if (capacity_ == 0) throw Error(ErrorKind::internal, "a connection pool needs a capacity of at least 1");
  idle_.reserve(capacity_);
}

ConnectionLease ConnectionPool::acquire() {
  uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    generation = generation_;
    if (!idle_.empty()) {
      engine::Connection connection = std::move(idle_.back());
      idle_.pop_back();
      ++reused_;
      return ConnectionLease(this, std::move(connection), generation);
    }
    ++opened_;
  }
  // Opened outside the lock: it takes a while, and other requests may return connections.
  return ConnectionLease(this, open_(), generation);
}

void ConnectionPool::give_back(engine::Connection connection, uint64_t generation) {
  {
    std::lock_guard lock(mutex_);
    if (generation == generation_ && idle_.size() < capacity_) {
      idle_.push_back(std::move(connection));
      return;
    }
  }
  // Stale or surplus: `connection` closes here, outside the lock.
}

void ConnectionPool::invalidate() {
  std::vector<engine::Connection> closing;
  {
    std::lock_guard lock(mutex_);
    ++generation_;
    closing.swap(idle_);
    idle_.reserve(capacity_);
  }
  // `closing` is destroyed here, outside the lock.
}

size_t ConnectionPool::idle() const {
  std::lock_guard lock(mutex_);
  return idle_.size();
}

uint64_t ConnectionPool::opened() const {
  std::lock_guard lock(mutex_);
  return opened_;
}

uint64_t ConnectionPool::reused() const {
  std::lock_guard lock(mutex_);
  return reused_;
}

}  // namespace pond::server
