#include "executor.hpp"

#include <cstdlib>
#include <fstream>
#include <regex>
#include <system_error>

#include "connectors/sqlite/sqlite_connector.hpp"
#include "engine/error.hpp"
#include "result_compare.hpp"
#include "sqlite_fixture.hpp"

namespace pond::sqllogictest {
namespace {

constexpr std::string_view kRegexPrefix = "<REGEX>:";

void replace_all(std::string& text, std::string_view from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

std::filesystem::path make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "pond-slt-XXXXXX").string();
  if (!mkdtemp(pattern.data())) {
    throw std::system_error(errno, std::generic_category(), "cannot create a temporary folder");
  }
  return pattern;
}

std::string describe(const std::exception& error) {
  if (const auto* pond_error = dynamic_cast<const Error*>(&error)) {
    return std::string(error_kind_name(pond_error->kind())) + ": " + error.what();
  }
  return error.what();
}

bool error_matches(const std::string& message, const std::string& expected) {
  if (expected.empty()) return true;
  if (expected.starts_with(kRegexPrefix)) {
    return std::regex_search(message, std::regex(expected.substr(kRegexPrefix.size())));
  }
  return message.find(expected) != std::string::npos;
}

std::string indent(const std::string& text) {
  std::string out = "    ";
  for (char c : text) {
    out.push_back(c);
    if (c == '\n') out += "    ";
  }
  return out;
}

std::string indent_lines(const std::vector<std::string>& lines) {
  if (lines.empty()) return "    (no rows)";
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + std::string("    ") + lines[i];
  return out;
}

}  // namespace

Executor::Executor(RunnerOptions options, std::ostream& log) : options_(std::move(options)), log_(log) {}

Executor::~Executor() { close_workspace(); }

FileOutcome Executor::run(const TestFile& file) {
  FileOutcome outcome;
  test_dir_ = make_temp_dir();
  workspace_options_ = {};
  try {
    open_workspace();
  } catch (const std::exception& error) {
    log_ << file.path << ": cannot open an in-memory workspace: " << describe(error) << "\n";
    outcome.failed = 1;
    outcome.skipped = file.records.size();
    return outcome;
  }
  for (size_t i = 0; i < file.records.size(); ++i) {
    const Record& record = file.records[i];
    if (options_.verbose) log_ << file.path << ":" << record.line << "\n";
    std::string reason = std::visit(
        [this](const auto& body) {
          using T = std::decay_t<decltype(body)>;
          if constexpr (std::is_same_v<T, StatementRecord>)
            return run_statement(body);
          else if constexpr (std::is_same_v<T, QueryRecord>)
            return run_query(body);
          else
            return run_command(body);
        },
        record.body);
    if (reason.empty()) {
      ++outcome.passed;
      continue;
    }
    report_failure(file, record, reason);
    outcome.failed = 1;
    outcome.skipped = file.records.size() - i - 1;
    break;
  }
  close_workspace();
  if (options_.keep_temp) {
    log_ << file.path << ": kept " << test_dir_.string() << "\n";
  } else {
    std::error_code ignored;
    std::filesystem::remove_all(test_dir_, ignored);
  }
  return outcome;
}

std::string Executor::run_statement(const StatementRecord& record) {
  std::string sql = substitute(record.sql);
  try {
    engine::Result result = workspace_->execute(sql);
    result.fetch_all();
  } catch (const std::exception& error) {
    std::string message = describe(error);
    if (record.expect == StatementRecord::Expect::ok) return "statement failed:\n" + indent(message);
    std::string expected = substitute(record.expected_error);
    if (!error_matches(message, expected)) {
      return "statement failed as expected, but its message does not contain the expected text\n"
             "  expected error:\n" +
             indent(expected) + "\n  actual error:\n" + indent(message);
    }
    return {};
  }
  if (record.expect == StatementRecord::Expect::error) return "statement succeeded but an error was expected";
  return {};
}

std::string Executor::run_query(const QueryRecord& record) {
  std::string sql = substitute(record.sql);
  Rows actual;
  size_t columns = 0;
  try {
    engine::Result result = workspace_->execute(sql);
    columns = result.columns().size();
    actual = format_rows(result.fetch_all());
  } catch (const std::exception& error) {
    return "query failed:\n" + indent(describe(error));
  }
  std::vector<std::string> expected;
  expected.reserve(record.expected.size());
  for (const std::string& line : record.expected) expected.push_back(substitute(line));
  Comparison comparison;
  if (columns != record.types.size()) {
    comparison = {false, "the query returns " + std::to_string(columns) + " column(s) but its types '" + record.types +
                             "' name " + std::to_string(record.types.size())};
  } else {
    comparison = compare_result(record.types, record.sort, actual, expected);
  }
  if (comparison.ok) return {};
  return comparison.reason + "\n  expected:\n" + indent_lines(expected) + "\n  actual:\n" +
         indent_lines(rows_as_lines(actual));
}

std::string Executor::run_command(const CommandRecord& record) {
  std::vector<std::string> args;
  for (const std::string& arg : record.args) args.push_back(substitute(arg));
  try {
    if (record.name == "restart") {
      close_workspace();
      open_workspace();
    } else if (record.name == "load") {
      close_workspace();
      workspace_options_ = {};
      workspace_options_.path = args[0];
      workspace_options_.read_only = args.size() == 2;
      open_workspace();
    } else if (record.name == "mkdir") {
      std::filesystem::create_directories(args[0]);
    } else if (record.name == "write-file") {
      std::ofstream out(args[0], std::ios::binary | std::ios::trunc);
      out << substitute(record.body);
      if (!out.flush()) return "cannot write " + args[0];
    } else if (record.name == "sqlite-exec") {
      sqlite_exec(args[0], substitute(record.body));
    } else if (record.name == "copy-file") {
      std::filesystem::copy_file(args[0], args[1], std::filesystem::copy_options::overwrite_existing);
    } else if (record.name == "remove-file") {
      std::filesystem::remove_all(args[0]);
    }
    // require: DuckDB's extension requirements; Pond's extensions are built in.
  } catch (const std::exception& error) {
    return record.name + " failed: " + describe(error);
  }
  return {};
}

std::string Executor::substitute(std::string text) const {
  replace_all(text, "__TEST_DIR__", test_dir_.string());
  replace_all(text, "{DATA_DIR}", options_.data_dir);
  return text;
}

void Executor::open_workspace() {
  workspace::WorkspaceOptions options = workspace_options_;
  options.connectors = {std::make_shared<connectors::sqlite::SqliteConnector>()};
  workspace_ = std::make_unique<workspace::Workspace>(options);
}

// The workspace must be closed before it is reopened: DuckDB allows one writer per file.
void Executor::close_workspace() { workspace_.reset(); }

void Executor::report_failure(const TestFile& file, const Record& record, const std::string& reason) {
  log_ << "\n" << file.path << ":" << record.line << ": FAILED\n";
  if (const auto* statement = std::get_if<StatementRecord>(&record.body)) {
    log_ << "  SQL:\n" << indent(substitute(statement->sql)) << "\n";
  } else if (const auto* query = std::get_if<QueryRecord>(&record.body)) {
    log_ << "  query " << query->types << " " << sort_mode_name(query->sort) << "\n";
    log_ << "  SQL:\n" << indent(substitute(query->sql)) << "\n";
  } else if (const auto* command = std::get_if<CommandRecord>(&record.body)) {
    log_ << "  command: " << command->name;
    for (const std::string& arg : command->args) log_ << " " << substitute(arg);
    log_ << "\n";
  }
  log_ << "  " << reason << "\n\n";
}

}  // namespace pond::sqllogictest
