#pragma once
// Builds SQLite files for tests (the runner's sqlite-exec command): runs a script of SQLite SQL
// against a file, creating it when missing.

#include <string>

namespace pond::sqllogictest {

// Throws std::runtime_error with SQLite's message when the file cannot be opened or the
// script fails.
void sqlite_exec(const std::string& path, const std::string& script);

}  // namespace pond::sqllogictest
