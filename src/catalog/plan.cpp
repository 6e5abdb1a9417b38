#include "catalog/plan.hpp"

#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "catalog/diagnostics.hpp"
#include "catalog/yaml_values.hpp"
#include "engine/error.hpp"
#include "workspace/file_source.hpp"

namespace pond::catalog {
namespace {

using Key = std::pair<ItemKind, std::string>;  // kind, lower-case name

Key key_of(ItemKind kind, const std::string& name) { return {kind, lower_ascii(name)}; }

// What the workspace holds now.
struct WorkspaceState {
  std::map<Key, OwnedItem> owned;                          // by this catalog (or by none: older records)
  std::map<Key, std::string> foreign;                      // owned by another catalog: its identity
  std::map<Key, OwnedItem> orphaned;                       // owned by a catalog whose file no longer exists
  std::map<std::string, std::string> stored_secrets;       // persistent, lower-case -> definition
  std::map<std::string, workspace::SourceRecord> sources;  // lower-case alias
  std::set<std::string> views;                             // lower-case, files sources excluded
  std::set<std::string> materializations;                  // persistent, lower-case
  std::set<std::string> secrets;                           // persistent, lower-case
};

// Whether the catalog file `identity` (relative to the workspace's folder, or absolute) exists.
bool catalog_file_exists(const Catalog& catalog, const std::string& identity) {
  std::filesystem::path file(identity);
  if (file.is_relative()) {
    if (catalog.workspace == ":memory:") return true;  // cannot tell: keep it foreign
    file = std::filesystem::path(catalog.workspace).parent_path() / file;
  }
  std::error_code ec;
  return std::filesystem::exists(file, ec) || ec;
}

std::string stored_secret_definition(const workspace::SecretDefinition& s) {
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [k, v] : s.fields) fields[k] = v;
  return nlohmann::json{{"type", s.type}, {"fields", fields}}.dump();
}

WorkspaceState read_state(workspace::Workspace& ws, const Catalog& catalog) {
  WorkspaceState state;
  std::string identity = catalog_identity(catalog);
  for (OwnedItem& item : CatalogState(ws.connection()).load()) {
    Key key = key_of(item.kind, item.name);
    if (item.catalog.empty() || item.catalog == identity) {
      state.owned.emplace(key, std::move(item));
    } else if (!catalog_file_exists(catalog, item.catalog)) {
      state.orphaned.emplace(key, std::move(item));
    } else {
      state.foreign.emplace(key, item.catalog);
    }
  }
  for (const workspace::SourceInfo& s : ws.sources()) state.sources.emplace(lower_ascii(s.record.alias), s.record);
  for (const auto& row : ws.connection()
                             .query("SELECT lower(view_name) FROM duckdb_views() WHERE database_name = "
                                    "current_database() AND schema_name = 'main' AND NOT internal")
                             .fetch_all()) {
    std::string name = row[0].to_string();
    if (!state.sources.contains(name)) state.views.insert(name);
  }
  for (const auto& row : ws.execute("SHOW MATERIALIZATIONS").fetch_all()) {
    if (row[2].as_bool()) state.materializations.insert(lower_ascii(row[0].to_string()));
  }
  for (const auto& row : ws.execute("SHOW SECRETS").fetch_all()) {
    if (!row[2].as_bool()) continue;
    state.secrets.insert(lower_ascii(row[0].to_string()));
    if (auto stored = ws.persistent_secret(row[0].to_string())) {
      state.stored_secrets[lower_ascii(row[0].to_string())] = stored_secret_definition(*stored);
    }
  }
  return state;
}

std::string one_line(std::string text, size_t max) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (text.size() > max) text = text.substr(0, max - 3) + "...";
  return text;
}

std::string view_definition(const ViewSpec& v) { return nlohmann::json{{"sql", v.sql}}.dump(); }

std::string materialization_definition(const MaterializationSpec& m) {
  return nlohmann::json{{"source", m.source}, {"query", m.query}, {"persistent", m.persistent}}.dump();
}

std::string secret_definition(const SecretSpec& s) {
  // Persistent secrets hold references only (validate_catalog refuses a password there).
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [k, v] : s.fields) {
    if (k != "password") fields[k] = v;
  }
  return nlohmann::json{{"type", s.type}, {"fields", fields}}.dump();
}

std::string source_detail(const SourceSpec& s) {
  std::string out = s.type + " " + s.location;
  if (s.read_only && s.type == "duckdb") out += " (read-only)";
  if (!s.secret.empty()) out += " (secret " + s.secret + ")";
  return out;
}

class Planner {
 public:
  Planner(const Catalog& catalog, WorkspaceState state, bool force)
      : catalog_(catalog), state_(std::move(state)), force_(force), identity_(catalog_identity(catalog)) {}

