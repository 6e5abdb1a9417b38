#include "catalog/catalog_state.hpp"

#include <array>

#include "engine/error.hpp"

namespace pond::catalog {

std::string_view item_kind_name(ItemKind kind) {
  switch (kind) {
    case ItemKind::secret:
      return "secret";
    case ItemKind::source:
      return "source";
    case ItemKind::view:
      return "view";
    case ItemKind::materialization:
      return "materialization";
  }
  return "?";
}

ItemKind parse_item_kind(std::string_view text) {
  for (ItemKind k : {ItemKind::secret, ItemKind::source, ItemKind::view, ItemKind::materialization}) {
    if (item_kind_name(k) == text) return k;
  }
  throw Error(ErrorKind::internal, "unknown catalog item kind '" + std::string(text) + "' in pond_meta.catalog_items");
}

std::vector<OwnedItem> CatalogState::load() {
  std::vector<OwnedItem> out;
  bool present = !connection_
                      .query(
                          "SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = "
                          "'pond_meta' AND table_name = 'catalog_items'")
                      .fetch_all()
                      .empty();
  if (!present) return out;
  for (const auto& row :
       connection_.query("SELECT kind, name, hash, definition FROM pond_meta.catalog_items ORDER BY kind, name")
           .fetch_all()) {
    out.push_back(
        OwnedItem{parse_item_kind(row[0].to_string()), row[1].to_string(), row[2].to_string(), row[3].to_string()});
  }
  return out;
}

void CatalogState::replace_all(const std::vector<OwnedItem>& items) {
  connection_.query(
      "CREATE SCHEMA IF NOT EXISTS pond_meta; CREATE TABLE IF NOT EXISTS pond_meta.catalog_items (kind VARCHAR NOT "
      "NULL, name VARCHAR NOT NULL, hash VARCHAR NOT NULL, definition VARCHAR NOT NULL, applied_at TIMESTAMP NOT "
      "NULL DEFAULT (now()::TIMESTAMP))");
  connection_.query("DELETE FROM pond_meta.catalog_items");
  for (const OwnedItem& item : items) {
    std::array<engine::Param, 4> params{std::string(item_kind_name(item.kind)), item.name, item.hash, item.definition};
    connection_.execute("INSERT INTO pond_meta.catalog_items (kind, name, hash, definition) VALUES (?, ?, ?, ?)",
                        params);
  }
}

}  // namespace pond::catalog
