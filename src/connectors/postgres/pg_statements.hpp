#pragma once
// Every statement the connector sends to PostgreSQL, in one place. Identifiers go through
// sql::quote_identifier and the snapshot id through sql::quote_literal; the only other text
// put into statements is numbers the connector generated and the user's own pond_query SQL.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pond::connectors::postgres::statements {

// Pages [first, end) of a table; no end means to the end of the table.
struct CtidRange {
  uint64_t first = 0;
  std::optional<uint64_t> end;
};

inline constexpr const char* kBeginSnapshotTransaction = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
inline constexpr const char* kExportSnapshot = "SELECT pg_catalog.pg_export_snapshot()";
// The coordinating session idles in its transaction for the whole scan, and a worker's does
// whenever DuckDB pauses reading: a server-wide idle_in_transaction_session_timeout must not
// end them (and the snapshot) early.
inline constexpr const char* kKeepIdleTransaction = "SET LOCAL idle_in_transaction_session_timeout = 0";
inline constexpr const char* kCommit = "COMMIT";
inline constexpr const char* kPing = "SELECT 1";
// $1: a relation name as a query wrote it; one row (schema, name) when it is an ordinary table.
inline constexpr const char* kPlainTable =
    "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
    "c.relnamespace WHERE c.oid = pg_catalog.to_regclass($1) AND c.relkind = 'r'";
// $1: the qualified table name.
inline constexpr const char* kRelationPages =
    "SELECT pg_catalog.pg_relation_size($1::regclass) / pg_catalog.current_setting('block_size')::bigint";

std::string set_snapshot(const std::string& snapshot_id);
std::string qualified_table(const std::string& schema, const std::string& table);

// One item of a SELECT list: the column, cast when its type is read as text.
std::string select_item(const std::string& column, const std::string& cast);
std::string join_items(const std::vector<std::string>& items);

// COPY (SELECT <items> FROM schema.table [WHERE ctid range]) TO STDOUT (FORMAT binary)
std::string copy_table(const std::string& schema, const std::string& table, const std::string& items,
                       const std::optional<CtidRange>& range);

// A pond_query's SQL without trailing semicolons and blanks.
std::string strip_query(const std::string& sql);
// The name of the i-th column of a wrapped query (see copy_query).
std::string query_column(size_t i);
// COPY (SELECT <items> FROM (<sql>) AS pond_query(c0, c1, ...)) TO STDOUT (FORMAT binary);
// renaming the columns by position makes duplicate and empty names harmless.
std::string copy_query(const std::string& sql, size_t column_count, const std::string& items);
// SELECT FROM (<sql>) AS pond_query(c0, ...): prepared to learn whether COPY will accept the query.
std::string wrap_probe(const std::string& sql, size_t column_count);

}  // namespace pond::connectors::postgres::statements
