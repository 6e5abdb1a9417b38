#pragma once
// Applying a Plan to an open workspace. Order: extensions and settings (this process),
// secrets, sources (with per-source retries and backoff), ephemeral materializations, the
// drops of sources and secrets, then one DuckDB transaction on the workspace holding every
// persistent materialization (built in place, old table kept until commit), view and catalog
// record. A failure rolls that transaction back and undoes the steps before it exactly
// (sources and secrets put back as they were registered, created_at included), so the
// workspace is as it was, and the error names the item. A kill leaves either the old
// transaction state or the new one; sources and secrets changed before the kill are taken
// over by the next run (they match the catalog). With keep_going a source that stays down is
// skipped with what depends on it, and reported. Not thread-safe.

#include <functional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/plan.hpp"
#include "workspace/workspace.hpp"

namespace pond::catalog {

struct ApplyOptions {
  bool keep_going = false;
  // Progress notes (retries, skipped items); never a secret value.
  std::function<void(const std::string&)> log;
};

struct ApplyReport {
  std::vector<std::string> skipped;  // "source 'pg': <why>" and what depended on it
  size_t applied = 0;                // items created, changed or dropped
};

ApplyReport apply_plan(const Catalog& catalog, const Plan& plan, workspace::Workspace& workspace,
                       const ApplyOptions& options);

}  // namespace pond::catalog
