#include "connectors/mysql/mysql_connection_pool.hpp"

#include "engine/error.hpp"

namespace pond::connectors::mysql {

MysqlConnectionPool::Lease& MysqlConnectionPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    give_back();
    pool_ = other.pool_;
    connection_ = std::move(other.connection_);
    discarded_ = other.discarded_;
  }
  return *this;
}

void MysqlConnectionPool::Lease::give_back() noexcept {
  if (pool_ && connection_.valid() && !discarded_ && !connection_.broken()) pool_->put_back(std::move(connection_));
  connection_ = MysqlConnection();
}

MysqlConnectionPool::Lease MysqlConnectionPool::acquire() {
  ensure_client_thread();
  for (;;) {
    Idle idle;
    {
      std::lock_guard lock(mutex_);
      if (idle_.empty()) break;
      idle = std::move(idle_.back());
      idle_.pop_back();
    }
    bool recent = std::chrono::steady_clock::now() - idle.since < kCheckAfter;
    if (recent && !idle.connection.closed_by_server()) return Lease(this, std::move(idle.connection));
    try {
      idle.connection.ping();
      return Lease(this, std::move(idle.connection));
    } catch (const Error&) {
      // The server closed it while idle (wait_timeout, restart): try the next one, or connect anew.
    }
  }
  return Lease(this, MysqlConnection::open(settings_));
}

void MysqlConnectionPool::put_back(MysqlConnection connection) noexcept {
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdle) idle_.push_back(Idle{std::move(connection), std::chrono::steady_clock::now()});
}

}  // namespace pond::connectors::mysql
