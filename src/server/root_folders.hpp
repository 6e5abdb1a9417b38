#pragma once
// RootFolders — the folders that file sources attached through the server must live in (and
// that clients' SQL may read and write: see FileSandbox). A location is accepted only when its
// real path (symlinks resolved, `..` removed) is inside one root's real path; for a glob,
// every file it matches must be. No roots: no location is accepted. Immutable after
// construction; thread-safe.

#include <string>
#include <vector>

namespace pond::server {

class RootFolders {
 public:
  // Resolves each root; throws pond::Error(usage) for one that is not an existing folder.
  explicit RootFolders(const std::vector<std::string>& roots);

  // Throws HttpError(403, "forbidden") naming the location and --root when it is outside
  // every root (always, without roots), pond::Error(invalid_input) when it is empty.
  void check(const std::string& location) const;
  // Whether a real path (symlinks resolved) is one of the roots or below one.
  bool contains(const std::string& real_path) const;
  const std::vector<std::string>& roots() const { return roots_; }
  // The roots as given, made absolute and normalized (roots()[i] is given()[i] resolved).
  const std::vector<std::string>& given() const { return given_; }

 private:
  std::vector<std::string> roots_;  // real paths, without a trailing '/'
  std::vector<std::string> given_;
};

// Compares in time that depends only on the lengths, never on where the texts differ.
bool constant_time_equal(const std::string& a, const std::string& b);

}  // namespace pond::server
