#include "connectors/mysql/mysql_settings.hpp"

#include <cctype>
#include <charconv>
#include <map>
#include <string_view>

#include "engine/error.hpp"

namespace pond::connectors::mysql {
namespace {

using Pairs = std::map<std::string, std::string>;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

[[noreturn]] void fail(const std::string& alias, const std::string& what) {
  throw Error(ErrorKind::invalid_input, "MySQL source '" + alias + "': " + what);
}

// key=value pairs separated by blanks; a value may be quoted with ' or ", with \ escaping
// the next character inside quotes.
Pairs parse_pairs(const std::string& alias, std::string_view text) {
  Pairs out;
  size_t i = 0;
  auto skip_blanks = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  for (skip_blanks(); i < text.size(); skip_blanks()) {
    size_t key_start = i;
    while (i < text.size() && text[i] != '=' && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::string key = lower(text.substr(key_start, i - key_start));
    skip_blanks();
    if (i >= text.size() || text[i] != '=')
      fail(alias, "expected key=value in the connection string near '" + key + "'");
    ++i;
    skip_blanks();
    std::string value;
    if (i < text.size() && (text[i] == '\'' || text[i] == '"')) {
      char quote = text[i++];
      while (i < text.size() && text[i] != quote) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value.push_back(text[i++]);
      }
      if (i >= text.size()) fail(alias, "unterminated quoted value for '" + key + "' in the connection string");
      ++i;
    } else {
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) value.push_back(text[i++]);
    }
    out[key] = value;
  }
  return out;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned code = 0;
    if (text[i] == '%' && i + 2 < text.size() &&
        std::from_chars(text.data() + i + 1, text.data() + i + 3, code, 16).ptr == text.data() + i + 3) {
      out.push_back(static_cast<char>(code));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// mysql://[user@]host[:port][/database][?key=value&...] (also mariadb://).
Pairs parse_uri(const std::string& alias, std::string_view text) {
  Pairs out;
  text.remove_prefix(text.find("://") + 3);
  if (size_t q = text.find('?'); q != std::string_view::npos) {
    std::string_view query = text.substr(q + 1);
    text = text.substr(0, q);
    while (!query.empty()) {
      size_t amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos) fail(alias, "expected key=value in the URI query");
      out[lower(pair.substr(0, eq))] = percent_decode(pair.substr(eq + 1));
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
  }
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    if (slash + 1 < text.size()) out["database"] = percent_decode(text.substr(slash + 1));
    text = text.substr(0, slash);
  }
  if (size_t at = text.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = text.substr(0, at);
    // The value after ':' is never echoed.
    if (userinfo.find(':') != std::string_view::npos) out["password"] = "";
    out["user"] = percent_decode(userinfo.substr(0, userinfo.find(':')));
    text = text.substr(at + 1);
  }
  if (!text.empty() && text.front() == '[') {  // [IPv6]:port
    size_t close = text.find(']');
    if (close == std::string_view::npos) fail(alias, "unterminated '[' in the URI host");
    out["host"] = std::string(text.substr(1, close - 1));
    text = text.substr(close + 1);
    if (!text.empty() && text.front() == ':') out["port"] = std::string(text.substr(1));
  } else if (size_t colon = text.find(':'); colon != std::string_view::npos) {
    out["host"] = std::string(text.substr(0, colon));
    out["port"] = std::string(text.substr(colon + 1));
  } else if (!text.empty()) {
    out["host"] = std::string(text);
  }
  return out;
}

unsigned parse_number(const std::string& alias, const std::string& key, std::string_view value, unsigned max) {
  if (!value.empty() && value.back() == 's' && key != "port") value.remove_suffix(1);
  unsigned out = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || end != value.data() + value.size() || out > max || (key == "port" && out == 0)) {
    fail(alias, "invalid " + key + " '" + std::string(value) + "' (expected a whole number up to " +
                    std::to_string(max) + ")");
  }
  return out;
}

bool parse_bool(const std::string& alias, const std::string& key, const std::string& value) {
  std::string v = lower(value);
  if (v == "true" || v == "1" || v == "on" || v == "yes" || v.empty()) return true;
  if (v == "false" || v == "0" || v == "off" || v == "no") return false;
  fail(alias, "invalid " + key + " '" + value + "' (expected true or false)");
}

// The canonical name of a connection key, or "" when unknown.
std::string canonical_key(const std::string& key) {
  static const std::map<std::string, std::string> kNames = {{"host", "host"},
                                                            {"hostname", "host"},
                                                            {"port", "port"},
                                                            {"database", "database"},
                                                            {"dbname", "database"},
                                                            {"db", "database"},
                                                            {"user", "user"},
                                                            {"username", "user"},
                                                            {"socket", "socket"},
                                                            {"unix_socket", "socket"},
                                                            {"password", "password"},
                                                            {"passwd", "password"},
                                                            {"connect_timeout", "connect_timeout"},
                                                            {"read_timeout", "read_timeout"},
                                                            {"tinyint1_as_boolean", "tinyint1_as_boolean"},
                                                            {"time_as_interval", "time_as_interval"}};
  auto it = kNames.find(key);
  return it == kNames.end() ? "" : it->second;
}

void apply(MysqlSettings& out, const std::string& key, const std::string& value) {
  constexpr unsigned kMaxTimeout = 86400;
  if (key == "host") out.host = value;
  if (key == "port") out.port = parse_number(out.alias, key, value, 65535);
  if (key == "database") out.database = value;
  if (key == "user") out.user = value;
  if (key == "socket") out.socket = value;
  if (key == "connect_timeout") out.connect_timeout = parse_number(out.alias, key, value, kMaxTimeout);
  if (key == "read_timeout") out.read_timeout = parse_number(out.alias, key, value, kMaxTimeout);
  if (key == "tinyint1_as_boolean") out.tinyint1_as_boolean = parse_bool(out.alias, key, value);
  if (key == "time_as_interval") out.time_as_interval = parse_bool(out.alias, key, value);
}

// "mysql" for "mysql://...", "" when the text is not a URI.
std::string uri_scheme(std::string_view text) {
  size_t end = text.find("://");
  if (end == std::string_view::npos || end == 0) return "";
  for (char c : text.substr(0, end)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+') return "";
  }
  return lower(text.substr(0, end));
}

}  // namespace

