#include "workspace/source.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "engine/error.hpp"

namespace pond::workspace {

std::string_view source_kind_name(SourceKind kind) {
  switch (kind) {
    case SourceKind::duckdb:
      return "duckdb";
    case SourceKind::files:
      return "files";
    case SourceKind::sqlite:
      return "sqlite";
    case SourceKind::postgres:
      return "postgres";
    case SourceKind::mysql:
      return "mysql";
  }
  return "duckdb";
}

SourceKind parse_source_kind(std::string_view text) {
  std::string t(text);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (SourceKind k :
       {SourceKind::duckdb, SourceKind::files, SourceKind::sqlite, SourceKind::postgres, SourceKind::mysql}) {
    if (t == source_kind_name(k)) return k;
  }
  throw Error(ErrorKind::usage,
              "unknown source kind '" + std::string(text) + "'; expected duckdb, files, sqlite, postgres or mysql");
}

}  // namespace pond::workspace
