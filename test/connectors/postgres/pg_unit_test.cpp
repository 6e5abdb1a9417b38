// Parts of the PostgreSQL connector that need no server: settings, type mapping, NUMERIC
// conversion and the statements it sends.

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "connectors/postgres/pg_numeric.hpp"
#include "connectors/postgres/pg_query.hpp"
#include "connectors/postgres/pg_settings.hpp"
#include "connectors/postgres/pg_statements.hpp"
#include "connectors/postgres/pg_types.hpp"

namespace pond::connectors::postgres {
namespace {

std::string numeric_bytes(int16_t weight, uint16_t sign, int16_t dscale, const std::vector<uint16_t>& digits) {
  std::string out;
  auto put = [&out](uint16_t v) {
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v & 0xff));
  };
  put(static_cast<uint16_t>(digits.size()));
  put(static_cast<uint16_t>(weight));
  put(sign);
  put(static_cast<uint16_t>(dscale));
  for (uint16_t d : digits) put(d);
  return out;
}

std::string to_text(Int128 v) {
  bool negative = v < 0;
  if (negative) v = -v;
  std::string s;
  do {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  return negative ? "-" + s : s;
}

workspace::ConnectionSettings base_settings() {
  workspace::ConnectionSettings s;
  s.alias = "pg";
  s.location = "host=db.example port=6543 dbname=sales";
  s.secret = {{"user", "ann"}, {"password", "s3cret-pw"}};
  return s;
}

std::string param(const PgSettings& settings, const std::string& key) {
  for (const auto& [k, v] : settings.params()) {
    if (k == key) return v;
  }
  return "<none>";
}

TEST(PgNumeric, DecimalKeepsEveryDigit) {
  // 12345.67 = 1 2345 . 6700 (weight 1)
  auto n_bytes = numeric_bytes(1, 0x0000, 2, {1, 2345, 6700});
  auto n = parse_numeric(n_bytes);
  ASSERT_TRUE(n);
  EXPECT_EQ(to_text(*numeric_unscaled(*n, 2)), "1234567");
  EXPECT_EQ(to_text(*numeric_unscaled(*n, 4)), "123456700");
}

TEST(PgNumeric, NegativeFractionBelowOne) {
  // -0.05 = 0500 at weight -1
  auto n_bytes = numeric_bytes(-1, 0x4000, 2, {500});
  auto n = parse_numeric(n_bytes);
  ASSERT_TRUE(n);
  EXPECT_EQ(to_text(*numeric_unscaled(*n, 2)), "-5");
  EXPECT_DOUBLE_EQ(numeric_to_double(*n), -0.05);
}

TEST(PgNumeric, ThirtyEightDigitsFitAndThirtyNineDoNot) {
  // 9999...9 (38 nines) with scale 0: weight 9, digits 99 then nine groups of 9999.
  std::vector<uint16_t> digits{99};
  for (int i = 0; i < 9; ++i) digits.push_back(9999);
  auto n_bytes = numeric_bytes(9, 0, 0, digits);
  auto n = parse_numeric(n_bytes);
  ASSERT_TRUE(n);
  EXPECT_EQ(to_text(*numeric_unscaled(*n, 0)), std::string(38, '9'));
  EXPECT_FALSE(numeric_unscaled(*n, 1));
}

TEST(PgNumeric, ZeroHasNoDigits) {
  auto n_bytes = numeric_bytes(0, 0, 2, {});
  auto n = parse_numeric(n_bytes);
  ASSERT_TRUE(n);
  EXPECT_EQ(to_text(*numeric_unscaled(*n, 2)), "0");
  EXPECT_EQ(numeric_to_double(*n), 0.0);
}

TEST(PgNumeric, SpecialValuesBecomeDoublesButNoDecimal) {
  auto nan_bytes = numeric_bytes(0, 0xC000, 0, {});
  auto nan = parse_numeric(nan_bytes);
  auto inf_bytes = numeric_bytes(0, 0xD000, 0, {});
  auto inf = parse_numeric(inf_bytes);
  auto ninf_bytes = numeric_bytes(0, 0xF000, 0, {});
  auto ninf = parse_numeric(ninf_bytes);
  ASSERT_TRUE(nan && inf && ninf);
  EXPECT_TRUE(std::isnan(numeric_to_double(*nan)));
  EXPECT_EQ(numeric_to_double(*inf), INFINITY);
  EXPECT_EQ(numeric_to_double(*ninf), -INFINITY);
  EXPECT_FALSE(numeric_unscaled(*nan, 2));
}

TEST(PgNumeric, DoubleIsCorrectlyRounded) {
  // 0.1 = 1000 at weight -1
  auto n_bytes = numeric_bytes(-1, 0, 1, {1000});
  auto n = parse_numeric(n_bytes);
  ASSERT_TRUE(n);
  EXPECT_EQ(numeric_to_double(*n), 0.1);
}

TEST(PgNumeric, MalformedBytesAreRejected) {
  EXPECT_FALSE(parse_numeric("abc"));
  EXPECT_FALSE(parse_numeric(numeric_bytes(0, 0x1234, 0, {1})));
}

TEST(PgTypes, NumericTypmodGivesDecimalUpToThirtyEightDigits) {
  auto typmod = [](int p, int s) { return ((p << 16) | (s & 0x7ff)) + 4; };
  EXPECT_EQ(numeric_precision(typmod(12, 2)), (std::pair<uint8_t, uint8_t>(12, 2)));
  EXPECT_EQ(numeric_precision(typmod(38, 38)), (std::pair<uint8_t, uint8_t>(38, 38)));
  EXPECT_FALSE(numeric_precision(typmod(39, 2)));
  EXPECT_FALSE(numeric_precision(-1));
  EXPECT_FALSE(numeric_precision(typmod(5, -2)));  // PostgreSQL 15 negative scale
  EXPECT_FALSE(numeric_precision(typmod(2, 5)));   // scale above precision
}

TEST(PgTypes, BuiltinTypesMapWithoutCatalog) {
  PgTypeDirectory none;
  EXPECT_EQ(map_type(20, -1, none).column.name(), "BIGINT");
  EXPECT_EQ(map_type(1184, -1, none).column.name(), "TIMESTAMP WITH TIME ZONE");
  EXPECT_EQ(map_type(1700, -1, none).column.name(), "DOUBLE");
  EXPECT_EQ(map_type(1700, ((10 << 16) | 3) + 4, none).column.name(), "DECIMAL(10,3)");
  EXPECT_EQ(map_type(3802, -1, none).column.name(), "VARCHAR");
  EXPECT_TRUE(map_type(3802, -1, none).native());
}

TEST(PgTypes, UnknownTypesAreCastToText) {
  PgTypeDirectory none;
  PgType inet = map_type(869, -1, none);
  EXPECT_EQ(inet.column.name(), "VARCHAR");
  EXPECT_EQ(inet.cast, "::text");
}

TEST(PgTypes, ArraysDomainsAndEnumsFollowTheCatalog) {
  PgTypeDirectory directory;
  directory[1007] = PgTypeRow{1007, 'b', 'A', 0, -1, 23};       // integer[]
  directory[1041] = PgTypeRow{1041, 'b', 'A', 0, -1, 869};      // inet[]
  directory[50000] = PgTypeRow{50000, 'e', 'E', 0, -1, 0};      // an enum
  directory[50001] = PgTypeRow{50001, 'd', 'N', 23, -1, 0};     // a domain over integer
  directory[50002] = PgTypeRow{50002, 'b', 'A', 0, -1, 50000};  // enum[]
  EXPECT_EQ(map_type(1007, -1, directory).column.name(), "INTEGER[]");
  EXPECT_EQ(map_type(1041, -1, directory).column.name(), "VARCHAR[]");
  EXPECT_EQ(map_type(1041, -1, directory).cast, "::text[]");
  EXPECT_EQ(map_type(50000, -1, directory).column.name(), "VARCHAR");
  EXPECT_TRUE(map_type(50000, -1, directory).native());
  EXPECT_EQ(map_type(50001, -1, directory).column.name(), "INTEGER");
  EXPECT_EQ(map_type(50002, -1, directory).column.name(), "VARCHAR[]");
  EXPECT_EQ(missing_types(1007, {}), std::set<uint32_t>{1007});
  EXPECT_TRUE(missing_types(1007, directory).empty());
}

TEST(PgSettingsTest, SecretFillsUserAndPasswordAndOptionsHaveDefaults) {
  PgSettings settings = PgSettings::from(base_settings());
  EXPECT_EQ(settings.server(), "db.example:6543/sales");
  EXPECT_EQ(param(settings, "user"), "ann");
  EXPECT_EQ(param(settings, "password"), "s3cret-pw");
  EXPECT_EQ(param(settings, "connect_timeout"), "10");
  EXPECT_EQ(param(settings, "options"), "-c default_transaction_read_only=on");
  EXPECT_EQ(settings.options().pages_per_task, 400u);
  EXPECT_EQ(settings.options().max_connections, 4u);
}

TEST(PgSettingsTest, UriLocationsAndOptionsAreMerged) {
  workspace::ConnectionSettings s = base_settings();
  s.location = "postgresql://ann@127.0.0.1:5433/shop?sslmode=disable";
  s.read_only = false;
  s.options = {{"statement_timeout", "1500"}, {"connect_timeout", "3"}, {"schema", "sales"}};
  PgSettings settings = PgSettings::from(s);
  EXPECT_EQ(settings.server(), "127.0.0.1:5433/shop");
  EXPECT_EQ(param(settings, "sslmode"), "disable");
  EXPECT_EQ(param(settings, "connect_timeout"), "3");
  EXPECT_EQ(param(settings, "options"), "-c statement_timeout=1500");
  EXPECT_EQ(settings.options().schema, "sales");
}

TEST(PgSettingsTest, ConnectionStringValuesWinOverTheSecret) {
  workspace::ConnectionSettings s = base_settings();
  s.secret["host"] = "replica.example";
  s.secret["database"] = "archive";
  s.secret["user"] = "bob";
  s.secret["type"] = "postgres";  // not a libpq keyword: ignored
  PgSettings settings = PgSettings::from(s);
  EXPECT_EQ(settings.server(), "db.example:6543/sales");
  EXPECT_EQ(param(settings, "host"), "db.example");
  EXPECT_EQ(param(settings, "dbname"), "sales");
  EXPECT_EQ(param(settings, "user"), "bob");  // not in the connection string: the secret's
  EXPECT_EQ(param(settings, "type"), "<none>");
}

TEST(PgSettingsTest, SecretFillsWhatTheConnectionStringLeavesOut) {
  workspace::ConnectionSettings s = base_settings();
  s.location = "port=6543";
  s.secret["host"] = "replica.example";
  s.secret["database"] = "archive";
  s.secret["sslmode"] = "require";
  PgSettings settings = PgSettings::from(s);
  EXPECT_EQ(settings.server(), "replica.example:6543/archive");
  EXPECT_EQ(param(settings, "sslmode"), "require");
}

TEST(PgSettingsTest, PasswordInTheLocationIsRejected) {
  workspace::ConnectionSettings s = base_settings();
  s.location = "host=x password=hunter2";
  try {
    PgSettings::from(s);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  }
  s.location = "postgresql://ann:hunter2@x/db";
  EXPECT_THROW(PgSettings::from(s), Error);
}

TEST(PgSettingsTest, BadOptionsAndMalformedLocationsAreInvalidInput) {
  workspace::ConnectionSettings s = base_settings();
  s.options = {{"bogus", "1"}};
  EXPECT_THROW(PgSettings::from(s), Error);
  s.options = {{"max_connections", "0"}};
  EXPECT_THROW(PgSettings::from(s), Error);
  s.options = {{"statement_timeout", "soon"}};
  EXPECT_THROW(PgSettings::from(s), Error);
  s.options = {};
  s.location = "host='unterminated";
  try {
    PgSettings::from(s);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
    EXPECT_NE(std::string(e.what()).find("malformed"), std::string::npos) << e.what();
  }
}

TEST(PgSettingsTest, MessagesNameSourceAndServerAndNeverThePassword) {
  PgSettings settings = PgSettings::from(base_settings());
  Error e = settings.error(ErrorKind::connector, "server said s3cret-pw");
  EXPECT_EQ(std::string(e.what()), "postgres source 'pg' (db.example:6543/sales): server said ********");
}

TEST(PgStatements, CopyFetchesOnlyTheListedColumnsOfOneRange) {
  std::string items =
      statements::join_items({statements::select_item("Order \"Id\"", ""), statements::select_item("ip", "::text")});
  EXPECT_EQ(statements::copy_table("My Schema", "t", items, statements::CtidRange{1000, 2000}),
            "COPY (SELECT \"Order \"\"Id\"\"\", \"ip\"::text FROM \"My Schema\".\"t\" WHERE ctid >= '(1000,0)'::tid "
            "AND ctid < '(2000,0)'::tid) TO STDOUT (FORMAT binary)");
  EXPECT_EQ(statements::copy_table("s", "t", "", std::nullopt),
            "COPY (SELECT  FROM \"s\".\"t\") TO STDOUT (FORMAT binary)");
}

TEST(PgStatements, QueriesAreWrappedWithPositionalColumnNames) {
  EXPECT_EQ(statements::strip_query("SELECT 1;  \n"), "SELECT 1");
  EXPECT_EQ(statements::copy_query("SELECT 1 -- one", 1, "\"c0\""),
            "COPY (SELECT \"c0\" FROM (\nSELECT 1 -- one\n) AS pond_query(\"c0\")) TO STDOUT (FORMAT binary)");
}

}  // namespace

