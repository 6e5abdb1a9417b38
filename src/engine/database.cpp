#include "engine/database.hpp"

#include <duckdb.h>
#include <sys/stat.h>

#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

#include "engine/error.hpp"

namespace pond::engine {
namespace {

struct ConfigDeleter {
  void operator()(_duckdb_config* c) const { duckdb_destroy_config(&c); }
};
using OwnedConfig = std::unique_ptr<_duckdb_config, ConfigDeleter>;

[[noreturn]] void throw_open_error(const std::string& path, std::string message) {
  if (message.find("Could not set lock") != std::string::npos ||
      message.find("Conflicting lock") != std::string::npos) {
    throw Error(ErrorKind::io,
                "workspace '" + path +
                    "' is in use by another process; close it (or use 'pond serve' to share it): " + message);
  }
  throw Error(ErrorKind::io, "cannot open database '" + path + "': " + message);
}

// Two DuckDB instances on one file in one process would each cache their own copy of it and
// overwrite each other's writes (DuckDB's file lock is per process). Files open here are
// tracked by device and inode so that a second open is refused.
using FileId = std::pair<dev_t, ino_t>;
std::mutex open_files_mutex;
std::set<FileId> open_files;

std::optional<FileId> file_id(const std::string& path) {
  struct stat st {};
  if (path.empty() || path.front() == ':' || ::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileId{st.st_dev, st.st_ino};
}

}  // namespace

Database::Database(const DatabaseOptions& options) : path_(options.path.empty() ? ":memory:" : options.path) {
  duckdb_config raw_config = nullptr;
  if (duckdb_create_config(&raw_config) != DuckDBSuccess) throw Error(ErrorKind::internal, "cannot create config");
  OwnedConfig config(raw_config);
  auto set = [&](const std::string& name, const std::string& value) {
    if (duckdb_set_config(config.get(), name.c_str(), value.c_str()) != DuckDBSuccess) {
      throw Error(ErrorKind::invalid_input,
                  "unknown or invalid DuckDB setting '" + name + "'; see SELECT * FROM duckdb_settings()");
    }
  };
  if (options.read_only) set("access_mode", "READ_ONLY");
  // Pond's connectors replace the network extensions; never try to download at run time.
  set("autoinstall_known_extensions", "false");
  for (const auto& [name, value] : options.settings) set(name, value);

  std::lock_guard lock(open_files_mutex);
  if (auto id = file_id(path_); id && open_files.count(*id)) {
    throw Error(ErrorKind::io, "database '" + path_ +
                                   "' is already open in this process; share that instance (open another "
                                   "connection to it) instead of opening the file twice");
  }
  char* error = nullptr;
  duckdb_database db = nullptr;
  if (duckdb_open_ext(path_.c_str(), &db, config.get(), &error) != DuckDBSuccess) {
    std::string message = error ? error : "unknown error";
    if (error) duckdb_free(error);
    if (message.find("setting") != std::string::npos || message.find("option") != std::string::npos ||
        message.find("Invalid Input") != std::string::npos || message.find("Conversion") != std::string::npos) {
      throw Error(ErrorKind::invalid_input, "cannot apply settings to '" + path_ + "': " + message);
    }
    throw_open_error(path_, message);
  }
  handle_ = db;
  if (auto id = file_id(path_)) {
    open_files.insert(*id);
    file_id_ = *id;
  }
}

void Database::close() noexcept {
  if (!handle_) return;
  duckdb_close(&handle_);
  if (file_id_) {
    std::lock_guard lock(open_files_mutex);
    open_files.erase(*file_id_);
    file_id_.reset();
  }
}

Database::Database(Database&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)),
      path_(std::move(other.path_)),
      file_id_(std::exchange(other.file_id_, std::nullopt)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    close();
    handle_ = std::exchange(other.handle_, nullptr);
    path_ = std::move(other.path_);
    file_id_ = std::exchange(other.file_id_, std::nullopt);
  }
  return *this;
}

Database::~Database() { close(); }

Connection Database::connect() const {
  duckdb_connection conn = nullptr;
  if (duckdb_connect(handle_, &conn) != DuckDBSuccess) {
    throw Error(ErrorKind::internal, "cannot connect to database '" + path_ + "'");
  }
  return Connection(conn);
}

}  // namespace pond::engine
