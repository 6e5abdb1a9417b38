#include "catalog/catalog_state.hpp"

#include <array>
#include <filesystem>

#include "engine/error.hpp"

namespace pond::catalog {
namespace fs = std::filesystem;

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

std::string catalog_identity(const Catalog& catalog) {
  fs::path file = catalog.file.lexically_normal();
  if (catalog.workspace == ":memory:") return file.generic_string();
  std::error_code ec;
  fs::path top = fs::weakly_canonical(catalog.file, ec);
  if (ec) top = file;
  fs::path base = fs::weakly_canonical(fs::path(catalog.workspace).parent_path(), ec);
  if (ec) return file.generic_string();
  fs::path relative = top.lexically_relative(base);
  return relative.empty() ? file.generic_string() : relative.generic_string();
}

bool CatalogState::has_table() {
  return !connection_
              .query(
                  "SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = "
                  "'pond_meta' AND table_name = 'catalog_items'")
              .fetch_all()
              .empty();
}

bool CatalogState::has_owner_column() {
  return !connection_
              .query(
                  "SELECT 1 FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = "
                  "'pond_meta' AND table_name = 'catalog_items' AND column_name = 'catalog'")
              .fetch_all()
              .empty();
}

std::vector<OwnedItem> CatalogState::load() {
  std::vector<OwnedItem> out;
  if (!has_table()) return out;
  std::string owner = has_owner_column() ? "coalesce(catalog, '')" : "''";
  for (const auto& row :
       connection_
           .query("SELECT kind, name, hash, definition, " + owner + " FROM pond_meta.catalog_items ORDER BY kind, name")
           .fetch_all()) {
    out.push_back(OwnedItem{parse_item_kind(row[0].to_string()), row[1].to_string(), row[2].to_string(),
                            row[3].to_string(), row[4].to_string()});
  }
  return out;
}

void CatalogState::replace_owned(const std::string& identity, const std::vector<OwnedItem>& items) {
  connection_.query(
      "CREATE SCHEMA IF NOT EXISTS pond_meta; CREATE TABLE IF NOT EXISTS pond_meta.catalog_items (kind VARCHAR NOT "
      "NULL, name VARCHAR NOT NULL, hash VARCHAR NOT NULL, definition VARCHAR NOT NULL, applied_at TIMESTAMP NOT "
      "NULL DEFAULT (now()::TIMESTAMP), catalog VARCHAR DEFAULT '')");
  if (!has_owner_column())
    connection_.query("ALTER TABLE pond_meta.catalog_items ADD COLUMN catalog VARCHAR DEFAULT ''");
  std::array<engine::Param, 1> owner{identity};
  connection_.execute("DELETE FROM pond_meta.catalog_items WHERE coalesce(catalog, '') IN ('', ?)", owner);
  for (const OwnedItem& item : items) {
    // An item taken over from a catalog whose file is gone has one owner from now on.
    std::array<engine::Param, 2> key{std::string(item_kind_name(item.kind)), item.name};
    connection_.execute("DELETE FROM pond_meta.catalog_items WHERE kind = ? AND lower(name) = lower(?)", key);
    std::array<engine::Param, 5> params{std::string(item_kind_name(item.kind)), item.name, item.hash, item.definition,
                                        identity};
    connection_.execute(
        "INSERT INTO pond_meta.catalog_items (kind, name, hash, definition, catalog) VALUES (?, ?, ?, ?, ?)", params);
  }
}

}  // namespace pond::catalog