// pond_query's SELECT * FROM table is read like a table scan; anything else is not recognised.
TEST(PgPlainQuery, SelectStarFromANameIsRecognisedAsWritten) {
  using connectors::postgres::plain_table_of;
  EXPECT_EQ(plain_table_of("SELECT * FROM bench"), "bench");
  EXPECT_EQ(plain_table_of("  select   *  from public.bench ;; "), "public.bench");
  EXPECT_EQ(plain_table_of("SELECT * FROM \"My \"\"odd\"\" schema\".\"T 1\""), "\"My \"\"odd\"\" schema\".\"T 1\"");
  EXPECT_EQ(plain_table_of("Select *\nFrom\tt_$1"), "t_$1");
}

TEST(PgPlainQuery, OtherQueriesAndHostileTextAreNotRecognised) {
  using connectors::postgres::plain_table_of;
  for (const char* sql :
       {"SELECT * FROM bench WHERE id > 1", "SELECT id FROM bench", "SELECT * FROM a, b",
        "SELECT * FROM bench; DROP TABLE bench", "SELECT * FROM \"open", "SELECT * FROM a.", "SELECT * FROM .a",
        "SELECT * FROM a..b", "SELECT *FROM", "SELECT * FROM", "", "SELECT * FROM bench -- comment",
        "SELECT * FROM (SELECT 1) s", "SELECT * FROM 1abc", "SELECT * FROMbench", "SELECT* FROM bench x"}) {
    EXPECT_EQ(plain_table_of(sql), std::nullopt) << sql;
  }
}

}  // namespace pond::connectors::postgres
