#pragma once
// Transaction — begins a transaction on construction and rolls it back on destruction unless
// commit() was called. Bound to one Connection, which must outlive it.

#include "engine/connection.hpp"

namespace pond::engine {

class Transaction {
 public:
  explicit Transaction(Connection& connection);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  void commit();
  void rollback();
  bool active() const { return active_; }

 private:
  Connection& connection_;
  bool active_ = false;
};

}  // namespace pond::engine
