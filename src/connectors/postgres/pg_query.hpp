#pragma once
// Binding of pond_query(alias, sql): the SQL is prepared (not run) to learn its result columns
// and their types, and checked once more wrapped in a subquery to learn whether binary COPY
// will accept it; if not, its rows are streamed in single-row mode.

#include <memory>
#include <optional>
#include <string>

#include "connectors/postgres/pg_scanner.hpp"

namespace pond::connectors::postgres {

// Throws pond::Error(invalid_input) for SQL the server rejects (syntax, unknown column ...),
// not_found for an unknown table, connector when the server cannot be reached.
std::unique_ptr<PgBoundScan> bind_query(const std::shared_ptr<PgContext>& context, const std::string& sql,
                                        workspace::QueryOwner owner = workspace::kNoOwner);

// The relation name of a query that is exactly SELECT * FROM name (name: identifiers, quoted or
// not, joined by dots; case of the keywords free; trailing semicolons allowed), as written, for
// the server's to_regclass(); nothing for any other query.
std::optional<std::string> plain_table_of(const std::string& sql);

}  // namespace pond::connectors::postgres
