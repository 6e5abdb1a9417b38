#pragma once
// SecretStore — credentials for connector sources, by name. Temporary secrets live in this
// process only; persistent ones are stored in pond_meta.secrets as *references* (user, host,
// PASSWORD_ENV, PASSWORD_FILE), never as a plaintext password. Values are resolved at connect
// time and never appear in messages. Thread-safe.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/connection.hpp"

namespace pond::workspace {

struct SecretDefinition {
  std::string name;
  std::string type;  // postgres | mysql
  bool persistent = false;
  std::map<std::string, std::string> fields;  // lower-case keys, see kSecretFields
};

// What SHOW SECRETS shows: no values.
struct SecretSummary {
  std::string name;
  std::string type;
  bool persistent = false;
  std::vector<std::string> fields;
};

class SecretStore {
 public:
  SecretStore(engine::Connection& connection, bool registry_present)
      : connection_(connection), registry_present_(registry_present) {}

  void create(SecretDefinition secret, bool or_replace, bool if_not_exists);
  // Returns false when no Pond secret has that name.
  bool drop(const std::string& name, bool if_exists);
  bool contains(const std::string& name);
  // The persistent secret of that name as stored (references only, never a password), or
  // nullopt; temporary secrets are not looked at.
  std::optional<SecretDefinition> persistent(const std::string& name);
  // user, password, host, port, database ... with PASSWORD_ENV / PASSWORD_FILE read now.
  std::map<std::string, std::string> resolve(const std::string& name);
  std::vector<SecretSummary> list();

 private:
  std::optional<SecretDefinition> find(const std::string& name);
  std::optional<SecretDefinition> find_persistent(const std::string& name);

  engine::Connection& connection_;
  bool registry_present_;
  std::mutex mutex_;
  std::map<std::string, SecretDefinition> temporary_;  // key: lower-cased name
};

}  // namespace pond::workspace
