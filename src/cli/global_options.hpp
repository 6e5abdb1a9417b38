#pragma once
// Options every `pond` command shares, and opening the workspace they name.

#include <memory>
#include <string>
#include <vector>

#include "workspace/workspace.hpp"

namespace pond::cli {

struct GlobalOptions {
  std::string workspace;              // -w; empty means $POND_WORKSPACE, then ":memory:"
  std::vector<std::string> settings;  // --setting NAME=VALUE, in order
  bool read_only = false;
};

// The workspace path the options resolve to.
std::string resolve_workspace_path(const GlobalOptions& options);
// Splits "NAME=VALUE" settings; throws pond::Error(usage) naming the bad one (never its value).
std::vector<std::pair<std::string, std::string>> parse_settings(const std::vector<std::string>& settings);
std::unique_ptr<workspace::Workspace> open_workspace(const GlobalOptions& options);

}  // namespace pond::cli
