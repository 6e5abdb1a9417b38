#pragma once
// What a registered source reads, so that two registrations of the same thing can be found:
// one file under two aliases (through a symlink, `./x` or `../dir/x` too), or one database
// server reached with the same connection string and secret. Pure functions of the records;
// the file system is only read to resolve paths. Thread-safe.

#include <string>
#include <vector>

#include "workspace/source.hpp"

namespace pond::workspace {

// A key equal for two records that read the same thing: for file kinds (duckdb, sqlite,
// files) the real path (symlinks and `..` resolved; for a glob or a missing file, as far as
// the path exists); for postgres and mysql the kind, the connection string and the secret
// name. Other options (all_varchar, timeouts) do not count.
std::string source_target_key(const SourceRecord& record);

// The aliases of `registered`, other than `record.alias` itself (case-insensitive), whose
// target is the same as `record`'s, in registry order.
std::vector<std::string> aliases_with_same_target(const SourceRecord& record,
                                                  const std::vector<SourceRecord>& registered);

}  // namespace pond::workspace
