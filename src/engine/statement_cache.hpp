#pragma once
// StatementCache — prepared statements of one connection keyed by their SQL text, bounded,
// least-recently-used evicted first. Entries are shared_ptr so that a statement evicted while
// a caller still holds it stays valid. Not thread-safe (one per connection).

#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>

#include "engine/prepared_statement.hpp"

namespace pond::engine {

class StatementCache {
 public:
  explicit StatementCache(size_t capacity) : capacity_(capacity) {}

  using Factory = std::function<PreparedStatement(const std::string&)>;
  // The cached statement for `sql`, prepared by `make` on a miss.
  std::shared_ptr<PreparedStatement> get(const std::string& sql, const Factory& make);

  size_t size() const { return index_.size(); }
  size_t capacity() const { return capacity_; }
  size_t hits() const { return hits_; }
  size_t misses() const { return misses_; }
  void clear();

 private:
  using Entry = std::pair<std::string, std::shared_ptr<PreparedStatement>>;
  size_t capacity_;
  std::list<Entry> order_;  // front = most recently used
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  size_t hits_ = 0;
  size_t misses_ = 0;
};

}  // namespace pond::engine
