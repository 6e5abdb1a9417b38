#include "engine/statement_cache.hpp"

namespace pond::engine {

std::shared_ptr<PreparedStatement> StatementCache::get(const std::string& sql, const Factory& make) {
  if (auto it = index_.find(sql); it != index_.end()) {
    ++hits_;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->second;
  }
  ++misses_;
  auto statement = std::make_shared<PreparedStatement>(make(sql));
  if (capacity_ == 0) return statement;
  order_.emplace_front(sql, statement);
  index_[sql] = order_.begin();
  if (order_.size() > capacity_) {
    index_.erase(order_.back().first);
    order_.pop_back();
  }
  return statement;
}

void StatementCache::clear() {
  index_.clear();
  order_.clear();
}

}  // namespace pond::engine
