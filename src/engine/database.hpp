#pragma once
// Database — one DuckDB instance (a file or in-memory), opened with validated settings.
// Owns the instance; connections made from it must not outlive it. Thread-safe: any number of
// threads may call connect() concurrently. A file may be open only once per process: a second
// Database on the same file is refused with ErrorKind::io (two instances would lose writes).

#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/connection.hpp"

struct _duckdb_database;

namespace pond::engine {

struct DatabaseOptions {
  std::string path = ":memory:";
  bool read_only = false;
  // Any DuckDB setting by name, applied at open: memory_limit, threads, temp_directory, ...
  std::vector<std::pair<std::string, std::string>> settings;
};

class Database {
 public:
  explicit Database(const DatabaseOptions& options = {});
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  Connection connect() const;
  const std::string& path() const { return path_; }
  bool in_memory() const { return path_ == ":memory:" || path_.empty(); }

 private:
  void close() noexcept;

  _duckdb_database* handle_ = nullptr;
  std::string path_;
  std::optional<std::pair<dev_t, ino_t>> file_id_;  // set for files, while open
};

}  // namespace pond::engine
