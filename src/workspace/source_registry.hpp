#pragma once
// SourceRegistry — the table of registered sources inside the workspace file
// (pond_meta.sources). Every change is one statement on the caller's connection, so it joins
// the caller's transaction when there is one. Aliases are unique case-insensitively, as
// DuckDB's identifiers are. Not thread-safe: the SourceManager serializes access.

#include <optional>
#include <string>
#include <vector>

#include "engine/connection.hpp"
#include "workspace/source.hpp"

namespace pond::workspace {

class SourceRegistry {
 public:
  static constexpr const char* kSchema = "pond_meta";
  static constexpr int kVersion = 1;

  explicit SourceRegistry(engine::Connection& connection) : connection_(connection) {}

  // Creates the registry tables when missing. Returns false when they are missing and cannot
  // be created because the workspace is read-only (the registry is then empty).
  bool ensure_schema(bool read_only);

  std::vector<SourceRecord> list();
  std::optional<SourceRecord> find(const std::string& alias);
  // Registers `record`; its created_at is kept when given (microseconds, as list() shows it),
  // now when empty.
  void insert(const SourceRecord& record);
  // Returns false when no source has that alias.
  bool remove(const std::string& alias);

 private:
  engine::Connection& connection_;
  bool present_ = false;
};

}  // namespace pond::workspace
