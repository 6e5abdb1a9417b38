// The definitions below of open, opendir, fopen, __xstat, __lxstat, access, readlink, rename,
// unlink, mkdir and rmdir replace the C library's for the whole process (the executable's
// symbols come first in the dynamic linker's lookup, as with LD_PRELOAD): they are the calls
// libduckdb.so makes to reach files. Each does what the C library's does through the *at
// system calls, which no one here replaces; paths in an active guard's roots are checked first
// (see path_guard.hpp). __xstat / __lxstat are the old stat entry points libduckdb.so is linked
// against; on Linux x86-64 and arm64 they fill the same struct stat as fstat.
#undef _FORTIFY_SOURCE  // its inline open() wrapper would clash with the definition below
#include "server/path_guard.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <memory>
#include <mutex>

namespace pond::server {
namespace {

struct Snapshot {
  std::vector<std::string> real_roots;  // without a trailing '/'
  std::vector<std::string> prefixes;    // normalized
};

struct Activation {
  const PathGuard* guard;
  std::vector<std::string> real_roots;
  std::vector<std::string> prefixes;
};

std::atomic<const Snapshot*> active_snapshot{nullptr};
std::mutex activations_mutex;
// Never freed: a hook on another thread may still read an old snapshot.
std::vector<Activation>& activations() {
  static auto* list = new std::vector<Activation>();
  return *list;
}
std::vector<std::unique_ptr<Snapshot>>& snapshots() {
  static auto* list = new std::vector<std::unique_ptr<Snapshot>>();
  return *list;
}

void publish() {
  auto next = std::make_unique<Snapshot>();
  for (const auto& a : activations()) {
    next->real_roots.insert(next->real_roots.end(), a.real_roots.begin(), a.real_roots.end());
    next->prefixes.insert(next->prefixes.end(), a.prefixes.begin(), a.prefixes.end());
  }
  active_snapshot.store(activations().empty() ? nullptr : next.get(), std::memory_order_release);
  snapshots().push_back(std::move(next));
}

bool below(const std::string& path, const std::string& folder) {
  if (folder == "/") return true;
  return path.size() >= folder.size() && path.compare(0, folder.size(), folder) == 0 &&
         (path.size() == folder.size() || path[folder.size()] == '/');
}

bool real_inside(const std::string& real, const Snapshot& s) {
  for (const auto& root : s.real_roots) {
    if (below(real, root)) return true;
  }
  return false;
}

// The snapshot when `path` is absolute and names something in a guarded root, else null.
const Snapshot* guarding(const char* path) {
  if (path == nullptr || path[0] != '/') return nullptr;
  const Snapshot* s = active_snapshot.load(std::memory_order_acquire);
  if (s == nullptr) return nullptr;
  try {
    const std::string normal = normalize_path(path);
    for (const auto& prefix : s->prefixes) {
      if (below(normal, prefix)) return s;
    }
    return nullptr;
  } catch (...) {  // out of memory: refuse rather than pass unchecked
    return s;
  }
}

std::string proc_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

// A descriptor closed on scope exit without disturbing errno.
struct Fd {
  int fd = -1;
  bool owned = true;
  ~Fd();
};

void close_keeping_errno(int fd) {
  const int saved = errno;
  ::close(fd);
  errno = saved;
}

Fd::~Fd() {
  if (fd >= 0 && owned) close_keeping_errno(fd);
}

int refuse() {
  errno = EACCES;
  return -1;
}

bool fd_inside(int fd, const Snapshot& s) {
  char real[PATH_MAX];
  const ssize_t n = ::readlinkat(AT_FDCWD, proc_path(fd).c_str(), real, sizeof real - 1);
  if (n <= 0) return false;  // no /proc: fail closed
  real[n] = '\0';
  return real_inside(real, s);
}

// An O_PATH descriptor of `path` (symlinks followed by the kernel) whose real path is inside
// the roots; -1 with errno set (EACCES when it leads out).
int checked_fd(const char* path, int flags, const Snapshot& s) {
  const int fd = ::openat(AT_FDCWD, path, O_PATH | O_CLOEXEC | flags);
  if (fd < 0) return -1;
  if (!fd_inside(fd, s)) {
    ::close(fd);
    return refuse();
  }
  return fd;
}

// The folder holding the last component of `path` (checked when guarded) and that component.
struct Parent {
  Fd dir;
  std::string name;
  bool ok = false;
};

void open_parent(const char* path, Parent& out) {
  const Snapshot* s = guarding(path);
  if (s == nullptr) {
    out.dir.fd = AT_FDCWD;
    out.dir.owned = false;
    out.name = path;
    out.ok = true;
    return;
  }
  std::string text = path;
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  const size_t slash = text.rfind('/');
  out.name = text.substr(slash + 1);
  if (out.name.empty() || out.name == "." || out.name == "..") {
    refuse();
    return;
  }
  const std::string folder = slash == 0 ? "/" : text.substr(0, slash);
  out.dir.fd = checked_fd(folder.c_str(), O_DIRECTORY, *s);
  out.ok = out.dir.fd >= 0;
}

bool is_guarded_root(const char* path) {
  const Snapshot* s = guarding(path);
  if (s == nullptr) return false;
  const std::string normal = normalize_path(path);
  for (const auto& prefix : s->prefixes) {
    if (normal == prefix) return true;
  }
  return false;
}

int guarded_open(const char* path, int flags, mode_t mode) {
  const Snapshot* s = guarding(path);
  if (s == nullptr) return ::openat(AT_FDCWD, path, flags, mode);
  Fd found{checked_fd(path, flags & (O_NOFOLLOW | O_DIRECTORY), *s)};
  if (found.fd >= 0) {
    if ((flags & O_CREAT) && (flags & O_EXCL)) {
      errno = EEXIST;
      return -1;
    }
    return ::openat(AT_FDCWD, proc_path(found.fd).c_str(), flags & ~(O_CREAT | O_EXCL | O_NOFOLLOW), mode);
  }
  if (errno != ENOENT || !(flags & O_CREAT)) return -1;
  // A new file: created by name in a checked folder, never through a (dangling) link.
  Parent parent;
  open_parent(path, parent);
  if (!parent.ok) return -1;
  return ::openat(parent.dir.fd, parent.name.c_str(), flags | O_NOFOLLOW, mode);
}

int flags_of(const char* mode) {
  int flags = 0;
  switch (mode[0]) {
    case 'r':
      flags = O_RDONLY;
      break;
    case 'w':
      flags = O_WRONLY | O_CREAT | O_TRUNC;
      break;
    case 'a':
      flags = O_WRONLY | O_CREAT | O_APPEND;
      break;
    default:
      return -1;
  }
  for (const char* c = mode + 1; *c != '\0' && *c != ','; ++c) {
    if (*c == '+') flags = (flags & ~(O_RDONLY | O_WRONLY)) | O_RDWR;
    if (*c == 'x') flags |= O_EXCL;
    if (*c == 'e') flags |= O_CLOEXEC;
  }
  return flags;
}

}  // namespace

std::string normalize_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t at = 0;
  while (at <= path.size()) {
    size_t end = path.find('/', at);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(at, end - at);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(std::move(part));
    }
    at = end + 1;
  }
  std::string out;
  for (const auto& part : parts) out += "/" + part;
  return out.empty() ? "/" : out;
}

