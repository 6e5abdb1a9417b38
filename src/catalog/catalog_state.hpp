#pragma once
// CatalogState — the items catalogs created in a workspace, recorded in the workspace file
// (pond_meta.catalog_items: kind, name, content hash, definition, owning catalog) so that the
// next run can tell what changed by content and what each catalog owns (and may drop). Each
// row names the catalog file that owns it (catalog_identity); rows of older Pond versions
// name none and belong to whichever catalog applies next. Definitions never hold a secret
// value. Uses the caller's connection, so writes join its transaction; not thread-safe.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.hpp"
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
  std::string catalog;  // catalog_identity of the owner; empty: recorded before owners were
};

// How a catalog is known in the workspaces it applies to: the path of its top file relative to
// the workspace file's folder (so that moving both together keeps it), or the absolute path
// when the workspace is ":memory:" or on another root.
std::string catalog_identity(const Catalog& catalog);

class CatalogState {
 public:
  explicit CatalogState(engine::Connection& connection) : connection_(connection) {}

  // Every recorded item, of every catalog; empty when the table does not exist (a new or
  // read-only workspace).
  std::vector<OwnedItem> load();
  // Replaces the records of catalog `identity` (and the unowned ones of older versions) with
  // `items`, leaving other catalogs' records alone; creates or upgrades the table when needed.
  // Call it inside the transaction that applies the catalog.
  void replace_owned(const std::string& identity, const std::vector<OwnedItem>& items);

 private:
  bool has_table();
  bool has_owner_column();

  engine::Connection& connection_;
};

}  // namespace pond::catalog
