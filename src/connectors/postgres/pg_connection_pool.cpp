#include "connectors/postgres/pg_connection_pool.hpp"

#include <optional>

namespace pond::connectors::postgres {

ConnectionPool::ConnectionPool(std::shared_ptr<const PgSettings> settings, size_t max_idle)
    : settings_(std::move(settings)), max_idle_(max_idle) {}

PgConnection ConnectionPool::acquire() {
  while (true) {
    std::optional<PgConnection> candidate;
    {
      std::lock_guard lock(mutex_);
      if (idle_.empty()) break;
      candidate.emplace(std::move(idle_.back()));
      idle_.pop_back();
    }
    // A server that restarted closed its end; reading shows that without a round trip.
    if (candidate->reusable()) return std::move(*candidate);
  }
  return PgConnection::open(settings_);
}

void ConnectionPool::release(PgConnection connection) {
  if (!connection.reusable()) return;
  std::lock_guard lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(connection));
}

void ConnectionPool::clear() {
  std::vector<PgConnection> closing;
  std::lock_guard lock(mutex_);
  closing.swap(idle_);
}

}  // namespace pond::connectors::postgres
