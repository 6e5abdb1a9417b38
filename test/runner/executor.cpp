#include "executor.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <system_error>

#include "connectors/mysql/mysql_connector.hpp"
#include "connectors/postgres/postgres_connector.hpp"
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

Executor::Executor(RunnerOptions options, std::ostream& log) : options_(std::move(options)), log_(log) {
  // Test files name the passwords only through these variables (PASSWORD_ENV).
  for (const auto* server : {&options_.postgres, &options_.mysql}) {
    if (*server) setenv((*server)->password_env().c_str(), (*server)->password.c_str(), 1);
  }
}

Executor::~Executor() {
  join_background();
  close_workspace();
}

FileOutcome Executor::run(const TestFile& file) {
  FileOutcome outcome;
  test_dir_ = make_temp_dir();
  workspace_options_ = {};
  secrets_.clear();
  for (const auto* server : {&options_.postgres, &options_.mysql}) {
    if (*server) secrets_.push_back((*server)->password);
  }
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
    std::string reason;
    try {
      reason = std::visit(
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
    } catch (const std::runtime_error& error) {  // a variable without its server
      reason = error.what();
    }
    const auto* command = std::get_if<CommandRecord>(&record.body);
    if (!command || command->name != "after") {
      join_background();
      if (reason.empty() && !background_error_.empty()) reason = "the 'after' action failed: " + background_error_;
    }
    if (reason.empty()) {
      ++outcome.passed;
      continue;
    }
    report_failure(file, record, reason);
    outcome.failed = 1;
    outcome.skipped = file.records.size() - i - 1;
    break;
  }
  join_background();
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
  remember_secrets(sql);
  try {
    engine::Result result = workspace_->execute(sql);
    for (const std::string& line : rows_as_lines(format_rows(result.fetch_all()))) {
      if (std::string leak = leaked_secret(line); !leak.empty()) return "the statement's result " + leak;
    }
  } catch (const std::exception& error) {
    std::string message = describe(error);
    if (std::string leak = leaked_secret(message); !leak.empty()) return "the error message " + leak;
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
  remember_secrets(sql);
  Rows actual;
  size_t columns = 0;
  try {
    engine::Result result = workspace_->execute(sql);
    columns = result.columns().size();
    actual = format_rows(result.fetch_all());
  } catch (const std::exception& error) {
    std::string message = describe(error);
    if (std::string leak = leaked_secret(message); !leak.empty()) return "the error message " + leak;
    return "query failed:\n" + indent(message);
  }
  for (const std::string& line : rows_as_lines(actual)) {
    if (std::string leak = leaked_secret(line); !leak.empty()) return "the query's result " + leak;
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
    } else if (record.name == "pg-exec" || record.name == "mysql-exec") {
      server(record.name).exec(args.empty() ? std::string() : args[0], substitute(record.body));
    } else if (record.name.ends_with("-stop")) {
      server(record.name).stop();
    } else if (record.name.ends_with("-start")) {
      server(record.name).start();
    } else if (record.name == "sleep") {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::stoul(args[0])));
    } else if (record.name == "after") {
      if (args[1] != "interrupt") server(args[1]);  // fails now when the server is missing
      start_background(static_cast<unsigned>(std::stoul(args[0])), args[1]);
    }
    // require: DuckDB's extension requirements; Pond's extensions are built in.
  } catch (const std::exception& error) {
    return record.name + " failed: " + describe(error);
  }
  return {};
}

