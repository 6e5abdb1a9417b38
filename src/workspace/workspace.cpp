#include "workspace/workspace.hpp"

#include <array>
#include <cctype>

#include "engine/error.hpp"
#include "workspace/pond_statement.hpp"
#include "workspace/source_manager.hpp"
#include "workspace/sql_tokenizer.hpp"
#include "workspace/statement_splitter.hpp"

namespace pond::workspace {
namespace {

engine::DatabaseOptions database_options(const WorkspaceOptions& options) {
  engine::DatabaseOptions out;
  out.path = options.path.empty() ? ":memory:" : options.path;
  out.read_only = options.read_only;
  out.settings = options.settings;
  return out;
}

std::vector<std::string> names_in(std::string_view statement) {
  std::vector<std::string> out;
  for (const Token& t : tokenize(statement).tokens) {
    if (t.is_name()) out.push_back(t.text);
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace

Workspace::Workspace(const WorkspaceOptions& options)
    : database_(database_options(options)), connection_(database_.connect()), read_only_(options.read_only) {
  sources_ = std::make_unique<SourceManager>(connection_, read_only_, database_.in_memory() ? "" : options.path);
  sources_->restore_all();
}

Workspace::~Workspace() = default;

engine::Result Workspace::execute(std::string_view statement, engine::ExecMode mode) {
  try {
    return dispatch(statement, mode);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::cancelled) throw;
    rethrow_with_source(statement, e);
  }
}

void Workspace::execute_script(std::string_view script,
                               const std::function<void(std::string_view, engine::Result&)>& on_result) {
  for (const std::string& statement : split_statements(script)) {
    engine::Result result = execute(statement, engine::ExecMode::streaming);
    on_result(statement, result);
  }
}

engine::Result Workspace::no_rows() {
  // A statement that returns nothing, so that Pond's own statements look like DuckDB's DDL.
  return connection_.query("RESET VARIABLE pond_no_rows");
}

engine::Result Workspace::dispatch(std::string_view statement, engine::ExecMode mode) {
  std::optional<PondStatement> pond = parse_pond_statement(statement);
  if (!pond) {
    // A query that names a broken source gets one more restore attempt first.
    sources_->unavailable_among(names_in(statement));
    return connection_.query(statement, mode);
  }
  return std::visit(Overloaded{
                        [&](const AttachStatement& s) {
                          if (s.location == ":memory:" || s.location.empty()) {
                            // In-memory databases live for the session; DuckDB handles them as it always does.
                            return connection_.query(statement, mode);
                          }
                          AttachRequest request{s.location, s.alias, s.read_only, s.type, s.if_not_exists, false, {}};
            for (const auto& [name, value] : s.options) request.options[lower(name)] = value;
            attach(request);
            return no_rows();
                        },
                        [&](const DetachStatement& s) {
                          detach(s.alias, s.if_exists);
                          return no_rows();
                        },
                        [&](const UseFilesStatement& s) {
                          use_files(UseFilesRequest{s.pattern, s.alias, s.format});
                          return no_rows();
                        },
                        [&](const ShowSourcesStatement&) { return show_sources(); },
                    },
                    *pond);
}

void Workspace::rethrow_with_source(std::string_view statement, const std::exception& error) {
  std::vector<SourceInfo> broken;
  try {
    broken = sources_->unavailable_among(names_in(statement));
  } catch (const Error&) {
    // Looking for a culprit must not hide the original error.
  }
  if (!broken.empty()) {
    const SourceInfo& s = broken.front();
    throw Error(ErrorKind::not_found, "source '" + s.record.alias + "' is unavailable (" + s.reason +
                                          "); fix it and retry, or DETACH " + s.record.alias);
  }
  if (auto* e = dynamic_cast<const Error*>(&error)) throw *e;
  throw Error(ErrorKind::internal, error.what());
}

void Workspace::attach(const AttachRequest& request) { sources_->attach(request); }

void Workspace::detach(const std::string& alias, bool if_exists) { sources_->detach(alias, if_exists); }

void Workspace::use_files(const UseFilesRequest& request) { sources_->use_files(request); }

std::vector<SourceInfo> Workspace::sources() { return sources_->sources(); }

engine::Result Workspace::show_sources() {
  std::vector<SourceInfo> all = sources();
  if (all.empty()) {
    return connection_.query(
        "SELECT NULL::VARCHAR AS alias, NULL::VARCHAR AS kind, NULL::VARCHAR AS location, NULL::BOOLEAN AS "
        "read_only, NULL::VARCHAR AS status, NULL::VARCHAR AS tables WHERE false");
  }
  std::string sql = "SELECT * FROM (VALUES ";
  std::vector<engine::Param> params;
  for (size_t i = 0; i < all.size(); ++i) {
    const SourceInfo& s = all[i];
    sql += i ? ", (?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?)";
    std::string tables;
    for (const std::string& t : s.tables) tables += (tables.empty() ? "" : ", ") + t;
    params.emplace_back(s.record.alias);
    params.emplace_back(std::string(source_kind_name(s.record.kind)));
    params.emplace_back(s.record.location);
    params.emplace_back(s.record.read_only);
    params.emplace_back(s.available ? std::string("available") : "unavailable: " + s.reason);
    params.emplace_back(tables);
  }
  sql += ") AS sources(alias, kind, location, read_only, status, tables) ORDER BY alias";
  // Not cached: the text changes with the number of sources.
  return connection_.prepare(sql).execute(params);
}

}  // namespace pond::workspace
