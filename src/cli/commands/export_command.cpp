// `pond export`: COPY (query) TO file, with the format taken from the file name by default.

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>

#include "cli/commands/commands.hpp"
#include "cli/interrupt_watcher.hpp"
#include "engine/error.hpp"
#include "engine/sql_text.hpp"
#include "workspace/statement_splitter.hpp"

namespace pond::cli {
namespace {

std::string format_from_file_name(const std::string& file) {
  std::string name = std::filesystem::path(file).filename().string();
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* suffix : {".gz", ".zst"}) {
    if (name.ends_with(suffix)) name.resize(name.size() - std::string_view(suffix).size());
  }
  if (name.ends_with(".parquet") || name.ends_with(".pq")) return "parquet";
  if (name.ends_with(".csv")) return "csv";
  if (name.ends_with(".json") || name.ends_with(".ndjson") || name.ends_with(".jsonl")) return "json";
  throw Error(ErrorKind::usage,
              "cannot tell the format of '" + file + "' from its name; pass --format parquet, csv or json");
}

std::string copy_options(const std::string& format) {
  if (format == "parquet") return "(FORMAT parquet, COMPRESSION zstd)";
  if (format == "csv") return "(FORMAT csv, HEADER true)";
  if (format == "json") return "(FORMAT json)";
  throw Error(ErrorKind::usage, "unknown export format '" + format + "' (use parquet, csv or json)");
}

void require_target_folder(const std::string& file) {
  std::filesystem::path folder = std::filesystem::path(file).parent_path();
  if (folder.empty()) return;
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec))
    throw Error(ErrorKind::not_found,
                "cannot export to '" + file + "': folder '" + folder.string() + "' does not exist");
}

}  // namespace

int run_export(const GlobalOptions& global, const ExportArgs& args) {
  const std::string format = args.format.empty() ? format_from_file_name(args.to) : args.format;
  const std::string options = copy_options(format);
  const std::vector<std::string> statements = workspace::split_statements(args.sql);
  if (statements.size() != 1) throw Error(ErrorKind::usage, "export takes exactly one query");
  require_target_folder(args.to);

  auto workspace = open_workspace(global);
  InterruptWatcher watcher([&workspace] { workspace->interrupt(); });
  const std::string copy = "COPY (" + statements[0] + ") TO " + sql::quote_literal(args.to) + " " + options;
  engine::Result result = workspace->execute(copy);
  int64_t rows = result.rows_changed();
  if (result.returns_rows()) {
    auto all = result.fetch_all();
    if (!all.empty() && !all[0].empty() && !all[0][0].is_null()) rows = all[0][0].as_int64();
  }
  std::cout << "wrote " << rows << (rows == 1 ? " row" : " rows") << " to " << args.to << " (" << format << ")\n";
  return 0;
}

}  // namespace pond::cli
