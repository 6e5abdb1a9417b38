#include "workspace/secret_store.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/error.hpp"
#include "workspace/text_util.hpp"

namespace pond::workspace {
namespace {

constexpr std::array<const char*, 9> kSecretFields = {"user", "password", "password_env", "password_file", "host",
                                                      "port", "database", "dbname",       "sslmode"};

void validate(const SecretDefinition& s) {
  if (s.name.empty()) throw Error(ErrorKind::invalid_input, "a secret needs a name");
  if (s.type != "postgres" && s.type != "mysql") {
    throw Error(ErrorKind::invalid_input,
                "secret '" + s.name + "': TYPE must be POSTGRES or MYSQL (got '" + s.type + "')");
  }
  for (const auto& [key, value] : s.fields) {
    if (std::find_if(kSecretFields.begin(), kSecretFields.end(), [&](const char* k) { return key == k; }) ==
        kSecretFields.end()) {
      throw Error(ErrorKind::invalid_input, "secret '" + s.name + "': unknown field " + key +
                                                "; expected USER, PASSWORD, PASSWORD_ENV, PASSWORD_FILE, HOST, PORT, "
                                                "DATABASE or SSLMODE");
    }
  }
  int password_sources =
      int(s.fields.count("password")) + int(s.fields.count("password_env")) + int(s.fields.count("password_file"));
  if (password_sources > 1) {
    throw Error(ErrorKind::invalid_input,
                "secret '" + s.name + "': give only one of PASSWORD, PASSWORD_ENV and PASSWORD_FILE");
  }
  if (s.persistent && s.fields.count("password")) {
    throw Error(ErrorKind::invalid_input, "secret '" + s.name +
                                              "': a persistent secret never stores a password in the workspace; use "
                                              "PASSWORD_ENV 'VAR' or PASSWORD_FILE '/path' (mode 0600) instead");
  }
}

std::string read_password_file(const std::string& secret, const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    throw Error(ErrorKind::not_found, "secret '" + secret + "': password file '" + path + "' does not exist");
  }
  if ((st.st_mode & 077) != 0) {
    throw Error(ErrorKind::invalid_input,
                "secret '" + secret + "': password file '" + path + "' is readable by others; run chmod 600 on it");
  }
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    throw Error(ErrorKind::io, "secret '" + secret + "': cannot read password file '" + path + "'");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

std::optional<SecretDefinition> SecretStore::find(const std::string& name) {
  if (auto it = temporary_.find(lower(name)); it != temporary_.end()) return it->second;
  return find_persistent(name);
}

std::optional<SecretDefinition> SecretStore::persistent(const std::string& name) {
  std::lock_guard lock(mutex_);
  return find_persistent(name);
}

std::optional<SecretDefinition> SecretStore::find_persistent(const std::string& name) {
  if (!registry_present_) return std::nullopt;
  std::array<engine::Param, 1> params{name};
  auto rows =
      connection_.execute("SELECT name, type, fields FROM pond_meta.secrets WHERE lower(name) = lower(?)", params)
          .fetch_all();
  if (rows.empty()) return std::nullopt;
  SecretDefinition s{rows[0][0].to_string(), rows[0][1].to_string(), true, {}};
  const nlohmann::json fields = nlohmann::json::parse(rows[0][2].to_string());
  for (auto it = fields.begin(); it != fields.end(); ++it) s.fields[it.key()] = it.value().get<std::string>();
  return s;
}

bool SecretStore::contains(const std::string& name) {
  std::lock_guard lock(mutex_);
  return find(name).has_value();
}

void SecretStore::create(SecretDefinition secret, bool or_replace, bool if_not_exists) {
  secret.type = lower(secret.type);
  if (secret.type == "postgresql") secret.type = "postgres";
  validate(secret);
  std::lock_guard lock(mutex_);
  if (find(secret.name)) {
    if (if_not_exists) return;
    if (!or_replace) {
      throw Error(ErrorKind::invalid_input,
                  "secret '" + secret.name + "' already exists; use CREATE OR REPLACE SECRET or DROP SECRET first");
    }
    temporary_.erase(lower(secret.name));
    if (registry_present_) {
      std::array<engine::Param, 1> params{secret.name};
      connection_.execute("DELETE FROM pond_meta.secrets WHERE lower(name) = lower(?)", params);
    }
  }
  if (!secret.persistent) {
    temporary_[lower(secret.name)] = std::move(secret);
    return;
  }
  if (!registry_present_)
    throw Error(ErrorKind::invalid_input, "the workspace is read-only; persistent secrets need write access");
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [k, v] : secret.fields) fields[k] = v;
  std::array<engine::Param, 3> params{secret.name, secret.type, fields.dump()};
  connection_.execute("INSERT INTO pond_meta.secrets (name, type, fields) VALUES (?, ?, ?)", params);
}

bool SecretStore::drop(const std::string& name, bool if_exists) {
  std::lock_guard lock(mutex_);
  if (temporary_.erase(lower(name))) return true;
  if (registry_present_) {
    std::array<engine::Param, 1> params{name};
    if (connection_.execute("DELETE FROM pond_meta.secrets WHERE lower(name) = lower(?)", params).rows_changed() > 0) {
      return true;
    }
  }
  if (!if_exists) throw Error(ErrorKind::not_found, "no secret named '" + name + "'");
  return false;
}

std::map<std::string, std::string> SecretStore::resolve(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto secret = find(name);
  if (!secret) {
    throw Error(ErrorKind::not_found, "secret '" + name +
                                          "' does not exist in this session; CREATE SECRET it (a temporary secret "
                                          "lasts one session, CREATE PERSISTENT SECRET is kept in the workspace)");
  }
  std::map<std::string, std::string> out = secret->fields;
  if (auto it = out.find("password_env"); it != out.end()) {
    const char* value = std::getenv(it->second.c_str());
    if (!value) {
      throw Error(ErrorKind::invalid_input,
                  "secret '" + secret->name + "': environment variable " + it->second + " is not set");
    }
    out["password"] = value;
    out.erase(it);
  }
  if (auto it = out.find("password_file"); it != out.end()) {
    out["password"] = read_password_file(secret->name, it->second);
    out.erase(it);
  }
  if (auto it = out.find("dbname"); it != out.end()) {
    out["database"] = it->second;
    out.erase(it);
  }
  return out;
}

std::vector<SecretSummary> SecretStore::list() {
  std::lock_guard lock(mutex_);
  std::vector<SecretSummary> out;
  auto summarize = [&](const SecretDefinition& s) {
    SecretSummary sum{s.name, s.type, s.persistent, {}};
    for (const auto& [k, v] : s.fields) sum.fields.push_back(k);
    out.push_back(std::move(sum));
  };
  for (const auto& [key, s] : temporary_) summarize(s);
  if (registry_present_) {
    for (const auto& row : connection_.query("SELECT name FROM pond_meta.secrets ORDER BY name").fetch_all()) {
      if (auto s = find(row[0].to_string())) summarize(*s);
    }
  }
  return out;
}

}  // namespace pond::workspace
