#include "engine/transaction.hpp"

#include "engine/error.hpp"

namespace pond::engine {

Transaction::Transaction(Connection& connection) : connection_(connection) {
  connection_.query("BEGIN TRANSACTION");
  active_ = true;
}

Transaction::~Transaction() {
  if (!active_) return;
  try {
    rollback();
  } catch (const Error&) {
    // The transaction may already be aborted by the failure that brought us here; DuckDB
    // discards it either way, and the original error is what the caller reports.
  }
}

void Transaction::commit() {
  if (!active_) throw Error(ErrorKind::internal, "commit without an active transaction");
  active_ = false;
  connection_.query("COMMIT");
}

void Transaction::rollback() {
  if (!active_) return;
  active_ = false;
  connection_.query("ROLLBACK");
}

}  // namespace pond::engine
