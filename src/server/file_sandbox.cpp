#include "server/file_sandbox.hpp"

#include <glob.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "engine/error.hpp"
#include "engine/sql_text.hpp"

namespace pond::server {
namespace {

namespace fs = std::filesystem;

// A symlink is safe when it names a file (not a folder: DuckDB would take the link's path as
// a prefix for everything below it) whose real path is inside the roots.
bool safe_link(const fs::path& link, const RootFolders& roots) {
  std::error_code ec;
  fs::path target = fs::canonical(link, ec);  // broken links and loops fail
  if (ec || fs::is_directory(target, ec)) return false;
  return roots.contains(target.string());
}

std::string list_sql(const std::vector<std::string>& items) {
  std::string sql = "[";
  for (size_t i = 0; i < items.size(); ++i) sql += (i ? ", " : "") + sql::quote_literal(items[i]);
  return sql + "]";
}

class RootWalk {
 public:
  RootWalk(const RootFolders& roots, size_t max_entries) : roots_(roots), max_entries_(max_entries) {}

  void walk(const std::string& root, const std::vector<std::string>& prefixes, std::vector<std::string>& directories,
            std::vector<std::string>& paths) {
    // First the folders that hold an unsafe symlink somewhere below them.
    std::set<fs::path> dirty;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (++seen_ > max_entries_) {
        throw Error(ErrorKind::usage, "--root '" + root + "' holds more than " + std::to_string(max_entries_) +
                                          " files and folders; give smaller folders");
      }
      // A folder the walk cannot list may hold links it cannot see: it is left out whole.
      std::error_code entry_ec;  // an entry that vanished meanwhile is no reason to stop
      const bool link = it->is_symlink(entry_ec);
      const bool unlisted = !link && it->is_directory(entry_ec) && ::access(it->path().c_str(), R_OK | X_OK) != 0;
      if (unlisted) dirty.insert(it->path());
      if (unlisted || (link && !safe_link(it->path(), roots_))) {
        for (fs::path p = it->path().parent_path(); p.string().size() >= root.size(); p = p.parent_path()) {
          if (!dirty.insert(p).second) break;
          if (p.string() == root) break;
        }
      }
    }
    if (ec) throw Error(ErrorKind::io, "cannot list --root '" + root + "': " + ec.message());
    emit(fs::path(root), "", dirty, prefixes, directories, paths);
  }

 private:
  void emit(const fs::path& dir, const std::string& rel, const std::set<fs::path>& dirty,
            const std::vector<std::string>& prefixes, std::vector<std::string>& directories,
            std::vector<std::string>& paths) {
    if (!dirty.contains(dir)) {
      for (const auto& prefix : prefixes) directories.push_back(prefix + rel + "/");
      return;
    }
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, fs::directory_options::skip_permission_denied, ec)) {
      const std::string name = rel + "/" + entry.path().filename().string();
      if (entry.is_symlink(ec)) {
        if (safe_link(entry.path(), roots_)) {
          for (const auto& prefix : prefixes) paths.push_back(prefix + name);
        }
      } else if (entry.is_directory(ec)) {
        emit(entry.path(), name, dirty, prefixes, directories, paths);
      } else {
        for (const auto& prefix : prefixes) paths.push_back(prefix + name);
      }
    }
  }

  const RootFolders& roots_;
  size_t max_entries_;
  size_t seen_ = 0;
};

}  // namespace

FileSandbox::FileSandbox(const RootFolders& roots, const std::vector<workspace::SourceInfo>& restored,
                         size_t max_entries) {
  RootWalk walk(roots, max_entries);
  for (size_t i = 0; i < roots.roots().size(); ++i) {
    const std::string& real = roots.roots()[i];
    std::vector<std::string> prefixes = {real == "/" ? "" : real};
    const std::string& given = roots.given()[i];
    if (given != real) prefixes.push_back(given == "/" ? "" : given);
    walk.walk(real, prefixes, directories_, paths_);
  }
  // File sources restored from the registry keep working wherever they are: their views read
  // the stored pattern (absolute) and each file it matches.
  for (const auto& source : restored) {
    if (source.record.kind != workspace::SourceKind::files) continue;
    const std::string& pattern = source.record.location;
    paths_.push_back(pattern);
    glob_t matches{};
    if (::glob(pattern.c_str(), 0, nullptr, &matches) == 0) {
      for (size_t i = 0; i < matches.gl_pathc; ++i) paths_.emplace_back(matches.gl_pathv[i]);
    }
    globfree(&matches);
  }
}

void FileSandbox::apply(engine::Connection& connection) const {
  if (!directories_.empty()) connection.query("SET allowed_directories = " + list_sql(directories_));
  if (!paths_.empty()) connection.query("SET allowed_paths = " + list_sql(paths_));
  connection.query("SET enable_external_access = false");
  connection.query("SET lock_configuration = true");
}

std::optional<ErrorBody> sandbox_refusal(const std::string& message) {
  for (const char* what : {"Cannot access file \"", "Cannot access directory \""}) {
    const size_t at = message.find(what);
    if (at == std::string::npos) continue;
    const size_t start = at + std::char_traits<char>::length(what);
    const size_t end = message.find("\" - file system operations are disabled", start);
    const std::string path = message.substr(start, end == std::string::npos ? std::string::npos : end - start);
    return ErrorBody{403, error_json("forbidden",
                                     "'" + path +
                                         "' is outside the folders this server lets SQL read and write (pond serve "
                                         "--root DIR; a server started without --root gives SQL no files). Name "
                                         "files by their absolute path inside a root; symlinks leading out of a "
                                         "root and '..' are refused",
                                     nlohmann::json{{"engine", message}})};
  }
  const std::string locked = "Cannot change configuration option \"";
  if (const size_t at = message.find(locked); at != std::string::npos) {
    const size_t start = at + locked.size();
    const std::string name = message.substr(start, message.find('"', start) - start);
    return ErrorBody{403, error_json("forbidden",
                                     "setting '" + name +
                                         "' cannot be changed by a client of pond serve: file access is fixed by "
                                         "--root and server-wide settings by --setting NAME=VALUE when it starts",
                                     nlohmann::json{{"engine", message}})};
  }
  if (message.find("when enable_external_access is disabled") != std::string::npos ||
      message.find("Loading external extensions is disabled") != std::string::npos) {
    return ErrorBody{403, error_json("forbidden",
                                     "pond serve does not let clients change file access or load extensions (its "
                                     "--root folders are fixed when it starts)",
                                     nlohmann::json{{"engine", message}})};
  }
  return std::nullopt;
}

}  // namespace pond::server
