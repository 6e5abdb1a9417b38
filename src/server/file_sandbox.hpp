#pragma once
// FileSandbox — confines the files that clients' SQL may read and write to the --root folders,
// with DuckDB's own settings: allowed_directories / allowed_paths, then
// enable_external_access = false and lock_configuration = true, applied once the workspace is
// restored. From then on DuckDB refuses every other path (read_csv, COPY ... TO, ATTACH, glob,
// EXPORT DATABASE, INSTALL / LOAD), and no client can SET the settings back.
//
// DuckDB compares paths as text and lets the kernel follow symlinks, so the roots are allowed
// whole (by their real and their given path) and a PathGuard, active while the sandbox lives,
// checks on every open, stat, listing, rename, removal and mkdir in a root that the real path
// is still inside a root: a symlink leading out, whenever it was made, and '..' after one are
// refused (EACCES, which sandbox_refusal turns into 403 forbidden naming the link).
//
// The workspace's own files stay usable: the sources restored from the registry (file
// sources by their pattern and each matching file; DuckDB files are already open, and one
// that was unavailable at start is allowed by its path so that it can be restored later) and
// the workspace database. SQLite, PostgreSQL and MySQL sources do not go through DuckDB's files.
// Immutable once applied; thread-safe.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/connection.hpp"
#include "server/http_error.hpp"
#include "server/path_guard.hpp"
#include "server/root_folders.hpp"
#include "workspace/source.hpp"

namespace pond::server {

class FileSandbox {
 public:
  // Takes the roots and the file sources among `restored`.
  FileSandbox(const RootFolders& roots, const std::vector<workspace::SourceInfo>& restored);

  // Applies the settings on `connection` (any connection of the workspace's database: they
  // are global), locks DuckDB's configuration and starts guarding the roots until this
  // sandbox is destroyed. Throws pond::Error when DuckDB refuses. Call once.
  void apply(engine::Connection& connection);

  // Folders allowed whole (each ending in '/') and single files allowed by name.
  const std::vector<std::string>& directories() const { return directories_; }
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  std::vector<std::string> directories_;
  std::vector<std::string> paths_;
  std::vector<std::string> real_roots_;
  std::unique_ptr<PathGuard> guard_;
};

// The 403 answer for a DuckDB refusal caused by the sandbox (a path outside the roots, a
// locked setting, an extension), found anywhere in `message`; nothing for other errors.
std::optional<ErrorBody> sandbox_refusal(const std::string& message);

}  // namespace pond::server
