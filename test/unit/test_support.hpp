#pragma once
// Helpers shared by the unit tests: a temporary folder removed at scope exit, and a check
// that a callable throws pond::Error of a given kind with a message containing some text.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "engine/error.hpp"

namespace pond::test {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "pond-unit-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::system_error(errno, std::generic_category(), "mkdtemp");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string write(const std::string& name, const std::string& content) const {
    std::string target = file(name);
    std::ofstream(target, std::ios::binary) << content;
    return target;
  }

 private:
  std::filesystem::path path_;
};

// Runs `f`, expecting pond::Error of `kind` whose message contains `needle`.
template <typename F>
::testing::AssertionResult throws_error(F&& f, ErrorKind kind, const std::string& needle = "") {
  try {
    f();
  } catch (const Error& error) {
    std::string message = error.what();
    if (error.kind() != kind) {
      return ::testing::AssertionFailure()
             << "kind " << error_kind_name(error.kind()) << " instead of " << error_kind_name(kind) << ": " << message;
    }
    if (message.find(needle) == std::string::npos) {
      return ::testing::AssertionFailure() << "message lacks '" << needle << "': " << message;
    }
    return ::testing::AssertionSuccess();
  } catch (const std::exception& other) {
    return ::testing::AssertionFailure() << "not a pond::Error: " << other.what();
  }
  return ::testing::AssertionFailure() << "no exception thrown";
}

}  // namespace pond::test
