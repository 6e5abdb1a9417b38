#pragma once
// The sqllogictest file format (DuckDB's dialect, the subset Pond uses), parsed into records.
// Records are separated by blank lines; '#' starts a comment line.
//
//   statement ok | statement error | statement maybe
//   <SQL, one statement, any number of lines>
//   [----
//   <expected error substring, or <REGEX>:pattern; statement error only>]
//
//   query <TYPES> [nosort|rowsort|valuesort]
//   <SQL>
//   ----
//   <expected rows, values separated by tabs>
//
// TYPES has one letter per column: I integer, R real (compared with a relative tolerance),
// T text, B boolean. NULL prints as NULL, the empty string as (empty). An expected value
// <REGEX>:pattern matches any value the whole pattern matches (timestamps, temp paths).
//
// Commands, one line each (write-file and sqlite-exec take the lines after them, up to a
// blank line). A single <path> is the rest of the line and may contain spaces:
//   load <path>                 reopen the workspace from this file (default: in memory)
//   restart                     close the workspace and open it again at the same path
//   require <anything>          ignored (DuckDB extension requirements)
//   mode skip | mode unskip     skip the records between them
//   mkdir <path>                create a folder (and its parents)
//   write-file <path>           write the following lines (each ending in '\n') to a file
//   copy-file <from> <to>       copy a file
//   remove-file <path>          delete a file or folder; a missing one is not an error
//   sqlite-exec <path>          run the following lines as a SQLite script on that file
//   pg-exec [database]          run the following lines on the PostgreSQL test server
//   mysql-exec [database]       run the following lines on the MariaDB test server
//   pg-stop | pg-start          stop the PostgreSQL test server (data kept) / start it again
//   mysql-stop | mysql-start    the same for the MariaDB test server
//   sleep <milliseconds>        wait
//   after <milliseconds> <action>
//                               run the action (interrupt, pg-stop, mysql-stop) that long after
//                               the next record starts, while it runs; that record must be a
//                               statement or a query
//
// In SQL, expected values, error messages and command arguments, __TEST_DIR__ becomes a fresh
// folder per test file and {DATA_DIR} the data folder given to the runner. With a test server
// (--pg-dir / --mysql-dir), ${PG_HOST} ${PG_PORT} ${PG_USER} ${PG_DATABASE} and
// ${MYSQL_HOST} ${MYSQL_PORT} ${MYSQL_USER} ${MYSQL_DATABASE} become its values; its password
// is only in the environment variables POND_SLT_PG_PASSWORD / POND_SLT_MYSQL_PASSWORD.

#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pond::sqllogictest {

enum class SortMode { none, rowsort, valuesort };

struct StatementRecord {
  enum class Expect { ok, error, maybe };
  Expect expect = Expect::ok;
  std::string sql;
  std::string expected_error;  // empty: any error will do
};

struct QueryRecord {
  std::string types;  // one letter per column
  SortMode sort = SortMode::none;
  std::string sql;
  std::vector<std::string> expected;  // lines after ----
};

struct CommandRecord {
  std::string name;               // load, restart, mkdir, write-file, copy-file, remove-file, ...
  std::vector<std::string> args;  // whitespace-separated words after the name
  std::string body;               // write-file content, sqlite-exec script
};

struct Record {
  size_t line = 0;  // 1-based line of the record's first line
  std::variant<StatementRecord, QueryRecord, CommandRecord> body;
};

struct TestFile {
  std::string path;
  std::vector<Record> records;
};

// A malformed test file; what() reads "path:line: what is wrong".
class ParseError : public std::runtime_error {
 public:
  ParseError(const std::string& path, size_t line, const std::string& message)
      : std::runtime_error(path + ":" + std::to_string(line) + ": " + message), line_(line) {}
  size_t line() const { return line_; }

 private:
  size_t line_;
};

// Parses `text`; `path` is used in error messages. Throws ParseError.
TestFile parse_test_file(const std::string& path, std::string_view text);
// Reads and parses a file. Throws ParseError (line 0 when the file cannot be read).
TestFile load_test_file(const std::string& path);

std::string_view sort_mode_name(SortMode mode);

}  // namespace pond::sqllogictest
