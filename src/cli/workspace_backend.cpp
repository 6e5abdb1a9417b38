#include "cli/sql_backend.hpp"

namespace pond::cli {

void WorkspaceBackend::execute(const std::string& statement, std::span<const engine::Param> params,
                               const OpenWriter& open) {
  // Workspace statements (ATTACH, MATERIALIZE ...) go through Workspace::execute, which takes
  // no parameters; the shell's own catalog queries are plain SQL with parameters.
  engine::Result result = params.empty()
                              ? workspace_.execute(statement, engine::ExecMode::streaming)
                              : workspace_.connection().execute(statement, params, engine::ExecMode::streaming);
  if (result.returns_rows()) write_result(result, open());
}

void WorkspaceBackend::list_sources(const OpenWriter& open) {
  engine::Result result = workspace_.show_sources();
  write_result(result, open());
}

}  // namespace pond::cli