  Plan run() {
    Plan plan;
    plan.workspace = catalog_.workspace;
    for (size_t i = 0; i < catalog_.secrets.size(); ++i) plan_secret(plan, i);
    for (size_t i = 0; i < catalog_.sources.size(); ++i) plan_source(plan, i);
    for (size_t i = 0; i < catalog_.materializations.size(); ++i) plan_materialization(plan, i);
    for (size_t i = 0; i < catalog_.views.size(); ++i) plan_view(plan, i);
    for (const auto& [key, item] : state_.owned) {
      if (declared_.contains(key)) continue;
      PlanItem drop;
      drop.kind = item.kind;
      drop.name = item.name;
      drop.action = Action::drop;
      drop.previous_definition = item.definition;
      plan.items.push_back(std::move(drop));
    }
    conflicts_.throw_if_any();
    return plan;
  }

 private:
  // Whether some catalog recorded the item (then it is never adopted).
  bool recorded(const Key& key) const {
    return state_.owned.contains(key) || state_.orphaned.contains(key) || state_.foreign.contains(key);
  }

  // Decides create / change / keep for a declared persistent item.
  void decide(Plan& plan, PlanItem item, bool exists, const std::string& what_exists) {
    Key key = key_of(item.kind, item.name);
    declared_.insert(key);
    item.hash = content_hash(item.definition);
    if (auto other = state_.foreign.find(key); other != state_.foreign.end()) {
      std::string kind(item_kind_name(item.kind));
      conflicts_.add(item.at, kind + " '" + item.name + "' belongs to catalog '" + other->second +
                                  "', which applied it to this workspace; catalog '" + identity_ +
                                  "' cannot declare it too: remove it from one of the two catalogs or give it "
                                  "another name");
      return;
    }
    const OwnedItem* owned = nullptr;
    if (auto it = state_.owned.find(key); it != state_.owned.end()) {
      owned = &it->second;
    } else if (auto gone = state_.orphaned.find(key); gone != state_.orphaned.end()) {
      // An item of a catalog file that is gone (renamed, moved, deleted) is taken over by the
      // catalog that declares it.
      owned = &gone->second;
      item.taken_from = gone->second.catalog;
    }
    if (!owned) {
      if (exists && !item.adopt) {
        conflicts_.add(item.at, std::string(item_kind_name(item.kind)) + " '" + item.name + "': " + what_exists +
                                    " already exists in the workspace and was not created by a catalog; remove it "
                                    "or give the catalog's " +
                                    std::string(item_kind_name(item.kind)) + " another name");
        return;
      }
      item.action = exists ? (force_ ? Action::change : Action::keep) : Action::create;
    } else {
      item.previous_definition = owned->definition;
      if (!exists) {
        item.action = Action::create;  // recorded, but removed behind the catalog's back
      } else {
        item.action = (force_ || owned->hash != item.hash) ? Action::change : Action::keep;
      }
    }
    plan.items.push_back(std::move(item));
  }

  void plan_secret(Plan& plan, size_t i) {
    const SecretSpec& s = catalog_.secrets[i];
    PlanItem item{ItemKind::secret,
                  s.name,
                  Action::session,
                  s.type + (s.persistent ? " (persistent)" : " (temporary)"),
                  "",
                  "",
                  "",
                  false,
                  i,
                  s.at,
                  ""};
    if (!s.persistent) {
      if (state_.secrets.contains(lower_ascii(s.name)) && !state_.owned.contains(key_of(ItemKind::secret, s.name))) {
        conflicts_.add(s.at, "secret '" + s.name +
                                 "': a persistent secret of that name already exists in the "
                                 "workspace; remove it (DROP SECRET) or rename the catalog's secret");
      }
      plan.items.push_back(std::move(item));
      return;
    }
    item.definition = secret_definition(s);
    // A persistent secret stored exactly as declared (say, by a run killed before it recorded
    // it) is taken over, not refused.
    if (auto stored = state_.stored_secrets.find(lower_ascii(s.name));
        stored != state_.stored_secrets.end() && !recorded(key_of(ItemKind::secret, s.name))) {
      item.adopt = stored->second == item.definition;
    }
    decide(plan, std::move(item), state_.secrets.contains(lower_ascii(s.name)), "a persistent secret of that name");
  }

  void plan_source(Plan& plan, size_t i) {
    const SourceSpec& s = catalog_.sources[i];
    PlanItem item{
        ItemKind::source, s.name, Action::keep, source_detail(s), source_definition(s), "", "", false, i, s.at, ""};
    auto existing = state_.sources.find(lower_ascii(s.name));
    bool exists = existing != state_.sources.end();
    // A source registered by hand exactly as declared is taken over, not refused.
    if (exists && !recorded(key_of(ItemKind::source, s.name))) {
      item.adopt = source_definition(existing->second) == item.definition;
    }
    decide(plan, std::move(item), exists, "a source of that name");
  }

