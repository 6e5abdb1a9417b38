#pragma once
// How a file source (CSV, Parquet, JSON/NDJSON, or a glob of them) becomes a DuckDB view.

#include <string>
#include <string_view>

namespace pond::workspace {

// "csv", "parquet" or "json" from the pattern's extension (".csv.gz", ".tsv", ".ndjson",
// ".jsonl" included); empty when the extension says nothing.
std::string detect_file_format(std::string_view pattern);

// The SELECT that reads the files, e.g. SELECT * FROM read_parquet('/abs/*.parquet').
// Throws pond::Error(invalid_input) for an unknown format.
std::string file_reader_sql(const std::string& format, const std::string& absolute_pattern);

// An absolute, normalized form of a path or glob (relative ones resolve against the
// current directory).
std::string absolute_location(const std::string& path);

}  // namespace pond::workspace
