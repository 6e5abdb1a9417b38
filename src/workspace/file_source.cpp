#include "workspace/file_source.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "engine/error.hpp"
#include "engine/sql_text.hpp"

namespace pond::workspace {
namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string detect_file_format(std::string_view pattern) {
  std::string p(pattern);
  std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::string_view compressed : {".gz", ".zst"}) {
    if (ends_with(p, compressed)) p.resize(p.size() - compressed.size());
  }
  if (ends_with(p, ".csv") || ends_with(p, ".tsv") || ends_with(p, ".txt")) return "csv";
  if (ends_with(p, ".parquet") || ends_with(p, ".pq")) return "parquet";
  if (ends_with(p, ".json") || ends_with(p, ".ndjson") || ends_with(p, ".jsonl")) return "json";
  return "";
}

std::string file_reader_sql(const std::string& format, const std::string& absolute_pattern) {
  std::string path = sql::quote_literal(absolute_pattern);
  if (format == "csv") return "SELECT * FROM read_csv(" + path + ")";
  if (format == "parquet") return "SELECT * FROM read_parquet(" + path + ")";
  if (format == "json") return "SELECT * FROM read_json(" + path + ")";
  throw Error(ErrorKind::invalid_input, "unknown file format '" + format + "'; use FORMAT csv, parquet or json");
}

std::string absolute_location(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p(path);
  if (!path.empty() && path[0] == '~') {
    const char* home = std::getenv("HOME");
    if (home) p = fs::path(home) / path.substr(path.size() > 1 && path[1] == '/' ? 2 : 1);
  }
  return fs::absolute(p).lexically_normal().string();
}

}  // namespace pond::workspace
