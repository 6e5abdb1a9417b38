#pragma once
// Reading a catalog file into a Catalog: YAML structure, keys (unknown ones with a "did you
// mean"), value types, required keys, duplicate keys and names, ${VAR} interpolation, paths
// relative to the file that names them, `include:` (with cycle detection) and sql_file
// reading. Every problem found is reported at once, each as file:line:column, in one
// pond::Error(invalid_input); nothing outside the catalog's files is looked at (see
// validate_catalog for the checks that need the file system or DuckDB). Thread-safe.

#include <filesystem>
#include <string>

#include "catalog/catalog.hpp"
#include "catalog/env_interpolation.hpp"

namespace pond::catalog {

struct ParseOptions {
  EnvLookup env = process_environment();
};

// `file` as the user wrote it; it is what error locations show.
Catalog parse_catalog_file(const std::filesystem::path& file, const ParseOptions& options = {});

}  // namespace pond::catalog
