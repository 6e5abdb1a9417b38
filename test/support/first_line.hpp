#pragma once
// The test-server scripts describe a running server as one-line files (port, user, password…).

#include <fstream>
#include <string>

namespace pond::test {

// The first line of `path` without its newline; empty when the file is missing.
inline std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace pond::test
