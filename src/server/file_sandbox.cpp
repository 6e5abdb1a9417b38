#include "server/file_sandbox.hpp"

#include <glob.h>

#include "engine/error.hpp"
#include "engine/sql_text.hpp"

namespace pond::server {
namespace {

std::string list_sql(const std::vector<std::string>& items) {
  std::string sql = "[";
  for (size_t i = 0; i < items.size(); ++i) sql += (i ? ", " : "") + sql::quote_literal(items[i]);
  return sql + "]";
}

}  // namespace

FileSandbox::FileSandbox(const RootFolders& roots, const std::vector<workspace::SourceInfo>& restored)
    : real_roots_(roots.roots()) {
  for (size_t i = 0; i < roots.roots().size(); ++i) {
    const std::string& real = roots.roots()[i];
    directories_.push_back(real == "/" ? "/" : real + "/");
    const std::string& given = roots.given()[i];
    if (given != real) directories_.push_back(given == "/" ? "/" : given + "/");
  }
  // File sources restored from the registry keep working wherever they are: their views read
  // the stored pattern (absolute) and each file it matches.
  for (const auto& source : restored) {
    // A DuckDB file that could not be attached at start (missing, say) may come back: the
    // restore that a query naming it triggers ATTACHes it then, which needs its path.
    if (source.record.kind == workspace::SourceKind::duckdb && !source.available) {
      paths_.push_back(source.record.location);
      paths_.push_back(source.record.location + ".wal");  // ATTACH opens (and replays) it too
      continue;
    }
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

void FileSandbox::apply(engine::Connection& connection) {
  if (!real_roots_.empty()) {
    std::vector<std::string> prefixes;
    for (const auto& d : directories_) prefixes.push_back(d.size() > 1 ? d.substr(0, d.size() - 1) : d);
    guard_ = std::make_unique<PathGuard>(real_roots_, std::move(prefixes));
  }
  if (!directories_.empty()) connection.query("SET allowed_directories = " + list_sql(directories_));
  if (!paths_.empty()) connection.query("SET allowed_paths = " + list_sql(paths_));
  connection.query("SET enable_external_access = false");
  connection.query("SET lock_configuration = true");
}

std::optional<ErrorBody> sandbox_refusal(const std::string& message) {
  // The guard's refusals reach DuckDB as EACCES ("Cannot open file ...: Permission denied") or
  // as a path that does not exist (a glob, a listing); say what leads out, when something does.
  for (const char* what : {"Cannot open file \"", "No files found that match the pattern \"",
                           "Cannot open directory \"", "Could not open directory \""}) {
    const size_t at = message.find(what);
    if (at == std::string::npos) continue;
    const size_t start = at + std::char_traits<char>::length(what);
    size_t end = message.find("\": ", start);
    if (end == std::string::npos) end = message.rfind('"');
    if (end == std::string::npos || end < start) continue;
    const std::string path = message.substr(start, end - start);
    if (auto escape = PathGuard::escape_in(path)) {
      return ErrorBody{
          403, error_json("forbidden",
                          "'" + path + "' is outside the folders this server lets SQL read and write: " + *escape +
                              ", out of every --root of pond serve. Symlinks leading out of a root are "
                              "refused whenever they were made; name files inside a root",
                          nlohmann::json{{"engine", message}})};
    }
  }
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
