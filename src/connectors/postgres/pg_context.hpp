#pragma once
// PgContext — what every bind and scan of one PostgreSQL source shares: its settings, its
// connection pool, the registry of statements running now (for cancel) and an optional
// observer that sees each statement a scan sends (tests, logging). Owned through shared_ptr by
// the source and by every scan, so a scan may outlive the source. Thread-safe.

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "connectors/postgres/pg_activity.hpp"
#include "connectors/postgres/pg_connection_pool.hpp"
#include "connectors/postgres/pg_settings.hpp"

namespace pond::connectors::postgres {

class PgContext {
 public:
  using Observer = std::function<void(const std::string& sql)>;

  explicit PgContext(std::shared_ptr<const PgSettings> settings)
      : settings_(settings), pool_(settings, settings->options().max_connections) {}

  const PgSettings& settings() const { return *settings_; }
  ConnectionPool& pool() { return pool_; }
  ActiveStatements& active() { return active_; }

  void set_observer(Observer observer) {
    std::lock_guard lock(mutex_);
    observer_ = std::move(observer);
  }
  void observe(const std::string& sql) const {
    std::lock_guard lock(mutex_);
    if (observer_) observer_(sql);
  }

 private:
  std::shared_ptr<const PgSettings> settings_;
  ConnectionPool pool_;
  ActiveStatements active_;
  mutable std::mutex mutex_;
  Observer observer_;
};

}  // namespace pond::connectors::postgres
