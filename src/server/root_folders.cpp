#include "server/root_folders.hpp"

#include <glob.h>

#include <filesystem>

#include "engine/error.hpp"
#include "server/http_error.hpp"

namespace pond::server {
namespace {

namespace fs = std::filesystem;

bool has_glob(const std::string& text) { return text.find_first_of("*?[") != std::string::npos; }

// The real path of `path`: its deepest existing ancestor resolved (symlinks and all), with the
// missing remainder appended as written (it was normalized lexically, so it holds no '..').
std::string real_path(const fs::path& path) {
  fs::path normal = path.lexically_normal();
  fs::path existing = normal;
  fs::path rest;
  std::error_code ec;
  while (!existing.empty() && !fs::exists(existing, ec)) {
    rest = existing.filename() / rest;
    existing = existing.parent_path();
  }
  fs::path resolved = fs::canonical(existing.empty() ? fs::path("/") : existing, ec);
  if (ec) throw Error(ErrorKind::io, "cannot resolve '" + path.string() + "': " + ec.message());
  return (rest.empty() ? resolved : resolved / rest).lexically_normal().string();
}

}  // namespace

RootFolders::RootFolders(const std::vector<std::string>& roots) {
  for (const std::string& root : roots) {
    std::error_code ec;
    fs::path real = fs::canonical(root, ec);
    if (ec || !fs::is_directory(real)) {
      throw Error(ErrorKind::usage, "--root '" + root + "' is not an existing folder");
    }
    std::string text = real.string();
    while (text.size() > 1 && text.back() == '/') text.pop_back();
    roots_.push_back(text);
    std::string given = fs::absolute(root).lexically_normal().string();
    while (given.size() > 1 && given.back() == '/') given.pop_back();
    given_.push_back(given);
  }
}

bool RootFolders::contains(const std::string& real) const {
  for (const std::string& root : roots_) {
    if (root == "/") return true;
    if (real == root ||
        (real.size() > root.size() && real.compare(0, root.size(), root) == 0 && real[root.size()] == '/'))
      return true;
  }
  return false;
}

void RootFolders::check(const std::string& location) const {
  if (location.empty()) throw Error(ErrorKind::invalid_input, "the location is empty; name a file");
  if (roots_.empty()) {
    throw HttpError(403, "forbidden",
                    "'" + location +
                        "': this server was started without --root and gives clients no files; start pond serve "
                        "with --root DIR to allow the files in DIR");
  }
  const std::string outside = "'" + location + "' is outside the folders this server may read (pond serve --root)";
  const auto refuse = [](const std::string& message) { throw HttpError(403, "forbidden", message); };
  fs::path path = fs::path(location).is_absolute() ? fs::path(location) : fs::current_path() / location;
  if (!has_glob(location)) {
    if (!contains(real_path(path))) refuse(outside);
    return;
  }
  // The folder part before the first wildcard must be inside, and so must every match.
  std::string text = path.lexically_normal().string();
  fs::path fixed = fs::path(text.substr(0, text.find_first_of("*?["))).parent_path();
  if (!contains(real_path(fixed))) refuse(outside);
  glob_t matches{};
  if (::glob(text.c_str(), 0, nullptr, &matches) == 0) {
    for (size_t i = 0; i < matches.gl_pathc; ++i) {
      if (!contains(real_path(matches.gl_pathv[i]))) {
        std::string match = matches.gl_pathv[i];
        globfree(&matches);
        refuse("'" + match + "', matched by " + outside);
      }
    }
  }
  globfree(&matches);
}

bool constant_time_equal(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

}  // namespace pond::server
