#include "connectors/mysql/mysql_active_queries.hpp"

#include <algorithm>

namespace pond::connectors::mysql {

MysqlActiveQueries::Registration::Registration(Registration&& other) noexcept
    : registry_(other.registry_), id_(other.id_), entry_(std::move(other.entry_)) {
  other.registry_ = nullptr;
}

MysqlActiveQueries::Registration& MysqlActiveQueries::Registration::operator=(Registration&& other) noexcept {
  if (this != &other) {
    end();
    registry_ = other.registry_;
    id_ = other.id_;
    entry_ = std::move(other.entry_);
    other.registry_ = nullptr;
  }
  return *this;
}

void MysqlActiveQueries::Registration::end() noexcept {
  if (!registry_) return;
  std::lock_guard lock(registry_->mutex_);
  registry_->entries_.erase(id_);
  registry_ = nullptr;
}

MysqlActiveQueries::Registration MysqlActiveQueries::add(MysqlConnection& connection, workspace::QueryOwner owner) {
  auto entry = std::make_shared<Entry>();
  entry->connection = &connection;
  entry->thread_id = connection.thread_id();
  entry->owner = owner;
  std::lock_guard lock(mutex_);
  uint64_t id = next_id_++;
  entries_[id] = entry;
  return Registration(this, id, std::move(entry));
}

std::vector<unsigned long> MysqlActiveQueries::cancel_all() {
  std::lock_guard lock(mutex_);
  std::vector<unsigned long> ids;
  for (auto& [id, entry] : entries_) {
    entry->cancelled = true;
    ids.push_back(entry->thread_id);
  }
  return ids;
}

std::vector<unsigned long> MysqlActiveQueries::cancel_owner(workspace::QueryOwner owner) {
  std::lock_guard lock(mutex_);
  std::vector<unsigned long> ids;
  for (auto& [id, entry] : entries_) {
    if (entry->owner != owner) continue;
    entry->cancelled = true;
    ids.push_back(entry->thread_id);
  }
  return ids;
}

void MysqlActiveQueries::abort(const std::vector<unsigned long>& thread_ids) noexcept {
  std::lock_guard lock(mutex_);
  for (auto& [id, entry] : entries_) {
    if (std::find(thread_ids.begin(), thread_ids.end(), entry->thread_id) != thread_ids.end()) {
      entry->connection->abort_io();
    }
  }
}

}  // namespace pond::connectors::mysql
