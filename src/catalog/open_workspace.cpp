#include "catalog/open_workspace.hpp"

#include <algorithm>

#include "catalog/catalog_validator.hpp"
#include "catalog/yaml_values.hpp"
#include "engine/error.hpp"

namespace pond::catalog {
namespace fs = std::filesystem;
namespace {

WorkspaceNames names_in(workspace::Workspace& ws) {
  WorkspaceNames names;
  for (const workspace::SourceInfo& s : ws.sources()) names.sources.insert(lower_ascii(s.record.alias));
  for (const auto& row : ws.execute("SHOW SECRETS").fetch_all()) names.secrets.insert(lower_ascii(row[0].to_string()));
  for (const auto& row :
       ws.connection()
           .query("SELECT lower(database_name) FROM duckdb_databases() UNION SELECT lower(schema_name) "
                  "FROM duckdb_schemas() WHERE database_name = current_database()")
           .fetch_all()) {
    names.databases.insert(row[0].to_string());
  }
  return names;
}

std::unique_ptr<workspace::Workspace> open(const Catalog& catalog, const OpenOptions& options, bool read_only) {
  workspace::WorkspaceOptions ws;
  ws.path = catalog.workspace;
  ws.read_only = read_only;
  ws.connectors = options.connectors;
  return std::make_unique<workspace::Workspace>(ws);
}

}  // namespace

OpenedWorkspace open_workspace(const fs::path& catalog_file, const OpenOptions& options) {
  OpenedWorkspace out;
  out.catalog = parse_catalog_file(catalog_file, options.parse);
  Catalog& catalog = out.catalog;
  if (!options.workspace.empty()) {
    catalog.workspace = options.workspace == ":memory:" ? options.workspace
                                                        : fs::absolute(options.workspace).lexically_normal().string();
  }
  bool in_memory = catalog.workspace == ":memory:";
  std::error_code ec;
  bool exists = !in_memory && fs::exists(catalog.workspace, ec);
  if (options.read_only && !in_memory && !exists) {
    throw Error(ErrorKind::not_found,
                "workspace '" + catalog.workspace + "' does not exist; it cannot be opened read-only");
  }
  bool has_ephemeral = std::any_of(catalog.materializations.begin(), catalog.materializations.end(),
                                   [](const MaterializationSpec& m) { return !m.persistent; });
  if (options.read_only && has_ephemeral) {
    throw Error(ErrorKind::invalid_input,
                "ephemeral materializations need a writable workspace; run without --read-only");
  }

  // A catalog with errors must not leave a new workspace file behind: validate first when
  // there is nothing to open yet.
  std::unique_ptr<workspace::Workspace> ws;
  if (exists || in_memory) {
    ws = open(catalog, options, options.read_only || (options.dry_run && !in_memory));
    validate_catalog(catalog, names_in(*ws));
  } else {
    validate_catalog(catalog);
  }
  out.plan = make_plan(catalog, ws.get(), options.force_rebuild);
  if (options.dry_run) return out;
  if (options.read_only && out.plan.has_changes()) {
    throw Error(ErrorKind::invalid_input, "the workspace is open read-only but differs from the catalog (" +
                                              std::to_string(out.plan.count(Action::create)) + " to create, " +
                                              std::to_string(out.plan.count(Action::change)) + " to change, " +
                                              std::to_string(out.plan.count(Action::drop)) +
                                              " to drop); run without --read-only to apply it");
  }
  if (!ws) ws = open(catalog, options, false);
  out.report = apply_plan(catalog, out.plan, *ws, ApplyOptions{options.keep_going, options.log});
  out.workspace = std::move(ws);
  return out;
}

}  // namespace pond::catalog
