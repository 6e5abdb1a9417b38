#include "catalog/applier.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>

#include "catalog/catalog_state.hpp"
#include "catalog/catalog_validator.hpp"
#include "catalog/yaml_values.hpp"
#include "engine/error.hpp"
#include "engine/sql_text.hpp"
#include "engine/transaction.hpp"

namespace pond::catalog {
namespace {

using workspace::Workspace;

std::string label(const PlanItem& item) { return std::string(item_kind_name(item.kind)) + " '" + item.name + "'"; }

// "file:line:column: kind 'name'", how every apply error starts.
std::string located(const PlanItem& item, const Location& at) {
  return (at.line > 0 ? at.to_string() + ": " : std::string()) + label(item);
}

void attach_spec(Workspace& ws, const SourceSpec& s) {
  if (s.type == "files") {
    ws.use_files(workspace::UseFilesRequest{s.location, s.name, s.format});
    return;
  }
  workspace::AttachRequest request;
  request.location = s.location;
  request.alias = s.name;
  request.read_only = s.read_only;
  request.type = s.type == "duckdb" ? "" : s.type;
  request.must_exist = true;
  request.options = s.options;
  if (!s.secret.empty()) request.options["secret"] = s.secret;
  ws.attach(request);
}

void attach_record(Workspace& ws, const workspace::SourceRecord& r) {
  if (r.kind == workspace::SourceKind::files) {
    ws.use_files(workspace::UseFilesRequest{r.location, r.alias, r.format});
    return;
  }
  workspace::AttachRequest request;
  request.location = r.location;
  request.alias = r.alias;
  request.read_only = r.read_only;
  request.type = r.kind == workspace::SourceKind::duckdb ? "" : std::string(workspace::source_kind_name(r.kind));
  nlohmann::json options = nlohmann::json::parse(r.options.empty() ? "{}" : r.options, nullptr, false);
  if (options.is_object()) {
    for (auto& [k, v] : options.items()) request.options[k] = v.is_string() ? v.get<std::string>() : v.dump();
  }
  ws.attach(request);
}

class Applier {
 public:
  Applier(const Catalog& catalog, const Plan& plan, Workspace& ws, const ApplyOptions& options)
      : catalog_(catalog), plan_(plan), ws_(ws), options_(options) {}

  ApplyReport run() {
    load_extensions();
    apply_settings();
    // Temporary secrets first: a registered source that uses one could not be restored when
    // the workspace opened.
    for (const PlanItem& item : plan_.items) {
      if (item.kind == ItemKind::secret && item.action == Action::session) apply_secret(item);
    }
    try {
      for (const PlanItem& item : plan_.items) {
        if (item.kind == ItemKind::secret && writable_change(item)) apply_secret(item);
      }
      check_kept_sources();
      for (const PlanItem& item : plan_.items) {
        if (item.kind == ItemKind::source && item.action != Action::drop) apply_source(item);
      }
      for (const PlanItem& item : plan_.items) {
        if (item.kind == ItemKind::materialization && item.action != Action::drop) apply_materialization(item);
      }
      commit_views_and_records();
    } catch (...) {
      undo();
      throw;
    }
    apply_drops();
    return report_;
  }

 private:
  void note(const std::string& text) {
    if (options_.log) options_.log(text);
  }

  bool writable_change(const PlanItem& item) const {
    return item.action == Action::create || item.action == Action::change;
  }

  void check_kept_sources() {
    std::set<std::string> down;
    for (const workspace::SourceInfo& info : ws_.sources()) {
      if (!info.available) down.insert(lower_ascii(info.record.alias));
    }
    for (const PlanItem& item : plan_.items) {
      if (item.kind != ItemKind::source || item.action != Action::keep || !down.contains(lower_ascii(item.name))) {
        continue;
      }
      workspace::SourceInfo info = ws_.retry_source(item.name);
      const SourceSpec& spec = catalog_.sources[item.index];
      for (int attempt = 1; attempt <= spec.retries && !info.available; ++attempt) {
        double wait = spec.retry_backoff_s * static_cast<double>(1 << (attempt - 1));
        note(located(item, item.at) + " is unavailable (" + info.reason + "); retry " + std::to_string(attempt) +
             " of " + std::to_string(spec.retries));
        std::this_thread::sleep_for(std::chrono::duration<double>(wait));
        info = ws_.retry_source(item.name);
      }
      if (info.available) continue;
      std::string message = located(item, item.at) + " is unavailable after " + std::to_string(spec.retries + 1) +
                            " attempts: " + info.reason;
      if (!options_.keep_going) {
        throw Error(ErrorKind::connector, message + "; fix it, or run with --keep-going to skip it");
      }
      skip_source(item.name, message);
    }
  }

