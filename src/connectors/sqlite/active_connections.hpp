#pragma once
// The SQLite connections a source is running statements on right now, so that cancel() can
// interrupt them from another thread.

#include <algorithm>
#include <mutex>
#include <vector>

#include "connectors/sqlite/sqlite_connection.hpp"

namespace pond::connectors::sqlite {

class ActiveConnections {
 public:
  void add(SqliteConnection* c) {
    std::lock_guard lock(mutex_);
    connections_.push_back(c);
  }
  void remove(SqliteConnection* c) {
    std::lock_guard lock(mutex_);
    connections_.erase(std::remove(connections_.begin(), connections_.end(), c), connections_.end());
  }
  void interrupt_all() {
    std::lock_guard lock(mutex_);
    for (SqliteConnection* c : connections_) c->interrupt();
  }

 private:
  std::mutex mutex_;
  std::vector<SqliteConnection*> connections_;
};

// Registers a connection as active for its lifetime.
class ActiveGuard {
 public:
  ActiveGuard(ActiveConnections& active, SqliteConnection* c) : active_(active), c_(c) { active_.add(c_); }
  ~ActiveGuard() { active_.remove(c_); }
  ActiveGuard(const ActiveGuard&) = delete;
  ActiveGuard& operator=(const ActiveGuard&) = delete;

 private:
  ActiveConnections& active_;
  SqliteConnection* c_;
};

}  // namespace pond::connectors::sqlite
