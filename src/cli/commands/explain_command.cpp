// `pond explain`: DuckDB's plan for one query, printed as DuckDB renders it.

#include <iostream>

#include "cli/commands/commands.hpp"
#include "cli/interrupt_watcher.hpp"
#include "engine/error.hpp"
#include "workspace/statement_splitter.hpp"

namespace pond::cli {

int run_explain(const GlobalOptions& global, const ExplainArgs& args) {
  const std::vector<std::string> statements = workspace::split_statements(args.sql);
  if (statements.size() != 1) throw Error(ErrorKind::usage, "explain takes exactly one statement");
  auto workspace = open_workspace(global);
  InterruptWatcher watcher([&workspace] { workspace->interrupt(); });
  engine::Result result = workspace->execute((args.analyze ? "EXPLAIN ANALYZE " : "EXPLAIN ") + statements[0]);
  const auto& columns = result.columns();
  size_t plan_column = columns.empty() ? 0 : columns.size() - 1;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == "explain_value") plan_column = i;
  }
  for (const auto& row : result.fetch_all()) {
    if (plan_column < row.size() && !row[plan_column].is_null()) {
      std::string plan = row[plan_column].to_string();
      std::cout << plan << (plan.ends_with('\n') ? "" : "\n");
    }
  }
  return 0;
}

}  // namespace pond::cli
