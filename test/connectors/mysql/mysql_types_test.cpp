// Every MySQL/MariaDB type as DuckDB sees it, NULLs, unicode, zero dates, empty tables and
// identifiers that need quoting, read through a DuckDB table function over the source.

#include <gtest/gtest.h>

#include "mysql_test_support.hpp"

namespace pond::connectors::mysql::test {
namespace {

using Rows = std::vector<std::vector<std::string>>;

class MysqlTypes : public MysqlTest {
 protected:
  void create_types_table() {
    sql(R"(CREATE TABLE types (
      id INT PRIMARY KEY,
      ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED,
      mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
      d DECIMAL(12,2), dwide DECIMAL(38,10), dhuge DECIMAL(65,5), f FLOAT, db DOUBLE,
      c CHAR(5), vc VARCHAR(100), tx TEXT, bn BINARY(3), vb VARBINARY(10), bl BLOB,
      dt DATE, tm TIME(6), dtm DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, yr YEAR,
      b1 BIT(1), b12 BIT(12), t1 TINYINT(1), e ENUM('small','large'), st SET('a','b','c'), js JSON))");
    sql(R"(INSERT INTO types VALUES (1,
      -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295,
      -9223372036854775808, 18446744073709551615,
      -1234567890.12, 1234567890123456789012345678.0123456789,
      123456789012345678901234567890123456789012345678901234567890.12345, 1.5, 2.718281828459045,
      'ab', 'héllo 🦆 世界', REPEAT('x', 1000), X'000102', X'FF00', X'DEADBEEF',
      '2024-02-29', '23:59:59.999999', '1999-12-31 23:59:59.5', '2024-01-02 03:04:05.123456', 2024,
      b'1', b'101010101010', 1, 'large', 'a,c', '{"k": [1, 2]}'))");
    sql("INSERT INTO types (id) VALUES (2)");
    sql(R"(INSERT INTO types (id, ti, tiu, d, f, c, vc, bl, dt, tm, dtm, yr, b1, b12, t1, e, st) VALUES (3,
      0, 0, 0.05, -0.25, '', '', X'', '1970-01-01', '00:00:00', '1970-01-01 00:00:00', 1901, b'0', b'0', 7,
      'small', ''))");
  }
};