  void skip_source(const std::string& name, const std::string& why) {
    report_.skipped.push_back(why);
    skipped_.insert({ItemKind::source, lower_ascii(name)});
    note("skipped: " + why);
  }

  bool depends_on_skipped(const PlanItem& item) {
    std::vector<std::string> refs;
    if (item.kind == ItemKind::materialization) refs.push_back(catalog_.materializations[item.index].source);
    if (item.kind == ItemKind::view) refs = source_references(catalog_.views[item.index].sql);
    for (const std::string& ref : refs) {
      if (!skipped_.contains({ItemKind::source, lower_ascii(ref)})) continue;
      std::string why = label(item) + " skipped: it reads source '" + ref + "', which was skipped";
      report_.skipped.push_back(why);
      skipped_.insert({item.kind, lower_ascii(item.name)});
      note(why);
      return true;
    }
    return false;
  }

  void load_extensions() {
    for (const ExtensionSpec& e : catalog_.extensions) {
      try {
        ws_.connection().query("LOAD " + sql::quote_identifier(lower_ascii(e.name)));
      } catch (const Error& error) {
        throw Error(ErrorKind::invalid_input,
                    e.at.to_string() + ": cannot load extension '" + e.name + "': " + error.what());
      }
    }
  }

  void apply_settings() {
    for (const SettingSpec& s : catalog_.settings) {
      try {
        ws_.connection().query(setting_statement(s));
      } catch (const Error& error) {
        throw Error(ErrorKind::invalid_input, s.at.to_string() + ": cannot apply DuckDB setting '" + s.name +
                                                  "': " + redact(error.what(), s.value));
      }
    }
  }

  void apply_secret(const PlanItem& item) {
    const SecretSpec& s = catalog_.secrets[item.index];
    workspace::SecretDefinition definition{s.name, s.type, s.persistent, s.fields};
    if (item.action == Action::session) {
      ws_.create_secret(definition, true);
      return;
    }
    if (!writable_change(item)) return;
    try {
      ws_.create_secret(definition, true);
    } catch (const Error& e) {
      throw Error(e.kind(), located(item, item.at) + ": " + e.what());
    }
    ++report_.applied;
    if (item.action == Action::create) {
      undo_.push_back([this, name = s.name] { ws_.drop_secret(name, true); });
    } else if (!item.previous_definition.empty()) {
      undo_.push_back([this, name = s.name, old = item.previous_definition] {
        nlohmann::json j = nlohmann::json::parse(old);
        workspace::SecretDefinition back{name, j["type"].get<std::string>(), true, {}};
        for (auto& [k, v] : j["fields"].items()) back.fields[k] = v.get<std::string>();
        ws_.create_secret(back, true);
      });
    }
  }

  std::optional<workspace::SourceRecord> registered(const std::string& alias) {
    for (const workspace::SourceInfo& info : ws_.sources()) {
      if (lower_ascii(info.record.alias) == lower_ascii(alias)) return info.record;
    }
    return std::nullopt;
  }

  void apply_source(const PlanItem& item) {
    if (!writable_change(item)) return;
    const SourceSpec& s = catalog_.sources[item.index];
    std::optional<workspace::SourceRecord> old = registered(s.name);
    if (old) ws_.detach(s.name, true);
    try {
      attach_with_retries(item, s);
    } catch (const Error& e) {
      if (old) reattach_quietly(*old);
      std::string message = located(item, item.at) + ": " + e.what();
      bool transient = e.kind() == ErrorKind::connector || e.kind() == ErrorKind::io;
      if (options_.keep_going && transient) {
        skip_source(s.name, message);
        return;
      }
      throw Error(e.kind(), message);
    }
    ++report_.applied;
    undo_.push_back([this, name = s.name, old] {
      ws_.detach(name, true);
      if (old) attach_record(ws_, *old);
    });
  }

  void reattach_quietly(const workspace::SourceRecord& old) {
    try {
      attach_record(ws_, old);
    } catch (const Error& e) {
      note("could not re-attach the previous source '" + old.alias + "': " + e.what());
    }
  }

