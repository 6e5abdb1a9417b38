#pragma once
// MysqlConnectionPool — reuses a few idle connections of one source, so that a scan does not
// pay a connection handshake each time. acquire() hands out a Lease: the connection returns
// to the pool when the lease ends, unless it is broken or was discarded (a scan abandoned
// mid-result discards its connection rather than read the rest). Thread-safe. Leases must not
// outlive the pool.

#include <chrono>
#include <mutex>
#include <vector>

#include "connectors/mysql/mysql_connection.hpp"
#include "connectors/mysql/mysql_settings.hpp"

namespace pond::connectors::mysql {

class MysqlConnectionPool {
 public:
  static constexpr size_t kMaxIdle = 4;
  // An idle connection older than this is pinged before it is handed out again.
  static constexpr std::chrono::seconds kCheckAfter{30};

  explicit MysqlConnectionPool(MysqlSettings settings) : settings_(std::move(settings)) {}

  class Lease {
   public:
    Lease(MysqlConnectionPool* pool, MysqlConnection connection) : pool_(pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { give_back(); }

    MysqlConnection& operator*() { return connection_; }
    MysqlConnection* operator->() { return &connection_; }
    // Close the connection at the end of the lease instead of returning it to the pool.
    void discard() { discarded_ = true; }

   private:
    void give_back() noexcept;

    MysqlConnectionPool* pool_ = nullptr;
    MysqlConnection connection_;
    bool discarded_ = false;
  };

  // An idle connection, or a new one (throws pond::Error(connector) when that fails).
  Lease acquire();
  const MysqlSettings& settings() const { return settings_; }

 private:
  struct Idle {
    MysqlConnection connection;
    std::chrono::steady_clock::time_point since;
  };
  void put_back(MysqlConnection connection) noexcept;

  const MysqlSettings settings_;
  std::mutex mutex_;
  std::vector<Idle> idle_;
};

}  // namespace pond::connectors::mysql
