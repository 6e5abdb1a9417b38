#include "workspace/remote_sources.hpp"

#include <algorithm>
#include <cctype>

#include "engine/error.hpp"
#include "workspace/text_util.hpp"

namespace pond::workspace {
namespace {

std::string argument(const engine::BindInput& input, size_t i, const char* what) {
  if (i >= input.arguments.size() || input.arguments[i].is_null()) {
    throw Error(ErrorKind::invalid_input, std::string(what) + " must not be NULL");
  }
  return input.arguments[i].to_string();
}

class ScanFunction : public engine::TableFunction {
 public:
  explicit ScanFunction(const RemoteSources& sources) : sources_(sources) {}
  std::string name() const override { return "pond_scan"; }
  size_t argument_count() const override { return 3; }
  std::unique_ptr<engine::BoundScan> bind(const engine::BindInput& input) override {
    std::string alias = argument(input, 0, "pond_scan: the source alias");
    return sources_.get(alias)->scan_table(argument(input, 1, "pond_scan: the schema"),
                                           argument(input, 2, "pond_scan: the table"), input.connection_id);
  }

 private:
  const RemoteSources& sources_;
};

class QueryFunction : public engine::TableFunction {
 public:
  explicit QueryFunction(const RemoteSources& sources) : sources_(sources) {}
  std::string name() const override { return "pond_query"; }
  size_t argument_count() const override { return 2; }
  std::unique_ptr<engine::BoundScan> bind(const engine::BindInput& input) override {
    std::string alias = argument(input, 0, "pond_query: the source alias");
    return sources_.get(alias)->run_query(argument(input, 1, "pond_query: the query"), input.connection_id);
  }

 private:
  const RemoteSources& sources_;
};

}  // namespace

RemoteSources::RemoteSources(std::vector<std::shared_ptr<Connector>> connectors) : connectors_(std::move(connectors)) {}

RemoteSources::~RemoteSources() = default;

void RemoteSources::register_functions(engine::Connection& connection) {
  functions_.push_back(std::make_unique<ScanFunction>(*this));
  functions_.push_back(std::make_unique<QueryFunction>(*this));
  for (auto& f : functions_) engine::register_table_function(connection, *f);
}

Connector* RemoteSources::connector(SourceKind kind) const {
  for (const auto& c : connectors_) {
    if (c->kind() == kind) return c.get();
  }
  return nullptr;
}

void RemoteSources::put(const std::string& alias, std::shared_ptr<RemoteSource> source) {
  std::lock_guard lock(mutex_);
  sources_[lower(alias)] = std::move(source);
}

void RemoteSources::remove(const std::string& alias) {
  std::lock_guard lock(mutex_);
  sources_.erase(lower(alias));
}

std::shared_ptr<RemoteSource> RemoteSources::get(const std::string& alias) const {
  std::lock_guard lock(mutex_);
  auto it = sources_.find(lower(alias));
  if (it == sources_.end()) {
    throw Error(ErrorKind::not_found,
                "no SQLite, PostgreSQL or MySQL source named '" + alias +
                    "' is connected; pond_query and pond_scan read only those (SHOW SOURCES lists every source and "
                    "why one is unavailable)");
  }
  return it->second;
}

void RemoteSources::cancel_all() const {
  std::vector<std::shared_ptr<RemoteSource>> all;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [alias, source] : sources_) all.push_back(source);
  }
  for (const auto& source : all) source->cancel();
}

void RemoteSources::cancel_for(QueryOwner owner) const {
  std::vector<std::shared_ptr<RemoteSource>> all;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [alias, source] : sources_) all.push_back(source);
  }
  for (const auto& source : all) source->cancel_for(owner);
}

}  // namespace pond::workspace
