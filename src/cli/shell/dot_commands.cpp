// The shell's dot commands: .tables .sources .schema .mode .timer .help .quit/.exit

#include <iostream>
#include <memory>
#include <sstream>
#include <vector>

#include "cli/output/row_writer.hpp"
#include "cli/shell/shell.hpp"
#include "engine/error.hpp"

namespace pond::cli {
namespace {

std::vector<std::string> words(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::vector<std::string> out;
  for (std::string word; in >> word;) out.push_back(word);
  if (!out.empty() && out.back().ends_with(';')) out.back().pop_back();
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

// Tables and views of every attached database (file sources are views), without Pond's own
// bookkeeping schema and DuckDB's internal objects.
constexpr const char* kTablesQuery = R"(
SELECT database_name AS database, schema_name AS schema, table_name AS name, 'table' AS type
FROM duckdb_tables() WHERE NOT internal AND schema_name <> 'pond_meta'
UNION ALL
SELECT database_name, schema_name, view_name, 'view'
FROM duckdb_views() WHERE NOT internal AND schema_name <> 'pond_meta'
ORDER BY ALL)";

constexpr const char* kSchemaQuery = R"(
SELECT sql FROM (
  SELECT database_name, schema_name, table_name AS name, sql FROM duckdb_tables()
  WHERE NOT internal AND schema_name <> 'pond_meta'
  UNION ALL
  SELECT database_name, schema_name, view_name, sql FROM duckdb_views()
  WHERE NOT internal AND schema_name <> 'pond_meta')
WHERE $1 = '' OR name = $1 OR schema_name || '.' || name = $1 OR database_name || '.' || name = $1
   OR database_name || '.' || schema_name || '.' || name = $1
ORDER BY database_name, schema_name, name)";

constexpr const char* kHelp = R"(Statements end with ';' and may span several lines. Ctrl-C cancels a running
statement (or clears the line being typed); Ctrl-D or .quit leaves.

.tables              tables and views of every attached database and file source
.sources             registered sources with their status (same as SHOW SOURCES)
.schema [NAME]       CREATE statements of every table and view, or of NAME
.mode [FORMAT]       show or set the output format: table, csv, json, ndjson, markdown
.timer on|off        print how long each statement took
.help                this text
.quit, .exit         leave the shell
)";

// Keeps the first column of every row that is not NULL: the CREATE statements of .schema.
class SqlCollector final : public RowWriter {
 public:
  void begin(const std::vector<engine::Column>&) override {}
  void row(const std::vector<engine::Value>& values) override {
    if (!values.empty() && !values[0].is_null()) statements.push_back(values[0].to_string());
  }
  void end() override {}

  std::vector<std::string> statements;
};

}  // namespace

Shell::Next Shell::run_dot_command(std::string_view line) {
  const std::vector<std::string> args = words(line);
  const std::string& name = args.at(0);
  auto expect_at_most = [&](size_t count) {
    if (args.size() > count + 1)
      throw Error(ErrorKind::usage,
                  name + " takes at most " + std::to_string(count) + " argument" + (count == 1 ? "" : "s"));
  };
  if (name == ".quit" || name == ".exit") return Next::quit;
  if (name == ".help") {
    print_help();
  } else if (name == ".tables") {
    expect_at_most(0);
    print_tables();
  } else if (name == ".sources") {
    expect_at_most(0);
    std::unique_ptr<RowWriter> writer;
    backend_.list_sources([&]() -> RowWriter& {
      writer = make_row_writer(runner_.output(), std::cout);
      return *writer;
    });
  } else if (name == ".schema") {
    expect_at_most(1);
    print_schema(args.size() > 1 ? args[1] : "");
  } else if (name == ".mode") {
    expect_at_most(1);
    if (args.size() == 1) {
      std::cout << output_format_name(runner_.output().format) << '\n';
    } else {
      runner_.output().format = parse_output_format(args[1]);
    }
  } else if (name == ".timer") {
    expect_at_most(1);
    if (args.size() == 1 || (args[1] != "on" && args[1] != "off"))
      throw Error(ErrorKind::usage, ".timer takes on or off");
    runner_.set_timer(args[1] == "on");
  } else {
    throw Error(ErrorKind::usage, "unknown command '" + name + "'; enter .help for the list");
  }
  std::cout.flush();
  return Next::keep_going;
}

void Shell::print_tables() {
  std::unique_ptr<RowWriter> writer;
  backend_.execute(kTablesQuery, {}, [&]() -> RowWriter& {
    writer = make_row_writer(runner_.output(), std::cout);
    return *writer;
  });
}

void Shell::print_schema(std::string_view name) {
  const std::vector<engine::Param> params{std::string(name)};
  SqlCollector collector;
  backend_.execute(kSchemaQuery, params, [&]() -> RowWriter& { return collector; });
  for (const std::string& sql : collector.statements) std::cout << sql << (sql.ends_with(';') ? "" : ";") << '\n';
  if (collector.statements.empty() && !name.empty())
    throw Error(ErrorKind::not_found, "no table or view named '" + std::string(name) + "'");
}

void Shell::print_help() { std::cout << kHelp; }

}  // namespace pond::cli
