#pragma once
// CatalogState — the items a catalog created in a workspace, recorded in the workspace file
// (pond_meta.catalog_items: kind, name, content hash, definition) so that the next run can
// tell what changed by content and what the catalog owns (and may drop). Definitions never
// hold a secret value. Uses the caller's connection, so writes join its transaction; not
// thread-safe.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/connection.hpp"

namespace pond::catalog {

enum class ItemKind { secret, source, view, materialization };
std::string_view item_kind_name(ItemKind kind);
ItemKind parse_item_kind(std::string_view text);

struct OwnedItem {
  ItemKind kind = ItemKind::view;
  std::string name;
  std::string hash;
  std::string definition;
};

class CatalogState {
 public:
  explicit CatalogState(engine::Connection& connection) : connection_(connection) {}

  // The recorded items; empty when the table does not exist (a new or read-only workspace).
  std::vector<OwnedItem> load();
  // Replaces every record with `items` (creating the table when missing). Call it inside the
  // transaction that applies the catalog.
  void replace_all(const std::vector<OwnedItem>& items);

 private:
  engine::Connection& connection_;
};

}  // namespace pond::catalog