MysqlSettings MysqlSettings::parse(const workspace::ConnectionSettings& settings) {
  MysqlSettings out;
  out.alias = settings.alias;
  out.read_only = settings.read_only;
  std::string_view location = settings.location;
  std::string scheme = uri_scheme(location);
  if (!scheme.empty() && scheme != "mysql" && scheme != "mariadb") {
    fail(out.alias, "unsupported URI scheme '" + scheme + "://' (use mysql:// or key=value pairs)");
  }
  Pairs location_pairs = scheme.empty() ? parse_pairs(out.alias, location) : parse_uri(out.alias, location);

  // The secret fills in what the location leaves out; the location wins where both say.
  for (const auto& [key, value] : settings.secret) {
    std::string name = canonical_key(key);
    if (name == "host" || name == "port" || name == "database" || name == "user") apply(out, name, value);
    if (name == "password") out.password = value;
  }
  for (const auto& [key, value] : location_pairs) {
    std::string name = canonical_key(key);
    if (name.empty()) {
      fail(out.alias, "unknown key '" + key +
                          "' in the connection string (known: host, port, database, user, socket, "
                          "connect_timeout, read_timeout)");
    }
    if (name == "password") {
      fail(out.alias, "the connection string must not contain a password; put it in a secret (CREATE SECRET ...)");
    }
    apply(out, name, value);
  }
  for (const auto& [key, value] : settings.options) {
    // Options the workspace itself consumes.
    if (key == "secret" || key == "type" || key == "read_only" || key == "read_write") continue;
    std::string name = canonical_key(key);
    if (name != "connect_timeout" && name != "read_timeout" && name != "tinyint1_as_boolean" &&
        name != "time_as_interval") {
      fail(out.alias, "unknown option '" + key +
                          "' (known: connect_timeout, read_timeout, tinyint1_as_boolean, time_as_interval)");
    }
    apply(out, name, value);
  }
  if (out.connect_timeout == 0) out.connect_timeout = kDefaultConnectTimeout;
  return out;
}

std::string MysqlSettings::endpoint() const {
  std::string where;
  if (!socket.empty() && (host.empty() || host == "localhost")) {
    where = socket;
  } else {
    std::string h = host.empty() ? "localhost" : host;
    if (h.find(':') != std::string::npos) h = "[" + h + "]";
    where = h + ":" + std::to_string(port == 0 ? kDefaultPort : port);
  }
  return database.empty() ? where : where + "/" + database;
}

std::string MysqlSettings::describe() const { return "MySQL source '" + alias + "' (" + endpoint() + ")"; }

}  // namespace pond::connectors::mysql
