// MysqlSettings: connection strings, URIs, secrets and options; no server needed.

#include "connectors/mysql/mysql_settings.hpp"

#include <gtest/gtest.h>

#include "connectors/mysql/mysql_utils.hpp"
#include "engine/error.hpp"

namespace pond::connectors::mysql {
namespace {

workspace::ConnectionSettings with_location(const std::string& location) {
  workspace::ConnectionSettings settings;
  settings.alias = "shop";
  settings.location = location;
  return settings;
}

std::string error_of(const workspace::ConnectionSettings& settings) {
  try {
    MysqlSettings::parse(settings);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
    return error.what();
  }
  ADD_FAILURE() << "no error for '" << settings.location << "'";
  return "";
}

TEST(MysqlSettings, KeyValuePairsAreParsed) {
  auto s = MysqlSettings::parse(with_location("host=127.0.0.1 port=3307 database=shop user=analyst"));
  EXPECT_EQ(s.host, "127.0.0.1");
  EXPECT_EQ(s.port, 3307u);
  EXPECT_EQ(s.database, "shop");
  EXPECT_EQ(s.user, "analyst");
  EXPECT_EQ(s.connect_timeout, 10u);
  EXPECT_EQ(s.read_timeout, 0u);
  EXPECT_EQ(s.endpoint(), "127.0.0.1:3307/shop");
  EXPECT_EQ(s.describe(), "MySQL source 'shop' (127.0.0.1:3307/shop)");
}

TEST(MysqlSettings, QuotedValuesKeepSpacesAndEscapes) {
  auto s = MysqlSettings::parse(with_location(R"(host = db.local  database='my shop' user="o\"neil")"));
  EXPECT_EQ(s.host, "db.local");
  EXPECT_EQ(s.database, "my shop");
  EXPECT_EQ(s.user, "o\"neil");
}

TEST(MysqlSettings, UriIsParsed) {
  auto s = MysqlSettings::parse(with_location("mysql://analyst@10.0.0.5:3310/sales%20db?connect_timeout=3"));
  EXPECT_EQ(s.user, "analyst");
  EXPECT_EQ(s.host, "10.0.0.5");
  EXPECT_EQ(s.port, 3310u);
  EXPECT_EQ(s.database, "sales db");
  EXPECT_EQ(s.connect_timeout, 3u);
  auto m = MysqlSettings::parse(with_location("mariadb://[::1]/shop"));
  EXPECT_EQ(m.host, "::1");
  EXPECT_EQ(m.endpoint(), "[::1]:3306/shop");
}

TEST(MysqlSettings, SecretFillsWhatTheLocationLeavesOut) {
  auto settings = with_location("host=127.0.0.1 user=analyst");
  settings.secret = {{"password", "s3cret"}, {"user", "other"}, {"database", "shop"}, {"port", "3309"}};
  auto s = MysqlSettings::parse(settings);
  EXPECT_EQ(s.password, "s3cret");
  EXPECT_EQ(s.user, "analyst");  // the location wins
  EXPECT_EQ(s.database, "shop");
  EXPECT_EQ(s.port, 3309u);
  EXPECT_EQ(s.describe().find("s3cret"), std::string::npos);
}

TEST(MysqlSettings, OptionsAreReadAndUnknownOnesRejected) {
  auto settings = with_location("host=h");
  settings.options = {{"connect_timeout", "5"},
                      {"read_timeout", "30s"},
                      {"tinyint1_as_boolean", "true"},
                      {"time_as_interval", "1"},
                      {"secret", "shop_secret"}};
  auto s = MysqlSettings::parse(settings);
  EXPECT_EQ(s.connect_timeout, 5u);
  EXPECT_EQ(s.read_timeout, 30u);
  EXPECT_TRUE(s.tinyint1_as_boolean);
  EXPECT_TRUE(s.time_as_interval);
  settings.options = {{"fetch_size", "10"}};
  EXPECT_NE(error_of(settings).find("unknown option 'fetch_size'"), std::string::npos);
}

TEST(MysqlSettings, PasswordInTheLocationIsRejectedWithoutEchoingIt) {
  std::string message = error_of(with_location("host=h password=hunter2"));
  EXPECT_NE(message.find("secret"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  message = error_of(with_location("mysql://bob:hunter2@h/db"));
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST(MysqlSettings, BadValuesNameTheKey) {
  EXPECT_NE(error_of(with_location("host=h port=abc")).find("invalid port 'abc'"), std::string::npos);
  EXPECT_NE(error_of(with_location("host=h port=70000")).find("invalid port"), std::string::npos);
  EXPECT_NE(error_of(with_location("host=h colour=red")).find("unknown key 'colour'"), std::string::npos);
  EXPECT_NE(error_of(with_location("host='h")).find("unterminated"), std::string::npos);
  EXPECT_NE(error_of(with_location("postgres://h/db")).find("unsupported URI scheme"), std::string::npos);
}

TEST(MysqlQuoting, IdentifiersUseBackticksWithEmbeddedBackticksDoubled) {
  EXPECT_EQ(quote_identifier("orders"), "`orders`");
  EXPECT_EQ(quote_identifier("we`ird"), "`we``ird`");
  EXPECT_EQ(quote_identifier("Mixed Case"), "`Mixed Case`");
  EXPECT_EQ(qualified_name("shop", "a`b"), "`shop`.`a``b`");
  EXPECT_THROW(quote_identifier(std::string("a\0b", 3)), Error);
}

}  // namespace
}  // namespace pond::connectors::mysql
