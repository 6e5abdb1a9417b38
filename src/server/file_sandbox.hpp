#pragma once
// FileSandbox — confines the files that clients' SQL may read and write to the --root folders,
// with DuckDB's own settings: allowed_directories / allowed_paths, then
// enable_external_access = false and lock_configuration = true, applied once the workspace is
// restored. From then on DuckDB refuses every other path (read_csv, COPY ... TO, ATTACH, glob,
// EXPORT DATABASE, INSTALL / LOAD), and no client can SET the settings back.
//
// DuckDB compares paths as text and follows symlinks, so the allowed list is computed from a
// walk of the roots at start: a folder with no symlink escaping the roots anywhere below it is
// allowed whole; in a folder that has one, each other entry is allowed by name and the
// escaping link is left out (so is a folder the walk cannot list). Symlinks added to a root
// later are not seen: do not let untrusted users write into a root (clients' SQL cannot
// create symlinks).
//
// The workspace's own files stay usable: the sources restored from the registry (file
// sources by their pattern and each matching file; DuckDB files are already open) and the
// workspace database. SQLite, PostgreSQL and MySQL sources do not go through DuckDB's files.
// Immutable after construction; thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "engine/connection.hpp"
#include "server/http_error.hpp"
#include "server/root_folders.hpp"
#include "workspace/source.hpp"

namespace pond::server {

class FileSandbox {
 public:
  // Walks the roots (at most `max_entries` entries in all; more is a usage error naming the
  // root) and takes the file sources among `restored`.
  FileSandbox(const RootFolders& roots, const std::vector<workspace::SourceInfo>& restored,
              size_t max_entries = 1'000'000);

  // Applies the settings on `connection` (any connection of the workspace's database: they
  // are global) and locks DuckDB's configuration. Throws pond::Error when DuckDB refuses.
  void apply(engine::Connection& connection) const;

  // Folders allowed whole (each ending in '/') and single files allowed by name.
  const std::vector<std::string>& directories() const { return directories_; }
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  std::vector<std::string> directories_;
  std::vector<std::string> paths_;
};

// The 403 answer for a DuckDB refusal caused by the sandbox (a path outside the roots, a
// locked setting, an extension), found anywhere in `message`; nothing for other errors.
std::optional<ErrorBody> sandbox_refusal(const std::string& message);

}  // namespace pond::server
