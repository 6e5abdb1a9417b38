#pragma once
// The catalog's front door: read a catalog file, validate it, plan it against its workspace
// and apply the plan, returning the ready workspace. With dry_run the workspace is only read
// (opened read-only, or not at all when its file does not exist yet) and no workspace is
// returned. Errors are pond::Error; catalog errors name file:line:column. Secrets are never
// in a message or a log line.
//
//   auto opened = pond::catalog::open_workspace("catalog.yaml", {.connectors = ...});
//   opened.workspace->execute("SELECT * FROM revenue_by_region");

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "catalog/applier.hpp"
#include "catalog/catalog.hpp"
#include "catalog/catalog_parser.hpp"
#include "catalog/plan.hpp"
#include "workspace/connector.hpp"
#include "workspace/workspace.hpp"

namespace pond::catalog {

struct OpenOptions {
  std::string workspace;   // overrides the catalog's `workspace:` when not empty
  bool read_only = false;  // open read-only; fails when the workspace differs from the catalog
  bool dry_run = false;    // plan only
  bool force_rebuild = false;
  bool keep_going = false;
  std::vector<std::shared_ptr<workspace::Connector>> connectors;
  ParseOptions parse;
  std::function<void(const std::string&)> log;  // progress notes
};

struct OpenedWorkspace {
  Catalog catalog;
  Plan plan;
  ApplyReport report;
  std::unique_ptr<workspace::Workspace> workspace;  // null after a dry run
};

OpenedWorkspace open_workspace(const std::filesystem::path& catalog_file, const OpenOptions& options = {});

}  // namespace pond::catalog
