#pragma once
// RootFolders — the folders that file sources attached through the server must live in.
// A location is accepted only when its real path (symlinks resolved, `..` removed) is inside
// one root's real path; for a glob, every file it matches must be. Immutable after
// construction; thread-safe.

#include <string>
#include <vector>

namespace pond::server {

class RootFolders {
 public:
  // Resolves each root; throws pond::Error(usage) for one that is not an existing folder.
  explicit RootFolders(const std::vector<std::string>& roots);

  // Throws pond::Error(invalid_input) naming the location when it is outside every root.
  void check(const std::string& location) const;
  const std::vector<std::string>& roots() const { return roots_; }

 private:
  bool inside(const std::string& real_path) const;

  std::vector<std::string> roots_;  // real paths, without a trailing '/'
};

// Compares in time that depends only on the lengths, never on where the texts differ.
bool constant_time_equal(const std::string& a, const std::string& b);

}  // namespace pond::server
