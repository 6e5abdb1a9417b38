#pragma once
// The SQLite connections a source is running statements on right now, each with the query it
// serves (its owner), so that cancel_for() can interrupt one query's statements and cancel()
// all of them from another thread. Thread-safe.

#include <algorithm>
#include <mutex>
#include <vector>

#include "connectors/sqlite/sqlite_connection.hpp"
#include "workspace/connector.hpp"

namespace pond::connectors::sqlite {

class ActiveConnections {
 public:
  void add(SqliteConnection* c, workspace::QueryOwner owner) {
    std::lock_guard lock(mutex_);
    entries_.push_back({c, owner});
  }
  void remove(SqliteConnection* c) {
    std::lock_guard lock(mutex_);
    std::erase_if(entries_, [c](const Entry& e) { return e.connection == c; });
  }
  void interrupt_owner(workspace::QueryOwner owner) {
    std::lock_guard lock(mutex_);
    for (const Entry& e : entries_) {
      if (e.owner == owner) e.connection->interrupt();
    }
  }
  void interrupt_all() {
    std::lock_guard lock(mutex_);
    for (const Entry& e : entries_) e.connection->interrupt();
  }

 private:
  struct Entry {
    SqliteConnection* connection;
    workspace::QueryOwner owner;
  };
  std::mutex mutex_;
  std::vector<Entry> entries_;
};

// Registers a connection as active for `owner` for its lifetime.
class ActiveGuard {
 public:
  ActiveGuard(ActiveConnections& active, SqliteConnection* c, workspace::QueryOwner owner) : active_(active), c_(c) {
    active_.add(c_, owner);
  }
  ~ActiveGuard() { active_.remove(c_); }
  ActiveGuard(const ActiveGuard&) = delete;
  ActiveGuard& operator=(const ActiveGuard&) = delete;

 private:
  ActiveConnections& active_;
  SqliteConnection* c_;
};

}  // namespace pond::connectors::sqlite