TEST_F(MysqlTypes, ColumnsMapToDuckDBTypes) {
  create_types_table();
  auto source = open_source();
  DuckWithSource duck(*source);
  Rows described = duck.rows("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM mysql_scan('" + database_ +
                             "', 'types'))");
  Rows expected = {{"id", "INTEGER"},
                   {"ti", "TINYINT"},
                   {"tiu", "UTINYINT"},
                   {"si", "SMALLINT"},
                   {"siu", "USMALLINT"},
                   {"mi", "INTEGER"},
                   {"miu", "UINTEGER"},
                   {"i", "INTEGER"},
                   {"iu", "UINTEGER"},
                   {"bi", "BIGINT"},
                   {"biu", "UBIGINT"},
                   {"d", "DECIMAL(12,2)"},
                   {"dwide", "DECIMAL(38,10)"},
                   {"dhuge", "DOUBLE"},
                   {"f", "FLOAT"},
                   {"db", "DOUBLE"},
                   {"c", "VARCHAR"},
                   {"vc", "VARCHAR"},
                   {"tx", "VARCHAR"},
                   {"bn", "BLOB"},
                   {"vb", "BLOB"},
                   {"bl", "BLOB"},
                   {"dt", "DATE"},
                   {"tm", "TIME"},
                   {"dtm", "TIMESTAMP"},
                   {"ts", "TIMESTAMP WITH TIME ZONE"},
                   {"yr", "INTEGER"},
                   {"b1", "BOOLEAN"},
                   {"b12", "UBIGINT"},
                   {"t1", "TINYINT"},
                   {"e", "VARCHAR"},
                   {"st", "VARCHAR"},
                   {"js", "VARCHAR"}};
  EXPECT_EQ(described, expected);

  // The same types reach the workspace through tables(), with the server's own names.
  for (const auto& table : source->tables()) {
    if (table.schema != database_ || table.name != "types") continue;
    ASSERT_EQ(table.columns.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(table.columns[i].type.name(), expected[i][1]) << i;
    EXPECT_EQ(table.columns[2].remote_type, "tinyint(3) unsigned");
    EXPECT_FALSE(table.is_view);
  }
}

TEST_F(MysqlTypes, NativeQueryColumnsMapLikeTableColumns) {
  create_types_table();
  auto source = open_source();
  DuckWithSource duck(*source);
  std::string from_table = "DESCRIBE SELECT * FROM mysql_scan('" + database_ + "', 'types')";
  std::string from_query = "DESCRIBE SELECT * FROM mysql_query('SELECT * FROM types')";
  EXPECT_EQ(duck.rows("SELECT column_name, column_type FROM (" + from_query + ")"),
            duck.rows("SELECT column_name, column_type FROM (" + from_table + ")"));
}

TEST_F(MysqlTypes, ValuesKeepTheirExtremesAndPrecision) {
  create_types_table();
  auto source = open_source();
  DuckWithSource duck(*source);
  std::string scan = " FROM mysql_scan('" + database_ + "', 'types') WHERE id = 1";
  EXPECT_EQ(duck.rows("SELECT ti, tiu, si, siu, mi, miu, i, iu, bi, biu" + scan),
            (Rows{{"-128", "255", "-32768", "65535", "-8388608", "16777215", "-2147483648", "4294967295",
                   "-9223372036854775808", "18446744073709551615"}}));
  EXPECT_EQ(
      duck.rows("SELECT d::VARCHAR, dwide::VARCHAR, round(dhuge / 1e59, 6)::VARCHAR, f, db" + scan),
      (Rows{{"-1234567890.12", "1234567890123456789012345678.0123456789", "1.234568", "1.5", "2.718281828459045"}}));
  EXPECT_EQ(duck.rows("SELECT c, vc, length(vc), length(tx), hex(bn), hex(vb), hex(bl)" + scan),
            (Rows{{"ab", "héllo 🦆 世界", "10", "1000", "000102", "FF00", "DEADBEEF"}}));
  EXPECT_EQ(duck.rows("SELECT dt::VARCHAR, tm::VARCHAR, dtm::VARCHAR, epoch_us(ts)::VARCHAR, yr" + scan),
            (Rows{{"2024-02-29", "23:59:59.999999", "1999-12-31 23:59:59.5", "1704164645123456", "2024"}}));
  EXPECT_EQ(duck.rows("SELECT b1, b12, t1, e, st, js" + scan),
            (Rows{{"true", "2730", "1", "large", "a,c", R"({"k": [1, 2]})"}}));
}

TEST_F(MysqlTypes, NullsAreNullInEveryType) {
  create_types_table();
  auto source = open_source();
  DuckWithSource duck(*source);
  Rows row = duck.rows("SELECT * FROM mysql_scan('" + database_ + "', 'types') WHERE id = 2");
  ASSERT_EQ(row.size(), 1u);
  for (size_t i = 1; i < row[0].size(); ++i) EXPECT_EQ(row[0][i], "NULL") << "column " << i;
}

TEST_F(MysqlTypes, SmallAndEmptyValuesAreNotNull) {
  create_types_table();
  auto source = open_source();
  DuckWithSource duck(*source);
  std::string scan = " FROM mysql_scan('" + database_ + "', 'types') WHERE id = 3";
  EXPECT_EQ(duck.rows("SELECT ti, tiu, d::VARCHAR, f, c, vc, octet_length(bl), dt::VARCHAR, tm::VARCHAR" + scan),
            (Rows{{"0", "0", "0.05", "-0.25", "", "", "0", "1970-01-01", "00:00:00"}}));
  EXPECT_EQ(duck.rows("SELECT dtm::VARCHAR, yr, b1, b12, t1, e, st" + scan),
            (Rows{{"1970-01-01 00:00:00", "1901", "false", "0", "7", "small", ""}}));
}

TEST_F(MysqlTypes, TinyintOneBecomesBooleanOnRequest) {
  sql("CREATE TABLE flags (id INT, t1 TINYINT(1), t4 TINYINT(4))");
  sql("INSERT INTO flags VALUES (1, 1, 1), (2, 0, 0), (3, NULL, NULL)");
  auto source = open_source({{"tinyint1_as_boolean", "true"}});
  DuckWithSource duck(*source);
  EXPECT_EQ(
      duck.rows("SELECT t1, t4, typeof(t1), typeof(t4) FROM mysql_scan('" + database_ + "', 'flags') ORDER BY id"),
      (Rows{{"true", "1", "BOOLEAN", "TINYINT"},
            {"false", "0", "BOOLEAN", "TINYINT"},
            {"NULL", "NULL", "BOOLEAN", "TINYINT"}}));
}

TEST_F(MysqlTypes, ZeroDatesBecomeNull) {
  sql("SET SESSION sql_mode = ''");
  sql("CREATE TABLE zero_dates (id INT, d DATE, dt DATETIME, ts TIMESTAMP NULL DEFAULT NULL)");
  sql("INSERT INTO zero_dates VALUES (1, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00'),"
      " (2, '2020-00-00', '2020-05-00 10:00:00', NULL), (3, '2020-05-17', '2020-05-17 10:00:00', NULL)");
  auto source = open_source();
  DuckWithSource duck(*source);
  EXPECT_EQ(duck.rows("SELECT id, d::VARCHAR, dt::VARCHAR, ts FROM mysql_scan('" + database_ +
                      "', 'zero_dates') ORDER BY id"),
            (Rows{{"1", "NULL", "NULL", "NULL"},
                  {"2", "NULL", "NULL", "NULL"},
                  {"3", "2020-05-17", "2020-05-17 10:00:00", "NULL"}}));
}

TEST_F(MysqlTypes, TimeOutsideADayFailsClearlyUnlessReadAsInterval) {
  sql("CREATE TABLE durations (id INT, t TIME)");
  sql("INSERT INTO durations VALUES (1, '12:00:00'), (2, '-01:30:00'), (3, '100:00:01')");
  {
    auto source = open_source();
    DuckWithSource duck(*source);
    std::string scan = " FROM mysql_scan('" + database_ + "', 'durations')";
    EXPECT_EQ(duck.value("SELECT sum(id)" + scan), "6");  // not reading t is fine
    try {
      duck.rows("SELECT t" + scan);
      ADD_FAILURE() << "out-of-range TIME was accepted";
    } catch (const Error& error) {
      std::string message = error.what();
      EXPECT_NE(message.find("time_as_interval"), std::string::npos) << message;
      EXPECT_NE(message.find("column 't'"), std::string::npos) << message;
      EXPECT_NE(message.find("-01:30:00"), std::string::npos) << message;
    }
    ASSERT_TRUE(duck.last_connector_error());
    EXPECT_EQ(duck.last_connector_error()->kind(), ErrorKind::invalid_input);
  }
  auto source = open_source({{"time_as_interval", "true"}});
  DuckWithSource duck(*source);
  EXPECT_EQ(duck.rows("SELECT t::VARCHAR, typeof(t) FROM mysql_scan('" + database_ + "', 'durations') ORDER BY id"),
            (Rows{{"12:00:00", "INTERVAL"}, {"-01:30:00", "INTERVAL"}, {"100:00:01", "INTERVAL"}}));
}

TEST_F(MysqlTypes, MariaDbUuidAndAddressTypesAreReadable) {
  sql("CREATE TABLE addressed (id INT, u UUID, v6 INET6, v4 INET4)");
  sql("INSERT INTO addressed VALUES (1, '123e4567-e89b-12d3-a456-426614174000', '2001:db8::1', '192.0.2.7'),"
      " (2, NULL, NULL, NULL)");
  auto source = open_source();
  DuckWithSource duck(*source);
  Rows expected = {{"123e4567-e89b-12d3-a456-426614174000", "UUID", "2001:db8::1", "VARCHAR", "192.0.2.7"},
                   {"NULL", "UUID", "NULL", "VARCHAR", "NULL"}};
  EXPECT_EQ(duck.rows("SELECT u::VARCHAR, typeof(u), v6, typeof(v6), v4 FROM mysql_scan('" + database_ +
                      "', 'addressed') ORDER BY id"),
            expected);
  EXPECT_EQ(duck.rows("SELECT u::VARCHAR, typeof(u), v6, typeof(v6), v4 FROM mysql_query('SELECT * FROM addressed "
                      "ORDER BY id')"),
            expected);
}

TEST_F(MysqlTypes, EmptyTableHasTypedColumnsAndNoRows) {
  sql("CREATE TABLE empty_one (id BIGINT, name VARCHAR(10), amount DECIMAL(5,1))");
  auto source = open_source();
  DuckWithSource duck(*source);
  std::string scan = " FROM mysql_scan('" + database_ + "', 'empty_one')";
  EXPECT_EQ(duck.value("SELECT count(*)" + scan), "0");
  EXPECT_TRUE(duck.rows("SELECT *" + scan).empty());
  EXPECT_EQ(duck.rows("SELECT column_type FROM (DESCRIBE SELECT *" + scan + ")"),
            (Rows{{"BIGINT"}, {"VARCHAR"}, {"DECIMAL(5,1)"}}));
}

TEST_F(MysqlTypes, IdentifiersWithBackticksSpacesAndMixedCaseAreQuoted) {
  std::string odd_db = database_.substr(0, 50) + " Odd Db";
  sql("DROP DATABASE IF EXISTS `" + odd_db + "`");
  sql("CREATE DATABASE `" + odd_db + "`");
  sql("CREATE TABLE `" + odd_db +
      "`.`Mixed Case ``tick`` Table` (`Col A` INT, `sp ace` VARCHAR(5), `UPPER` INT, "
      "`back``tick` INT, `ünï` VARCHAR(5))");
  sql("INSERT INTO `" + odd_db + "`.`Mixed Case ``tick`` Table` VALUES (1, 'x', 2, 3, 'ü'), (4, NULL, 5, 6, '🦆')");
  auto source = open_source();
  DuckWithSource duck(*source);
  std::string scan = " FROM mysql_scan('" + odd_db + "', 'Mixed Case `tick` Table')";
  EXPECT_EQ(duck.rows("SELECT column_name FROM (DESCRIBE SELECT *" + scan + ")"),
            (Rows{{"Col A"}, {"sp ace"}, {"UPPER"}, {"back`tick"}, {"ünï"}}));
  EXPECT_EQ(duck.rows("SELECT \"back`tick\", \"sp ace\", \"ünï\"" + scan + " ORDER BY \"Col A\""),
            (Rows{{"3", "x", "ü"}, {"6", "NULL", "🦆"}}));
  EXPECT_EQ(source->last_statement(),
            "SELECT `back``tick`, `sp ace`, `ünï`, `Col A` FROM `" + odd_db + "`.`Mixed Case ``tick`` Table`");
  sql("DROP DATABASE `" + odd_db + "`");
}

TEST_F(MysqlTypes, ViewsAreListedAndScanned) {
  sql("CREATE TABLE base (id INT, name VARCHAR(10))");
  sql("INSERT INTO base VALUES (1, 'one'), (2, 'two')");
  sql("CREATE VIEW named_two AS SELECT id, UPPER(name) AS loud FROM base WHERE id = 2");
  auto source = open_source();
  bool listed = false;
  for (const auto& table : source->tables()) {
    if (table.schema == database_ && table.name == "named_two") {
      listed = true;
      EXPECT_TRUE(table.is_view);
      ASSERT_EQ(table.columns.size(), 2u);
      EXPECT_EQ(table.columns[1].name, "loud");
    }
  }
  EXPECT_TRUE(listed);
  EXPECT_EQ(source->default_schema(), database_);
  DuckWithSource duck(*source);
  EXPECT_EQ(duck.rows("SELECT * FROM mysql_scan('', 'named_two')"), (Rows{{"2", "TWO"}}));
}

}  // namespace
}  // namespace pond::connectors::mysql::test