PathGuard::PathGuard(std::vector<std::string> real_roots, std::vector<std::string> prefixes) {
  for (auto& prefix : prefixes) prefix = normalize_path(prefix);
  for (auto& root : real_roots) root = normalize_path(root);
  std::lock_guard lock(activations_mutex);
  activations().push_back(Activation{this, std::move(real_roots), std::move(prefixes)});
  publish();
}

PathGuard::~PathGuard() {
  std::lock_guard lock(activations_mutex);
  auto& list = activations();
  std::erase_if(list, [this](const Activation& a) { return a.guard == this; });
  publish();
}

std::optional<std::string> PathGuard::escape_in(const std::string& path) {
  const Snapshot* s = guarding(path.c_str());
  if (s == nullptr) return std::nullopt;
  std::string text = path;
  if (const size_t wild = text.find_first_of("*?["); wild != std::string::npos) {
    text = text.substr(0, text.rfind('/', wild));
  }
  // Resolve component by component as written (".." after a link goes up from its target),
  // from the first one inside a root on (realpath: the C library's own lookups, which the hooks
  // here do not see).
  std::string current;
  bool inside = false;
  size_t at = 1;
  while (at <= text.size()) {
    size_t end = text.find('/', at);
    if (end == std::string::npos) end = text.size();
    const std::string part = text.substr(at, end - at);
    at = end + 1;
    if (part.empty() || part == ".") continue;
    current += "/" + part;
    if (!inside) {
      const std::string normal = normalize_path(current);
      for (const auto& p : s->prefixes) inside = inside || below(normal, p);
      if (!inside) continue;
    }
    char real[PATH_MAX];
    if (::realpath(current.c_str(), real) == nullptr) break;
    if (!real_inside(real, *s)) return "'" + current + "' leads to '" + real + "'";
  }
  return std::nullopt;
}

}  // namespace pond::server

