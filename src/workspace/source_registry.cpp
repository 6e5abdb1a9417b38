#include "workspace/source_registry.hpp"

#include <array>

#include "engine/error.hpp"
#include "engine/transaction.hpp"

namespace pond::workspace {
namespace {

constexpr const char* kCreateSql = R"sql(
CREATE SCHEMA IF NOT EXISTS pond_meta;
CREATE TABLE IF NOT EXISTS pond_meta.info (key VARCHAR NOT NULL, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS pond_meta.sources (
  alias VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  location VARCHAR NOT NULL,
  format VARCHAR NOT NULL DEFAULT '',
  read_only BOOLEAN NOT NULL DEFAULT false,
  options VARCHAR NOT NULL DEFAULT '{}',
  created_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP)
);
CREATE TABLE IF NOT EXISTS pond_meta.secrets (name VARCHAR NOT NULL, type VARCHAR NOT NULL, fields VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS pond_meta.materializations (
  name VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  query VARCHAR NOT NULL,
  row_count BIGINT NOT NULL,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP NOT NULL,
  duration_ms DOUBLE NOT NULL
);
)sql";

constexpr std::array<const char*, 4> kRegistryTables = {"info", "sources", "secrets", "materializations"};

constexpr const char* kSelect =
    "SELECT alias, kind, location, format, read_only, options, strftime(created_at, '%Y-%m-%d %H:%M:%S.%f') "
    "FROM pond_meta.sources";

SourceRecord to_record(const std::vector<engine::Value>& row) {
  SourceRecord r;
  r.alias = row[0].to_string();
  r.kind = parse_source_kind(row[1].to_string());
  r.location = row[2].to_string();
  r.format = row[3].to_string();
  r.read_only = row[4].as_bool();
  r.options = row[5].to_string();
  r.created_at = row[6].to_string();
  return r;
}

}  // namespace

bool SourceRegistry::ensure_schema(bool read_only) {
  size_t present_tables = 0;
  for (const char* table : kRegistryTables) present_tables += connection_.table_exists("pond_meta", table) ? 1 : 0;
  if (present_tables == kRegistryTables.size()) {
    auto version = connection_.query("SELECT value FROM pond_meta.info WHERE key = 'registry_version'").fetch_all();
    if (!version.empty() && version[0][0].as_int64() > kVersion) {
      throw Error(ErrorKind::invalid_input, "this workspace was written by a newer Pond (registry version " +
                                                version[0][0].to_string() + "); upgrade pond to open it");
    }
    present_ = true;
    return true;
  }
  if (read_only) {
    // An older registry can still be read; only creating one needs write access.
    present_ = present_tables > 0;
    return present_;
  }
  engine::Transaction tx(connection_);
  connection_.query(kCreateSql);
  std::array<engine::Param, 1> version{std::to_string(kVersion)};
  connection_.execute(
      "INSERT INTO pond_meta.info SELECT 'registry_version', ? WHERE NOT EXISTS (SELECT 1 FROM pond_meta.info WHERE "
      "key = 'registry_version')",
      version);
  tx.commit();
  present_ = true;
  return true;
}

std::vector<SourceRecord> SourceRegistry::list() {
  std::vector<SourceRecord> out;
  if (!present_) return out;
  for (const auto& row : connection_.query(std::string(kSelect) + " ORDER BY created_at, alias").fetch_all()) {
    out.push_back(to_record(row));
  }
  return out;
}

std::optional<SourceRecord> SourceRegistry::find(const std::string& alias) {
  if (!present_) return std::nullopt;
  std::array<engine::Param, 1> params{alias};
  auto rows = connection_.execute(std::string(kSelect) + " WHERE lower(alias) = lower(?)", params).fetch_all();
  if (rows.empty()) return std::nullopt;
  return to_record(rows[0]);
}

void SourceRegistry::insert(const SourceRecord& record) {
  if (!present_) throw Error(ErrorKind::invalid_input, "the workspace is read-only; sources cannot be registered");
  std::array<engine::Param, 7> params{
      record.alias,     std::string(source_kind_name(record.kind)),     record.location,  record.format,
      record.read_only, record.options.empty() ? "{}" : record.options, record.created_at};
  // An empty created_at is now; a given one is kept (a source put back exactly as it was).
  connection_.execute(
      "INSERT INTO pond_meta.sources (alias, kind, location, format, read_only, options, created_at) VALUES (?, ?, "
      "?, ?, ?, ?, coalesce(nullif(?, '')::TIMESTAMP, now()::TIMESTAMP))",
      params);
}

bool SourceRegistry::remove(const std::string& alias) {
  if (!present_) return false;
  std::array<engine::Param, 1> params{alias};
  return connection_.execute("DELETE FROM pond_meta.sources WHERE lower(alias) = lower(?)", params).rows_changed() > 0;
}

}  // namespace pond::workspace
