#pragma once
// Plan — what applying a catalog to a workspace would do, item by item: create what is
// missing, change what differs (by content hash, not by name), drop what the catalog created
// earlier and no longer declares, keep the rest. Items the catalog did not create are never
// touched; declaring one is an error unless it is exactly what the catalog asks for (then the
// catalog adopts it). Session items (temporary secrets, ephemeral materializations) are made
// anew in every process. Plain data; make_plan only reads the workspace.

#include <cstdint>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/catalog_state.hpp"
#include "workspace/workspace.hpp"

namespace pond::catalog {

enum class Action { create, change, drop, keep, session };
std::string_view action_name(Action action);

struct PlanItem {
  ItemKind kind = ItemKind::view;
  std::string name;
  Action action = Action::keep;
  std::string detail;               // shown after the name; never a secret value
  std::string definition;           // canonical JSON of what the catalog declares (empty for drops)
  std::string hash;                 // of `definition`
  std::string previous_definition;  // what the workspace recorded (change, drop)
  bool adopt = false;               // existed without being recorded: the catalog takes it over
  size_t index = SIZE_MAX;          // into the catalog's vector of that kind; SIZE_MAX for drops
  Location at;
  std::string taken_from;  // recorded by a catalog whose file is gone: taken over from it
};

struct Plan {
  std::string workspace;  // path or ":memory:"
  std::vector<PlanItem> items;

  size_t count(Action action) const;
  // True when applying would change the workspace (session items do not count).
  bool has_changes() const;
};

// The plan for `catalog` against `workspace` (nullptr: a workspace that does not exist yet).
// `force_rebuild` turns every keep into a change. Throws pond::Error(invalid_input) listing
// the declared items that clash with items the catalog did not create.
Plan make_plan(const Catalog& catalog, workspace::Workspace* workspace, bool force_rebuild);

// The canonical definition of each kind of item (what the hash covers).
std::string source_definition(const SourceSpec& source);
std::string source_definition(const workspace::SourceRecord& record);
std::string content_hash(const std::string& definition);

// One line per item that is not kept, then a count line; `verbose` lists kept items too.
std::string format_plan(const Plan& plan, bool verbose);

}  // namespace pond::catalog
