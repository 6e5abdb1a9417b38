#include "test_file.hpp"

#include <fstream>
#include <sstream>

namespace pond::sqllogictest {
namespace {

constexpr std::string_view kSeparator = "----";

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(start, end - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::vector<std::string> split_words(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::string trim(const std::string& text) {
  size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool is_blank(const std::string& line) { return line.find_first_not_of(" \t") == std::string::npos; }

class Parser {
 public:
  Parser(const std::string& path, std::string_view text) : path_(path), lines_(split_lines(text)) {}

  TestFile run() {
    TestFile file{path_, {}};
    bool skipping = false;
    size_t skip_started = 0;
    while (next_record_start()) {
      size_t line = pos_ + 1;
      std::vector<std::string> words = split_words(lines_[pos_++]);
      if (words[0] == "mode") {
        skipping = parse_mode(words, line);
        if (skipping) skip_started = line;
        continue;
      }
      Record record{line, parse_record(words, line)};
      if (!skipping) file.records.push_back(std::move(record));
    }
    if (skipping) fail(skip_started, "'mode skip' without a matching 'mode unskip'");
    // 'after' schedules its action during the record that follows: a statement or a query.
    for (size_t i = 0; i < file.records.size(); ++i) {
      const auto* command = std::get_if<CommandRecord>(&file.records[i].body);
      if (!command || command->name != "after") continue;
      bool next_is_sql =
          i + 1 < file.records.size() && !std::holds_alternative<CommandRecord>(file.records[i + 1].body);
      if (!next_is_sql) fail(file.records[i].line, "'after' must be followed by a statement or a query");
    }
    return file;
  }

 private:
  // Moves to the next line that starts a record; false at the end of the file.
  bool next_record_start() {
    while (pos_ < lines_.size() && (is_blank(lines_[pos_]) || lines_[pos_].starts_with('#'))) ++pos_;
    return pos_ < lines_.size();
  }

  [[noreturn]] void fail(size_t line, const std::string& message) const { throw ParseError(path_, line, message); }

  bool at_block_end() const { return pos_ >= lines_.size() || is_blank(lines_[pos_]); }

  // Lines up to (not including) "----" or a blank line, joined with '\n'.
  std::string read_sql(size_t line) {
    std::string sql;
    while (!at_block_end() && lines_[pos_] != kSeparator) {
      if (!sql.empty()) sql += '\n';
      sql += lines_[pos_++];
    }
    if (sql.empty()) fail(line, "the record has no SQL; put the statement on the lines after the header");
    return sql;
  }

  std::vector<std::string> read_block() {
    std::vector<std::string> out;
    while (!at_block_end()) out.push_back(lines_[pos_++]);
    return out;
  }

  bool consume_separator() {
    if (pos_ < lines_.size() && lines_[pos_] == kSeparator) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool parse_mode(const std::vector<std::string>& words, size_t line) {
    if (words.size() == 2 && words[1] == "skip") return true;
    if (words.size() == 2 && words[1] == "unskip") return false;
    fail(line, "expected 'mode skip' or 'mode unskip'");
  }

  decltype(Record::body) parse_record(const std::vector<std::string>& words, size_t line) {
    const std::string& head = words[0];
    if (head == "statement") return parse_statement(words, line);
    if (head == "query") return parse_query(words, line);
    return parse_command(words, lines_[line - 1], line);
  }

  StatementRecord parse_statement(const std::vector<std::string>& words, size_t line) {
    StatementRecord record;
    if (words.size() != 2) fail(line, "expected 'statement ok', 'statement error' or 'statement maybe'");
    if (words[1] == "ok") {
      record.expect = StatementRecord::Expect::ok;
    } else if (words[1] == "error") {
      record.expect = StatementRecord::Expect::error;
    } else if (words[1] == "maybe") {
      record.expect = StatementRecord::Expect::maybe;
    } else {
      fail(line, "unknown statement expectation '" + words[1] + "'; use ok, error or maybe");
    }
    record.sql = read_sql(line);
    if (consume_separator()) {
      if (record.expect == StatementRecord::Expect::ok) {
        fail(line, "'statement ok' takes no '----' section; use 'query' to check rows");
      }
      std::vector<std::string> message = read_block();
      for (size_t i = 0; i < message.size(); ++i) record.expected_error += (i ? "\n" : "") + message[i];
    }
    return record;
  }

  QueryRecord parse_query(const std::vector<std::string>& words, size_t line) {
    QueryRecord record;
    if (words.size() < 2) fail(line, "'query' needs its column types, e.g. 'query IT'");
    if (words.size() > 3) fail(line, "too many words after 'query'; expected 'query <TYPES> [sort mode]'");
    record.types = words[1];
    for (char c : record.types) {
      if (c != 'I' && c != 'R' && c != 'T' && c != 'B') {
        fail(line, std::string("unknown column type '") + c + "' in '" + record.types + "'; use I, R, T or B");
      }
    }
    if (words.size() == 3) {
      if (words[2] == "nosort") {
        record.sort = SortMode::none;
      } else if (words[2] == "rowsort") {
        record.sort = SortMode::rowsort;
      } else if (words[2] == "valuesort") {
        record.sort = SortMode::valuesort;
      } else {
        fail(line, "unknown sort mode '" + words[2] + "'; use nosort, rowsort or valuesort");
      }
    }
    record.sql = read_sql(line);
    if (!consume_separator()) fail(line, "query without '----' before its expected rows");
    record.expected = read_block();
    return record;
  }

  // Commands that take one path take the rest of the line, so paths may contain spaces.
  CommandRecord parse_command(const std::vector<std::string>& words, const std::string& text, size_t line) {
    CommandRecord record{words[0], {words.begin() + 1, words.end()}, {}};
    const std::string& name = record.name;
    bool one_path =
        name == "load" || name == "mkdir" || name == "remove-file" || name == "write-file" || name == "sqlite-exec";
    if (one_path && !record.args.empty()) {
      std::string rest = trim(text.substr(text.find(name) + name.size()));
      bool read_only = name == "load" && record.args.size() > 1 && record.args.back() == "readonly";
      if (read_only) rest = trim(rest.substr(0, rest.size() - std::string_view("readonly").size()));
      record.args = {rest};
      if (read_only) record.args.push_back("readonly");
    }
    auto want_args = [&](size_t min, size_t max, const char* usage) {
      if (record.args.size() < min || record.args.size() > max) fail(line, std::string("usage: ") + usage);
    };
    if (name == "restart") {
      want_args(0, 0, "restart");
    } else if (name == "load") {
      want_args(1, 2, "load <path> [readonly]");
      if (record.args.size() == 2 && record.args[1] != "readonly") fail(line, "usage: load <path> [readonly]");
    } else if (name == "require") {
      want_args(1, 99, "require <extension>");
    } else if (name == "mkdir" || name == "remove-file") {
      want_args(1, 1, (name + " <path>").c_str());
    } else if (name == "copy-file") {
      want_args(2, 2, "copy-file <from> <to>");
    } else if (name == "write-file" || name == "sqlite-exec") {
      want_args(1, 1, (name + " <path>, then the content lines, then a blank line").c_str());
      for (const std::string& content : read_block()) record.body += content + "\n";
    } else if (name == "pg-exec" || name == "mysql-exec") {
      want_args(0, 1, (name + " [database], then the SQL lines, then a blank line").c_str());
      for (const std::string& content : read_block()) record.body += content + "\n";
      if (record.body.empty()) fail(line, name + " needs SQL on the lines after it");
    } else if (name == "pg-stop" || name == "pg-start" || name == "mysql-stop" || name == "mysql-start") {
      want_args(0, 0, name.c_str());
    } else if (name == "sleep") {
      want_args(1, 1, "sleep <milliseconds>");
      check_milliseconds(record.args[0], line);
    } else if (name == "after") {
      want_args(2, 2, "after <milliseconds> interrupt|pg-stop|mysql-stop");
      check_milliseconds(record.args[0], line);
      const std::string& action = record.args[1];
      if (action != "interrupt" && action != "pg-stop" && action != "mysql-stop") {
        fail(line, "unknown action '" + action + "' for 'after'; use interrupt, pg-stop or mysql-stop");
      }
    } else {
      fail(line, "unknown command '" + name + "'; expected statement, query or a command such as restart");
    }
    bool has_body = name == "write-file" || name == "sqlite-exec" || name == "pg-exec" || name == "mysql-exec";
    if (!has_body && !at_block_end()) {
      fail(pos_ + 1, "unexpected line after '" + name + "'; records are separated by a blank line");
    }
    return record;
  }

  // A duration for sleep / after: digits only, at most ten minutes.
  void check_milliseconds(const std::string& word, size_t line) const {
    bool digits = !word.empty() && word.size() <= 6 && word.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoul(word) > 600000) {
      fail(line, "'" + word + "' is not a duration; give milliseconds, 0 to 600000");
    }
  }

  std::string path_;
  std::vector<std::string> lines_;
  size_t pos_ = 0;
};

}  // namespace

TestFile parse_test_file(const std::string& path, std::string_view text) { return Parser(path, text).run(); }

TestFile load_test_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ParseError(path, 0, "cannot read the test file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_test_file(path, text.str());
}

std::string_view sort_mode_name(SortMode mode) {
  switch (mode) {
    case SortMode::none:
      return "nosort";
    case SortMode::rowsort:
      return "rowsort";
    case SortMode::valuesort:
      return "valuesort";
  }
  return "nosort";
}

}  // namespace pond::sqllogictest