std::string Executor::substitute(std::string text, bool lenient) const {
  replace_all(text, "__TEST_DIR__", test_dir_.string());
  replace_all(text, "{DATA_DIR}", options_.data_dir);
  for (const auto* server : {&options_.postgres, &options_.mysql}) {
    std::string prefix = server == &options_.postgres ? "PG" : "MYSQL";
    if (!*server) {
      if (!lenient && text.find("${" + prefix + "_") != std::string::npos) {
        throw std::runtime_error("the file uses ${" + prefix + "_...}: run the runner with " +
                                 (prefix == "PG" ? "--pg-dir" : "--mysql-dir") + " DIR of a test server");
      }
      continue;
    }
    const RemoteServer& s = **server;
    replace_all(text, "${" + prefix + "_HOST}", s.host);
    replace_all(text, "${" + prefix + "_PORT}", s.port);
    replace_all(text, "${" + prefix + "_USER}", s.user);
    replace_all(text, "${" + prefix + "_DATABASE}", s.database);
  }
  return text;
}

const RemoteServer& Executor::server(const std::string& command) const {
  bool postgres = command.starts_with("pg-");
  const std::optional<RemoteServer>& server = postgres ? options_.postgres : options_.mysql;
  if (!server) {
    throw std::runtime_error(command + " needs a test server: run the runner with " +
                             (postgres ? "--pg-dir" : "--mysql-dir") + " DIR");
  }
  return *server;
}

void Executor::start_background(unsigned milliseconds, const std::string& action) {
  join_background();
  background_ = std::thread([this, milliseconds, action] {
    std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
    try {
      if (action == "interrupt") {
        workspace_->interrupt();
      } else {
        server(action).stop();
      }
    } catch (const std::exception& error) {
      background_error_ = action + ": " + describe(error);
    }
  });
}

void Executor::join_background() {
  if (background_.joinable()) background_.join();
}

// Passwords given in the file: PASSWORD 'x' in CREATE SECRET, password=x in a connection string.
void Executor::remember_secrets(const std::string& sql) {
  static const std::regex kPatterns[] = {
      std::regex(R"(PASSWORD\s+'((?:[^']|'')+)')", std::regex::icase),
      std::regex(R"(password\s*=\s*([^\s';]+))", std::regex::icase),
  };
  for (const std::regex& pattern : kPatterns) {
    for (std::sregex_iterator it(sql.begin(), sql.end(), pattern), end; it != end; ++it) {
      std::string secret = (*it)[1].str();
      replace_all(secret, "''", "'");
      // Short words would match by accident; test files use long, distinctive passwords.
      if (secret.size() >= 6) secrets_.push_back(secret);
    }
  }
}

std::string Executor::leaked_secret(const std::string& text) const {
  for (const std::string& secret : secrets_) {
    if (!secret.empty() && text.find(secret) != std::string::npos) {
      return "contains a password (a test server's, or one given in this file); no output may show it:\n" +
             indent(text);
    }
  }
  return {};
}

void Executor::open_workspace() {
  workspace::WorkspaceOptions options = workspace_options_;
  options.connectors = {std::make_shared<connectors::sqlite::SqliteConnector>(),
                        std::make_shared<connectors::postgres::PostgresConnector>(),
                        std::make_shared<connectors::mysql::MysqlConnector>()};
  workspace_ = std::make_unique<workspace::Workspace>(options);
}

// The workspace must be closed before it is reopened: DuckDB allows one writer per file.
void Executor::close_workspace() { workspace_.reset(); }

void Executor::report_failure(const TestFile& file, const Record& record, const std::string& reason) {
  log_ << "\n" << file.path << ":" << record.line << ": FAILED\n";
  if (const auto* statement = std::get_if<StatementRecord>(&record.body)) {
    log_ << "  SQL:\n" << indent(substitute(statement->sql, true)) << "\n";
  } else if (const auto* query = std::get_if<QueryRecord>(&record.body)) {
    log_ << "  query " << query->types << " " << sort_mode_name(query->sort) << "\n";
    log_ << "  SQL:\n" << indent(substitute(query->sql, true)) << "\n";
  } else if (const auto* command = std::get_if<CommandRecord>(&record.body)) {
    log_ << "  command: " << command->name;
    for (const std::string& arg : command->args) log_ << " " << substitute(arg, true);
    log_ << "\n";
  }
  log_ << "  " << reason << "\n\n";
}

}  // namespace pond::sqllogictest
