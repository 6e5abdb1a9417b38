#pragma once
// ConnectionPool — idle connections of one source, reused by scans, queries and catalog
// reads so that a query does not pay a new connection each time. acquire() hands out an idle
// connection that still looks alive or opens a new one; release() keeps a connection only when
// it is idle and healthy, and at most `max_idle` of them. Thread-safe.

#include <memory>
#include <mutex>
#include <vector>

#include "connectors/postgres/pg_connection.hpp"

namespace pond::connectors::postgres {

class ConnectionPool {
 public:
  ConnectionPool(std::shared_ptr<const PgSettings> settings, size_t max_idle);

  PgConnection acquire();
  void release(PgConnection connection);
  // Closes the idle connections (after the server restarted, say).
  void clear();

  const PgSettings& settings() const { return *settings_; }
  const std::shared_ptr<const PgSettings>& shared_settings() const { return settings_; }

 private:
  std::shared_ptr<const PgSettings> settings_;
  size_t max_idle_;
  std::mutex mutex_;
  std::vector<PgConnection> idle_;
};

}  // namespace pond::connectors::postgres
