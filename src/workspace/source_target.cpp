#include "workspace/source_target.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>

#include "workspace/text_util.hpp"

namespace pond::workspace {

std::string source_target_key(const SourceRecord& record) {
  switch (record.kind) {
    case SourceKind::duckdb:
    case SourceKind::sqlite:
    case SourceKind::files: {
      std::error_code ec;
      // weakly_canonical resolves the part of the path that exists (the folder of a glob).
      std::filesystem::path real = std::filesystem::weakly_canonical(record.location, ec);
      return "file:" + (ec ? std::filesystem::path(record.location).lexically_normal().string() : real.string());
    }
    case SourceKind::postgres:
    case SourceKind::mysql: {
      std::string secret;
      nlohmann::json options = nlohmann::json::parse(record.options.empty() ? "{}" : record.options, nullptr, false);
      if (options.is_object() && options.contains("secret") && options["secret"].is_string())
        secret = options["secret"].get<std::string>();
      // The length prefix keeps "a|b" + "c" apart from "a" + "b|c".
      return std::string(source_kind_name(record.kind)) + ":" + std::to_string(record.location.size()) + ":" +
             record.location + "|" + lower(secret);
    }
  }
  return "";
}

std::vector<std::string> aliases_with_same_target(const SourceRecord& record,
                                                  const std::vector<SourceRecord>& registered) {
  const std::string key = source_target_key(record);
  const std::string self = lower(record.alias);
  std::vector<std::string> out;
  for (const SourceRecord& other : registered) {
    if (lower(other.alias) == self) continue;
    if (source_target_key(other) == key) out.push_back(other.alias);
  }
  return out;
}

}  // namespace pond::workspace
