#include "catalog/applier.hpp"

#include <algorithm>
#include <chrono>
#include <map>
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
        if (item.kind == ItemKind::materialization && item.action == Action::session) apply_session_table(item);
      }
      // Sources and secrets cannot join a DuckDB transaction (ATTACH is not transactional):
      // each change above and each drop here has an exact undo.
      for (const PlanItem& item : plan_.items) {
        if (item.action == Action::drop && item.kind == ItemKind::source) drop_source(item);
      }
      for (const PlanItem& item : plan_.items) {
        if (item.action == Action::drop && item.kind == ItemKind::secret) drop_secret(item);
      }
      commit_workspace();
    } catch (...) {
      undo();
      throw;
    }
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
    std::map<std::string, workspace::SourceInfo> down;
    for (workspace::SourceInfo& info : ws_.sources()) {
      if (!info.available) down.emplace(lower_ascii(info.record.alias), std::move(info));
    }
    for (const PlanItem& item : plan_.items) {
      auto found = down.find(lower_ascii(item.name));
      if (item.kind != ItemKind::source || item.action != Action::keep || found == down.end()) continue;
      const SourceSpec& spec = catalog_.sources[item.index];
      // Credentials refused at open stay refused (a changed secret clears the mark): no retry.
      workspace::SourceInfo info = found->second.retry_futile ? found->second : ws_.retry_source(item.name);
      for (int attempt = 1; attempt <= spec.retries && !info.available && !info.retry_futile; ++attempt) {
        double wait = spec.retry_backoff_s * static_cast<double>(1 << (attempt - 1));
        note(located(item, item.at) + " is unavailable (" + info.reason + "); retry " + std::to_string(attempt) +
             " of " + std::to_string(spec.retries));
        std::this_thread::sleep_for(std::chrono::duration<double>(wait));
        info = ws_.retry_source(item.name);
      }
      if (info.available) continue;
      std::string message = info.retry_futile
                                ? located(item, item.at) + " cannot connect, and retrying will not help: " + info.reason
                                : located(item, item.at) + " is unavailable after " + std::to_string(spec.retries + 1) +
                                      " attempts: " + info.reason;
      if (!options_.keep_going) {
        throw Error(ErrorKind::connector,
                    message + (info.retry_futile ? "; fix the source's secret" : "; fix it") +
                        ", or run with --keep-going to skip it",
                    info.retry_futile ? Retry::futile : Retry::may_help);
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
    if (item.kind == ItemKind::view) {
      for (const SourceReference& ref : source_references(ws_.connection(), catalog_.views[item.index].sql)) {
        refs.push_back(ref.name);
      }
    }
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
    // What is stored now, exactly (a persistent secret holds references only).
    std::optional<workspace::SecretDefinition> before = ws_.persistent_secret(s.name);
    try {
      ws_.create_secret(definition, true);
    } catch (const Error& e) {
      throw Error(e.kind(), located(item, item.at) + ": " + e.what());
    }
    ++report_.applied;
    undo_.push_back([this, name = s.name, old = std::move(before)] {
      ws_.drop_secret(name, true);
      if (old) ws_.create_secret(*old, true);
    });
  }

  void drop_secret(const PlanItem& item) {
    std::optional<workspace::SecretDefinition> before = ws_.persistent_secret(item.name);
    try {
      ws_.drop_secret(item.name, true);
    } catch (const Error& e) {
      throw Error(e.kind(), "cannot drop " + label(item) + ": " + e.what());
    }
    ++report_.applied;
    if (before) undo_.push_back([this, old = std::move(*before)] { ws_.create_secret(old, true); });
  }

  void apply_source(const PlanItem& item) {
    if (!writable_change(item)) return;
    const SourceSpec& s = catalog_.sources[item.index];
    std::optional<workspace::SourceRecord> old = ws_.source_record(s.name);
    if (old) ws_.detach(s.name, true);
    try {
      attach_with_retries(item, s);
    } catch (const Error& e) {
      if (old) put_back_quietly(*old);
      std::string message = located(item, item.at) + ": " + e.what();
      bool transient = e.kind() == ErrorKind::connector || e.kind() == ErrorKind::io;
      if (options_.keep_going && transient) {
        skip_source(s.name, message);
        return;
      }
      throw e.reworded(message);
    }
    ++report_.applied;
    undo_.push_back([this, name = s.name, old] {
      ws_.detach(name, true);
      if (old) ws_.put_back_source(*old);
    });
  }

  void drop_source(const PlanItem& item) {
    std::optional<workspace::SourceRecord> old = ws_.source_record(item.name);
    try {
      ws_.detach(item.name, true);
    } catch (const Error& e) {
      throw Error(e.kind(), "cannot drop " + label(item) + ": " + e.what());
    }
    ++report_.applied;
    if (old) undo_.push_back([this, record = std::move(*old)] { ws_.put_back_source(record); });
  }

  // The registry row exactly as it was; a source that does not answer is listed unavailable.
  void put_back_quietly(const workspace::SourceRecord& old) {
    try {
      ws_.put_back_source(old);
    } catch (const Error& e) {
      note("could not put back the previous source '" + old.alias + "': " + e.what());
    }
  }

  void attach_with_retries(const PlanItem& item, const SourceSpec& s) {
    for (int attempt = 0;; ++attempt) {
      try {
        attach_spec(ws_, s);
        return;
      } catch (const Error& e) {
        // A wrong password or an unknown database will not pass by waiting.
        bool transient = (e.kind() == ErrorKind::connector || e.kind() == ErrorKind::io) && !e.retry_futile();
        if (!transient || attempt >= s.retries) throw;
        double wait = s.retry_backoff_s * static_cast<double>(1 << attempt);
        note(label(item) + ": " + e.what() + "; retry " + std::to_string(attempt + 1) + " of " +
             std::to_string(s.retries) + " in " + std::to_string(wait).substr(0, 4) + " s");
        std::this_thread::sleep_for(std::chrono::duration<double>(wait));
      }
    }
  }

  // Ephemeral materializations live in this process's in-memory database, outside the
  // workspace's transaction; the undo drops them.
  void apply_session_table(const PlanItem& item) {
    if (depends_on_skipped(item)) return;
    const MaterializationSpec& m = catalog_.materializations[item.index];
    try {
      ws_.materialize(m.name, m.source, m.query, false);
    } catch (const Error& e) {
      throw Error(e.kind(), located(item, item.at) + ": " + e.what());
    }
    undo_.push_back([this, name = m.name] { ws_.drop_materialization(name, true); });
  }

  // Persistent materializations, views and the catalog's records: one DuckDB transaction on
  // the workspace, so a failure (or a kill) leaves the old tables, rows, provenance, views
  // and records exactly as they were.
  void commit_workspace() {
    bool adopts = std::any_of(plan_.items.begin(), plan_.items.end(),
                              [](const PlanItem& i) { return i.adopt || !i.taken_from.empty(); });
    if (!plan_.has_changes() && (!adopts || ws_.read_only())) return;  // nothing to write
    engine::Connection& c = ws_.connection();
    std::string db = c.query("SELECT current_database()").fetch_all()[0][0].to_string();
    std::string identity = catalog_identity(catalog_);
    std::map<std::pair<ItemKind, std::string>, OwnedItem> records;
    for (OwnedItem& item : CatalogState(c).load()) {
      if (!item.catalog.empty() && item.catalog != identity) continue;
      auto key = std::make_pair(item.kind, lower_ascii(item.name));
      records.emplace(key, std::move(item));
    }
    engine::Transaction tx(c);
    for (const PlanItem& item : plan_.items) {
      if (item.kind != ItemKind::materialization) continue;
      if (item.action == Action::drop) {
        run_in_transaction(item, item.at, [&] { ws_.drop_materialization_in_transaction(item.name); });
        ++report_.applied;
      } else if (writable_change(item) && !depends_on_skipped(item)) {
        const MaterializationSpec& m = catalog_.materializations[item.index];
        run_in_transaction(item, item.at, [&] { ws_.materialize_in_transaction(m.name, m.source, m.query); });
        ++report_.applied;
      }
    }
    for (const PlanItem* ordered : in_dependency_order()) {
      const PlanItem& item = *ordered;
      auto key = std::make_pair(item.kind, lower_ascii(item.name));
      if (item.action == Action::drop) {
        if (item.kind == ItemKind::view) {
          run_in_transaction(item, item.at,
                             [&] { c.query("DROP VIEW IF EXISTS " + sql::qualified_name(db, "main", item.name)); });
          ++report_.applied;
        }
        records.erase(key);
        continue;
      }
      if (item.action == Action::session) continue;
      if (item.kind == ItemKind::view && writable_change(item)) {
        if (depends_on_skipped(item)) continue;
        const ViewSpec& v = catalog_.views[item.index];
        run_in_transaction(item, v.sql_at, [&] {
          c.query("CREATE OR REPLACE VIEW " + sql::qualified_name(db, "main", v.name) + " AS " + v.sql);
        });
        ++report_.applied;
      }
      if (skipped_.contains({item.kind, lower_ascii(item.name)})) continue;
      records[key] = OwnedItem{item.kind, item.name, item.hash, item.definition, identity};
    }
    std::vector<OwnedItem> rows;
    for (auto& [key, item] : records) rows.push_back(std::move(item));
    CatalogState(c).replace_owned(identity, rows);
    tx.commit();
  }

  // The plan's items with every view after the catalog's views it reads (DuckDB binds a view
  // when it is created); a cycle keeps the declared order, and DuckDB reports it.
  std::vector<const PlanItem*> in_dependency_order() {
    std::map<std::string, const PlanItem*> views;
    for (const PlanItem& item : plan_.items) {
      if (item.kind == ItemKind::view && item.action != Action::drop) views[lower_ascii(item.name)] = &item;
    }
    std::vector<const PlanItem*> out;
    std::set<const PlanItem*> placed;
    std::set<const PlanItem*> visiting;
    std::function<void(const PlanItem*)> place = [&](const PlanItem* item) {
      if (placed.contains(item) || visiting.contains(item)) return;
      visiting.insert(item);
      if (item->kind == ItemKind::view && item->action != Action::drop) {
        for (const TableReference& ref : table_references(ws_.connection(), catalog_.views[item->index].sql)) {
          if (ref.maybe_cte || !ref.catalog.empty() || (!ref.schema.empty() && lower_ascii(ref.schema) != "main")) {
            continue;
          }
          if (auto it = views.find(lower_ascii(ref.table)); it != views.end()) place(it->second);
        }
      }
      visiting.erase(item);
      placed.insert(item);
      out.push_back(item);
    };
    for (const PlanItem& item : plan_.items) place(&item);
    return out;
  }

  template <class F>
  void run_in_transaction(const PlanItem& item, const Location& at, F&& step) {
    try {
      step();
    } catch (const Error& e) {
      ErrorKind kind = e.kind();
      if (item.kind == ItemKind::view && kind != ErrorKind::cancelled) kind = ErrorKind::invalid_input;
      throw Error(kind, located(item, at) + ": " + e.what());
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
