#pragma once
// Applying a Plan to an open workspace. Order: extensions and settings (this process),
// secrets, sources (with per-source retries and backoff), materializations, then views and
// the catalog's records in one transaction, then drops. A failure undoes what was done before
// it (detaching new sources, re-attaching replaced ones, dropping new materializations,
// rolling back the views), so the workspace is as it was, and the error names the item. With
// keep_going a source that stays down is skipped with what depends on it, and reported.
// Limit: the old rows of a changed materialization are not brought back by an undo (its
// table is dropped instead, and the next run builds it again). Not thread-safe.

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
