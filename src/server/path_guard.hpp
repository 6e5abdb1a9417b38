#pragma once
// PathGuard — the half of the file sandbox that follows symlinks as the kernel does, on every
// open (see FileSandbox for the other half, DuckDB's allowed_directories).
//
// DuckDB checks clients' paths as text, once, and then lets the kernel resolve them; a symlink
// made inside a root at any time (or `..` after one) would lead a textually allowed path out of
// the roots. So, while a guard is active, this process's open / opendir / fopen / stat / lstat
// / access / readlink / rename / unlink / mkdir / rmdir (the calls DuckDB's local file system
// makes; they are defined in path_guard.cpp and take precedence over the C library's) check
// every absolute path whose lexically normalized text lies in a root: the file is first opened
// with O_PATH, its real path read back from /proc/self/fd and compared with the roots' real
// paths, and only then reopened through that descriptor (no window for swapping a link in
// between); a new name is created, renamed or removed below a folder descriptor checked the
// same way, never through a link. A path leading out fails with EACCES. Other paths (relative
// ones, the rest of the file system: DuckDB's own allowed list refuses those for clients'
// SQL) pass through unchanged, for one atomic load and a text comparison.
//
// Activations nest (one per running server, several in tests); the guard checks the union of
// the active roots. Thread-safe: the hooks read an immutable snapshot.

#include <optional>
#include <string>
#include <vector>

namespace pond::server {

class PathGuard {
 public:
  // Starts guarding `real_roots` (resolved folders) reached by any of `prefixes` (their texts
  // as a client may write them: the real and the given path of each root).
  PathGuard(std::vector<std::string> real_roots, std::vector<std::string> prefixes);
  ~PathGuard();  // stops guarding these roots
  PathGuard(const PathGuard&) = delete;
  PathGuard& operator=(const PathGuard&) = delete;

  // What leads `path` (a file or a glob pattern that names a guarded root) out of the active
  // roots now: the first component, from the root down, whose real path is outside them,
  // with that real path ("a -> b"). Nothing when the path stays inside or is not guarded.
  static std::optional<std::string> escape_in(const std::string& path);
};

// DuckDB's lexical normalization of an absolute path (empty and "." components dropped, ".."
// pops one, never above "/"), without a trailing '/'. Exposed for tests.
std::string normalize_path(const std::string& path);

}  // namespace pond::server