  void attach_with_retries(const PlanItem& item, const SourceSpec& s) {
    for (int attempt = 0;; ++attempt) {
      try {
        attach_spec(ws_, s);
        return;
      } catch (const Error& e) {
        bool transient = e.kind() == ErrorKind::connector || e.kind() == ErrorKind::io;
        if (!transient || attempt >= s.retries) throw;
        double wait = s.retry_backoff_s * static_cast<double>(1 << attempt);
        note(label(item) + ": " + e.what() + "; retry " + std::to_string(attempt + 1) + " of " +
             std::to_string(s.retries) + " in " + std::to_string(wait).substr(0, 4) + " s");
        std::this_thread::sleep_for(std::chrono::duration<double>(wait));
      }
    }
  }

  void apply_materialization(const PlanItem& item) {
    if (item.action != Action::session && !writable_change(item)) return;
    if (depends_on_skipped(item)) return;
    const MaterializationSpec& m = catalog_.materializations[item.index];
    try {
      if (item.action == Action::change) ws_.drop_materialization(m.name, true);
      ws_.materialize(m.name, m.source, m.query, m.persistent);
    } catch (const Error& e) {
      throw Error(e.kind(), located(item, item.at) + ": " + e.what());
    }
    if (item.action != Action::session) ++report_.applied;
    undo_.push_back([this, name = m.name] { ws_.drop_materialization(name, true); });
  }

  void commit_views_and_records() {
    bool adopts = std::any_of(plan_.items.begin(), plan_.items.end(), [](const PlanItem& i) { return i.adopt; });
    if (!plan_.has_changes() && (!adopts || ws_.read_only())) return;  // nothing to write
    engine::Connection& c = ws_.connection();
    std::string db = c.query("SELECT current_database()").fetch_all()[0][0].to_string();
    std::map<std::pair<ItemKind, std::string>, OwnedItem> records;
    CatalogState state(c);
    for (OwnedItem& item : state.load()) {
      auto key = std::make_pair(item.kind, lower_ascii(item.name));
      records.emplace(key, std::move(item));
    }
    engine::Transaction tx(c);
    for (const PlanItem& item : plan_.items) {
      auto key = std::make_pair(item.kind, lower_ascii(item.name));
      if (item.action == Action::drop) {
        if (item.kind == ItemKind::view) {
          c.query("DROP VIEW IF EXISTS " + sql::qualified_name(db, "main", item.name));
          ++report_.applied;
        }
        records.erase(key);
        continue;
      }
      if (item.action == Action::session) continue;
      if (item.kind == ItemKind::view && writable_change(item)) {
        if (depends_on_skipped(item)) continue;
        const ViewSpec& v = catalog_.views[item.index];
        try {
          c.query("CREATE OR REPLACE VIEW " + sql::qualified_name(db, "main", v.name) + " AS " + v.sql);
        } catch (const Error& e) {
          throw Error(e.kind() == ErrorKind::cancelled ? e.kind() : ErrorKind::invalid_input,
                      located(item, v.sql_at) + ": " + e.what());
        }
        ++report_.applied;
      }
      if (skipped_.contains({item.kind, lower_ascii(item.name)})) continue;
      records[key] = OwnedItem{item.kind, item.name, item.hash, item.definition};
    }
    std::vector<OwnedItem> rows;
    for (auto& [key, item] : records) rows.push_back(std::move(item));
    state.replace_all(rows);
    tx.commit();
  }

  void apply_drops() {
    for (const PlanItem& item : plan_.items) {
      if (item.action != Action::drop || item.kind == ItemKind::view) continue;
      try {
        if (item.kind == ItemKind::source) ws_.detach(item.name, true);
        if (item.kind == ItemKind::materialization) ws_.drop_materialization(item.name, true);
        if (item.kind == ItemKind::secret) ws_.drop_secret(item.name, true);
      } catch (const Error& e) {
        throw Error(e.kind(), "cannot drop " + label(item) + ": " + e.what());
      }
      ++report_.applied;
    }
  }

  void undo() {
    for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) {
      try {
        (*it)();
      } catch (const std::exception& e) {
        // Keep undoing the rest; the original error is what the caller reports.
        note(std::string("undo step failed: ") + e.what());
      }
    }
  }

  const Catalog& catalog_;
  const Plan& plan_;
  Workspace& ws_;
  const ApplyOptions& options_;
  ApplyReport report_;
  std::vector<std::function<void()>> undo_;
  std::set<std::pair<ItemKind, std::string>> skipped_;
};

}  // namespace

ApplyReport apply_plan(const Catalog& catalog, const Plan& plan, Workspace& workspace, const ApplyOptions& options) {
  return Applier(catalog, plan, workspace, options).run();
}

}  // namespace pond::catalog