  void plan_materialization(Plan& plan, size_t i) {
    const MaterializationSpec& m = catalog_.materializations[i];
    PlanItem item{ItemKind::materialization,
                  m.name,
                  Action::session,
                  "from " + m.source + (m.persistent ? " (persistent)" : " (ephemeral)"),
                  materialization_definition(m),
                  "",
                  "",
                  false,
                  i,
                  m.at,
                  ""};
    if (!m.persistent) {
      plan.items.push_back(std::move(item));
      return;
    }
    decide(plan, std::move(item), state_.materializations.contains(lower_ascii(m.name)),
           "a materialization of that name");
  }

  void plan_view(Plan& plan, size_t i) {
    const ViewSpec& v = catalog_.views[i];
    PlanItem item{ItemKind::view, v.name, Action::keep, one_line(v.sql, 60), view_definition(v), "", "", false, i,
                  v.at,           ""};
    std::string l = lower_ascii(v.name);
    decide(plan, std::move(item), state_.views.contains(l) || state_.sources.contains(l),
           "a view or source of that name");
  }

  const Catalog& catalog_;
  WorkspaceState state_;
  bool force_;
  std::string identity_;
  std::set<Key> declared_;
  Diagnostics conflicts_;
};

}  // namespace

std::string_view action_name(Action action) {
  switch (action) {
    case Action::create:
      return "create";
    case Action::change:
      return "change";
    case Action::drop:
      return "drop";
    case Action::keep:
      return "keep";
    case Action::session:
      return "session";
  }
  return "?";
}

size_t Plan::count(Action action) const {
  size_t n = 0;
  for (const PlanItem& item : items) n += item.action == action ? 1 : 0;
  return n;
}

bool Plan::has_changes() const { return count(Action::create) + count(Action::change) + count(Action::drop) > 0; }

std::string source_definition(const SourceSpec& s) {
  workspace::SourceRecord record;
  record.kind = workspace::parse_source_kind(s.type);
  record.location = s.location;
  if (s.type == "files") {
    record.location = workspace::absolute_location(s.location);
    record.format = s.format.empty() ? workspace::detect_file_format(s.location) : s.format;
  }
  // Only DuckDB files can be attached writable; Pond reads the other kinds.
  record.read_only = s.type == "duckdb" ? s.read_only : true;
  nlohmann::json options = nlohmann::json::object();
  for (const auto& [k, v] : s.options) options[k] = v;
  if (!s.secret.empty()) options["secret"] = s.secret;
  record.options = options.dump();
  return source_definition(record);
}

std::string source_definition(const workspace::SourceRecord& r) {
  nlohmann::json options = nlohmann::json::parse(r.options.empty() ? "{}" : r.options, nullptr, false);
  if (options.is_discarded()) options = nlohmann::json::object();
  return nlohmann::json{{"kind", std::string(workspace::source_kind_name(r.kind))},
                        {"location", r.location},
                        {"format", r.format},
                        {"read_only", r.read_only},
                        {"options", options}}
      .dump();
}

std::string content_hash(const std::string& definition) {
  // FNV-1a, 64 bits: stable across builds and platforms, which std::hash is not.
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : definition) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return text;
}

Plan make_plan(const Catalog& catalog, workspace::Workspace* ws, bool force_rebuild) {
  return Planner(catalog, ws ? read_state(*ws, catalog) : WorkspaceState{}, force_rebuild).run();
}

std::string format_plan(const Plan& plan, bool verbose) {
  std::string out;
  for (const PlanItem& item : plan.items) {
    if (item.action == Action::keep && !verbose && !item.adopt && item.taken_from.empty()) continue;
    char line[96];
    std::snprintf(line, sizeof line, "  %-8s %-16s ", std::string(action_name(item.action)).c_str(),
                  std::string(item_kind_name(item.kind)).c_str());
    out += line + item.name;
    if (!item.detail.empty() && item.action != Action::drop) {
      if (item.name.size() < 20) out += std::string(20 - item.name.size(), ' ');
      out += "  " + item.detail;
    }
    if (item.adopt) out += "  (already registered: adopted)";
    if (!item.taken_from.empty()) out += "  (taken over from catalog '" + item.taken_from + "', whose file is gone)";
    out += "\n";
  }
  size_t keep = plan.count(Action::keep);
  size_t session = plan.count(Action::session);
  std::string tail =
      std::to_string(keep) + " unchanged" + (session ? ", " + std::to_string(session) + " for this session only" : "");
  if (!plan.has_changes()) return out + "no changes (" + tail + ")\n";
  return out + std::to_string(plan.count(Action::create)) + " to create, " +
         std::to_string(plan.count(Action::change)) + " to change, " + std::to_string(plan.count(Action::drop)) +
         " to drop, " + tail + "\n";
}

}  // namespace pond::catalog
