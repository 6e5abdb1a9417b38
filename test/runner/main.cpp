// pond_sqllogictest — runs sqllogictest files (see test_file.hpp for the format) against a
// Pond workspace.
//
//   pond_sqllogictest [--data-dir DIR] [--pg-dir DIR] [--mysql-dir DIR] [--keep-temp] [--verbose]
//                     FILE.test...
//
// --pg-dir / --mysql-dir name the folder of a test server started by
// scripts/pg-test-server.sh / scripts/mariadb-test-server.sh (what the CTest fixtures do).
//
// Exits 0 when every record of every file passed, 1 when one failed, 2 on a usage error.
// The last line reads "sqllogictest: N passed, M failed[, K skipped]" (records).

#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "executor.hpp"
#include "test_file.hpp"

namespace {

int usage(const std::string& problem) {
  std::cerr << "pond_sqllogictest: " << problem << "\n"
            << "usage: pond_sqllogictest [--data-dir DIR] [--pg-dir DIR] [--mysql-dir DIR] [--keep-temp] [--verbose] "
               "FILE.test...\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pond::sqllogictest;
  RunnerOptions options;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--data-dir") {
      if (++i == argc) return usage("--data-dir needs a folder");
      options.data_dir = std::filesystem::absolute(argv[i]).lexically_normal().string();
    } else if (arg == "--pg-dir" || arg == "--mysql-dir") {
      bool postgres = arg == "--pg-dir";
      if (++i == argc) return usage(std::string(arg) + " needs the folder of a test server");
      std::string dir = std::filesystem::absolute(argv[i]).lexically_normal().string();
      try {
        auto server = RemoteServer::load(postgres ? RemoteServer::Kind::postgres : RemoteServer::Kind::mysql, dir);
        (postgres ? options.postgres : options.mysql) = server;
      } catch (const std::exception& error) {
        return usage(error.what());
      }
    } else if (arg == "--keep-temp") {
      options.keep_temp = true;
    } else if (arg == "--verbose" || arg == "-v") {
      options.verbose = true;
    } else if (arg.starts_with("-")) {
      return usage("unknown option " + std::string(arg));
    } else {
      files.emplace_back(arg);
    }
  }
  if (files.empty()) return usage("no test file given");
  if (options.data_dir.empty()) options.data_dir = std::filesystem::current_path().string();
  while (options.data_dir.size() > 1 && options.data_dir.back() == '/') options.data_dir.pop_back();

  FileOutcome total;
  Executor executor(options, std::cerr);
  for (const std::string& path : files) {
    try {
      FileOutcome outcome = executor.run(load_test_file(path));
      total.passed += outcome.passed;
      total.failed += outcome.failed;
      total.skipped += outcome.skipped;
    } catch (const ParseError& error) {
      std::cerr << error.what() << "\n";
      ++total.failed;
    }
  }
  std::cout << "sqllogictest: " << total.passed << " passed, " << total.failed << " failed";
  if (total.skipped > 0) std::cout << ", " << total.skipped << " skipped";
  std::cout << std::endl;
  return total.failed == 0 ? 0 : 1;
}