using pond::server::guarded_open;
using pond::server::guarding;

extern "C" {

int open(const char* path, int flags, ...) {
  mode_t mode = 0;
  if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
    va_list args;
    va_start(args, flags);
    mode = va_arg(args, mode_t);
    va_end(args);
  }
  return guarded_open(path, flags, mode);
}

FILE* fopen(const char* path, const char* mode) {
  const int flags = pond::server::flags_of(mode);
  if (flags < 0) {
    errno = EINVAL;
    return nullptr;
  }
  const int fd = guarded_open(path, flags, 0666);
  if (fd < 0) return nullptr;
  FILE* file = ::fdopen(fd, mode);
  if (file == nullptr) pond::server::close_keeping_errno(fd);
  return file;
}

DIR* opendir(const char* path) {
  const int fd = guarded_open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd < 0) return nullptr;
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) pond::server::close_keeping_errno(fd);
  return dir;
}

int __xstat(int, const char* path, struct stat* buf) noexcept {
  const auto* s = guarding(path);
  if (s == nullptr) return ::fstatat(AT_FDCWD, path, buf, 0);
  pond::server::Fd found{pond::server::checked_fd(path, 0, *s)};
  return found.fd < 0 ? -1 : ::fstat(found.fd, buf);
}

int __lxstat(int, const char* path, struct stat* buf) noexcept {
  if (pond::server::is_guarded_root(path)) return ::fstatat(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW);
  pond::server::Parent parent;
  pond::server::open_parent(path, parent);
  return parent.ok ? ::fstatat(parent.dir.fd, parent.name.c_str(), buf, AT_SYMLINK_NOFOLLOW) : -1;
}

int access(const char* path, int mode) noexcept {
  const auto* s = guarding(path);
  if (s == nullptr) return ::faccessat(AT_FDCWD, path, mode, 0);
  pond::server::Fd found{pond::server::checked_fd(path, 0, *s)};
  return found.fd < 0 ? -1 : ::faccessat(AT_FDCWD, pond::server::proc_path(found.fd).c_str(), mode, 0);
}

ssize_t readlink(const char* path, char* buf, size_t size) noexcept {
  if (pond::server::is_guarded_root(path)) return ::readlinkat(AT_FDCWD, path, buf, size);
  pond::server::Parent parent;
  pond::server::open_parent(path, parent);
  return parent.ok ? ::readlinkat(parent.dir.fd, parent.name.c_str(), buf, size) : -1;
}

int rename(const char* from, const char* to) noexcept {
  pond::server::Parent a, b;
  pond::server::open_parent(from, a);
  if (!a.ok) return -1;
  pond::server::open_parent(to, b);
  if (!b.ok) return -1;
  return ::renameat(a.dir.fd, a.name.c_str(), b.dir.fd, b.name.c_str());
}

int unlink(const char* path) noexcept {
  pond::server::Parent parent;
  pond::server::open_parent(path, parent);
  return parent.ok ? ::unlinkat(parent.dir.fd, parent.name.c_str(), 0) : -1;
}

int rmdir(const char* path) noexcept {
  pond::server::Parent parent;
  pond::server::open_parent(path, parent);
  return parent.ok ? ::unlinkat(parent.dir.fd, parent.name.c_str(), AT_REMOVEDIR) : -1;
}

int mkdir(const char* path, mode_t mode) noexcept {
  pond::server::Parent parent;
  pond::server::open_parent(path, parent);
  return parent.ok ? ::mkdirat(parent.dir.fd, parent.name.c_str(), mode) : -1;
}

}  // extern "C"
