#include "connectors/postgres/pg_settings.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <map>
#include <memory>

namespace pond::connectors::postgres {
namespace {

using ConninfoOptions = std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)>;

[[noreturn]] void invalid(const std::string& alias, const std::string& what) {
  throw Error(ErrorKind::invalid_input, "postgres source '" + alias + "': " + what);
}

std::map<std::string, std::string> parse_location(const std::string& alias, const std::string& location) {
  char* error = nullptr;
  ConninfoOptions parsed(PQconninfoParse(location.c_str(), &error), PQconninfoFree);
  if (!parsed) {
    std::string message = error ? error : "out of memory";
    PQfreemem(error);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    invalid(alias, "the connection string is malformed: " + message);
  }
  std::map<std::string, std::string> out;
  for (PQconninfoOption* o = parsed.get(); o->keyword; ++o) {
    if (o->val && *o->val) out[o->keyword] = o->val;
  }
  if (out.contains("password")) {
    invalid(alias, "the connection string contains a password; put it in a secret (CREATE SECRET ... PASSWORD_ENV)");
  }
  return out;
}

std::map<std::string, std::string> libpq_defaults() {
  std::map<std::string, std::string> out;
  ConninfoOptions defaults(PQconndefaults(), PQconninfoFree);
  if (!defaults) return out;
  for (PQconninfoOption* o = defaults.get(); o->keyword; ++o) {
    out[o->keyword] = o->val ? o->val : "";
  }
  return out;
}

// Secret fields (user, password, host, port, dbname; username and database too) as libpq
// keywords; other libpq keywords (sslmode, sslcert ...) pass through, and anything else
// (type, provider ...) is not libpq's. The secret fills in what the connection string leaves
// out: a value written in the connection string wins (as in DuckDB's postgres extension, and
// the same rule as the MySQL connector; docs/sql.md, CREATE SECRET).
void merge_secret(const std::map<std::string, std::string>& secret, const std::map<std::string, std::string>& known,
                  std::map<std::string, std::string>& params) {
  static const std::map<std::string, std::string> kAliases = {{"username", "user"}, {"database", "dbname"}};
  for (const auto& [key, value] : secret) {
    auto alias = kAliases.find(key);
    const std::string& keyword = alias == kAliases.end() ? key : alias->second;
    if (known.contains(keyword) && !value.empty() && !params.contains(keyword)) params[keyword] = value;
  }
}

int64_t parse_integer(const std::string& alias, const std::string& name, const std::string& text, int64_t min,
                      int64_t max) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    invalid(alias, "option " + name + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                       ", not '" + text + "'");
  }
  return value;
}

PgOptions parse_options(const std::string& alias, const std::map<std::string, std::string>& given) {
  PgOptions options;
  for (const auto& [name, value] : given) {
    if (name == "connect_timeout") {
      options.connect_timeout_s = static_cast<int>(parse_integer(alias, name, value, 1, 3600));
    } else if (name == "statement_timeout") {
      options.statement_timeout_ms = parse_integer(alias, name, value, 0, INT32_MAX);
    } else if (name == "schema") {
      if (value.empty()) invalid(alias, "option schema must name a schema");
      options.schema = value;
    } else if (name == "pages_per_task") {
      options.pages_per_task = static_cast<uint64_t>(parse_integer(alias, name, value, 1, INT32_MAX));
    } else if (name == "max_connections") {
      options.max_connections = static_cast<size_t>(parse_integer(alias, name, value, 1, 64));
    } else {
      invalid(alias, "unknown option " + name +
                         " (accepted: connect_timeout, statement_timeout, schema, pages_per_task, max_connections)");
    }
  }
  return options;
}

std::string value_or(const std::map<std::string, std::string>& map, const std::string& key,
                     const std::string& fallback) {
  auto it = map.find(key);
  return it == map.end() || it->second.empty() ? fallback : it->second;
}

std::string server_label(const std::map<std::string, std::string>& params,
                         const std::map<std::string, std::string>& defaults) {
  std::string host = value_or(params, "host", value_or(params, "hostaddr", value_or(defaults, "host", "localhost")));
  std::string port = value_or(params, "port", value_or(defaults, "port", "5432"));
  std::string user = value_or(params, "user", value_or(defaults, "user", ""));
  std::string dbname = value_or(params, "dbname", value_or(defaults, "dbname", user));
  return host + ":" + port + "/" + dbname;
}

// Settings that the server applies to every session of the source.
std::string session_options(const std::string& given, const PgOptions& options, bool read_only) {
  std::string out = given;
  auto add = [&out](const std::string& setting) {
    if (!out.empty()) out += ' ';
    out += "-c " + setting;
  };
  if (options.statement_timeout_ms) add("statement_timeout=" + std::to_string(*options.statement_timeout_ms));
  if (read_only) add("default_transaction_read_only=on");
  return out;
}

}  // namespace

PgSettings PgSettings::from(const workspace::ConnectionSettings& settings) {
  PgSettings out;
  out.alias_ = settings.alias;
  out.read_only_ = settings.read_only;
  out.options_ = parse_options(settings.alias, settings.options);

  std::map<std::string, std::string> defaults = libpq_defaults();
  std::map<std::string, std::string> params = parse_location(settings.alias, settings.location);
  merge_secret(settings.secret, defaults, params);
  out.password_ = value_or(params, "password", "");
  out.server_ = server_label(params, defaults);

  // connect_timeout may also come from the connection string; the ATTACH option wins.
  if (settings.options.contains("connect_timeout") || !params.contains("connect_timeout")) {
    params["connect_timeout"] = std::to_string(out.options_.connect_timeout_s);
  } else {
    out.options_.connect_timeout_s =
        static_cast<int>(parse_integer(settings.alias, "connect_timeout", params["connect_timeout"], 1, 3600));
  }
  params["client_encoding"] = "UTF8";
  if (!params.contains("application_name")) params["application_name"] = "pond";
  // A server that vanishes without closing the connection (host down, network cut) is noticed
  // within about a minute instead of the operating system's two hours.
  for (const auto& [keyword, value] : {std::pair<const char*, const char*>{"keepalives_idle", "30"},
                                       {"keepalives_interval", "10"},
                                       {"keepalives_count", "3"}}) {
    if (!params.contains(keyword)) params[keyword] = value;
  }
  std::string session = session_options(value_or(params, "options", ""), out.options_, out.read_only_);
  if (!session.empty()) params["options"] = session;
  out.params_.assign(params.begin(), params.end());
  return out;
}

std::string PgSettings::scrub(std::string message) const {
  if (password_.empty()) return message;
  for (size_t at = message.find(password_); at != std::string::npos; at = message.find(password_, at)) {
    message.replace(at, password_.size(), "********");
    at += 8;
  }
  return message;
}

std::string PgSettings::describe(const std::string& what) const {
  return scrub("postgres source '" + alias_ + "' (" + server_ + "): " + what);
}

}  // namespace pond::connectors::postgres
