#include "connectors/postgres/pg_query.hpp"

#include <cctype>
#include <set>
#include <string_view>

#include "connectors/postgres/pg_statements.hpp"

namespace pond::connectors::postgres {
namespace {

// DuckDB wants distinct column names; PostgreSQL allows "?column?" twice.
std::vector<std::string> distinct_names(std::vector<std::string> names) {
  std::set<std::string> taken(names.begin(), names.end());
  std::set<std::string> seen;
  for (std::string& name : names) {
    if (name.empty()) name = "column";
    if (seen.insert(name).second) continue;
    for (int n = 1;; ++n) {
      std::string candidate = name + "_" + std::to_string(n);
      if (!taken.contains(candidate) && !seen.contains(candidate)) {
        name = candidate;
        seen.insert(name);
        break;
      }
    }
  }
  return names;
}

bool skip_space(const std::string& sql, size_t& pos) {
  size_t start = pos;
  while (pos < sql.size() && std::isspace(static_cast<unsigned char>(sql[pos]))) ++pos;
  return pos > start;
}

bool keyword(const std::string& sql, size_t& pos, std::string_view word) {
  if (sql.size() - pos < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(sql[pos + i])) != word[i]) return false;
  }
  pos += word.size();
  return true;
}

}  // namespace

std::optional<std::string> plain_table_of(const std::string& text) {
  const std::string sql = statements::strip_query(text);
  size_t pos = 0;
  skip_space(sql, pos);
  if (!keyword(sql, pos, "select") || !skip_space(sql, pos) || pos >= sql.size() || sql[pos++] != '*') return {};
  skip_space(sql, pos);
  if (!keyword(sql, pos, "from") || !skip_space(sql, pos)) return {};
  const size_t start = pos;
  bool expect_name = true;
  while (pos < sql.size()) {
    char c = sql[pos];
    if (expect_name && c == '"') {
      size_t close = pos + 1;
      for (;; close += 2) {
        close = sql.find('"', close);
        if (close == std::string::npos) return {};
        if (close + 1 >= sql.size() || sql[close + 1] != '"') break;
      }
      pos = close + 1;
      expect_name = false;
    } else if (expect_name && (std::isalpha(static_cast<unsigned char>(c)) || c == '_')) {
      while (pos < sql.size() &&
             (std::isalnum(static_cast<unsigned char>(sql[pos])) || sql[pos] == '_' || sql[pos] == '$')) {
        ++pos;
      }
      expect_name = false;
    } else if (!expect_name && c == '.') {
      ++pos;
      expect_name = true;
    } else {
      return {};
    }
  }
  if (expect_name) return {};
  return sql.substr(start);
}

std::unique_ptr<PgBoundScan> bind_query(const std::shared_ptr<PgContext>& context, const std::string& sql,
                                        workspace::QueryOwner owner) {
  ScanSpec spec;
  spec.label = "pond_query";
  spec.owner = owner;
  spec.is_query = true;
  spec.sql = statements::strip_query(sql);
  if (spec.sql.empty()) throw context->settings().error(ErrorKind::invalid_input, "pond_query needs a SQL statement");

  PgConnection connection = context->pool().acquire();
  PgResult description = connection.describe(spec.sql, "pond_query");
  const int count = description.columns();
  std::vector<std::string> names;
  std::vector<uint32_t> oids;
  for (int i = 0; i < count; ++i) {
    names.emplace_back(PQfname(description.get(), i));
    oids.push_back(PQftype(description.get(), i));
  }
  names = distinct_names(std::move(names));
  PgTypeDirectory directory;
  load_types(connection, oids, directory);
  for (int i = 0; i < count; ++i) {
    PgType type = map_type(oids[static_cast<size_t>(i)], PQfmod(description.get(), i), directory);
    spec.columns.push_back(PgColumn{names[static_cast<size_t>(i)], std::move(type),
                                    "type oid " + std::to_string(oids[static_cast<size_t>(i)])});
  }

  if (count == 0) {
    // INSERT/UPDATE/DDL without RETURNING: one row with the command tag ("INSERT 0 3").
    spec.mode = FetchMode::command_status;
    spec.columns.push_back(PgColumn{"status", PgType{}, "text"});
  } else if (!connection.accepts(statements::wrap_probe(spec.sql, static_cast<size_t>(count)))) {
    bool all_native = true;
    for (const PgColumn& column : spec.columns) all_native = all_native && column.type.native();
    // libpq asks for one result format for all columns: binary when Pond decodes every column
    // type, else text (then every column is VARCHAR).
    spec.mode = all_native ? FetchMode::rows_binary : FetchMode::rows_text;
    if (!all_native) {
      for (PgColumn& column : spec.columns) column.type = PgType{};
    }
  }
  context->pool().release(std::move(connection));
  return std::make_unique<PgBoundScan>(context, std::move(spec));
}

}  // namespace pond::connectors::postgres
