#pragma once
// A check shared by every test suite: a callable throws pond::Error of a given kind whose
// message contains some text.

#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <string>
#include <utility>

#include "engine/error.hpp"

namespace pond::test {

// Runs `f`, which should throw pond::Error: that error (or an `internal` one saying that
// nothing was thrown) and how long `f` took — for tests that a failure comes fast.
template <typename F>
std::pair<Error, std::chrono::steady_clock::duration> timed_failure(F&& f) {
  const auto started = std::chrono::steady_clock::now();
  try {
    f();
  } catch (const Error& e) {
    return {e, std::chrono::steady_clock::now() - started};
  }
  return {Error(ErrorKind::internal, "no error was thrown"), std::chrono::steady_clock::now() - started};
}

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
    return ::testing::AssertionSuccess() << message;
  } catch (const std::exception& other) {
    return ::testing::AssertionFailure() << "not a pond::Error: " << other.what();
  }
  return ::testing::AssertionFailure() << "no exception thrown";
}

}  // namespace pond::test
