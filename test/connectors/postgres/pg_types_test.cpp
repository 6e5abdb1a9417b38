// Type mapping end to end: values written in PostgreSQL, read through the binary COPY scan into
// DuckDB, compared in DuckDB's text form.

#include <gtest/gtest.h>

#include "engine/sql_text.hpp"
#include "pg_test_support.hpp"

namespace pond::test::pg {
namespace {

class PgTypesTest : public PgTest {
 protected:
  std::string scan(const std::string& table) { return scan_sql(schema_, table); }
  void create(const std::string& sql) {
    admin_->exec("SET search_path = " + sql::quote_identifier(schema_) + "; " + sql);
  }
};

TEST_F(PgTypesTest, ScalarTypesKeepTheirValues) {
  create(R"(
    CREATE TABLE scalars (id int, b boolean, i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision,
                          t text, vc varchar(20), bp char(5), nm name, ch "char", u uuid, by bytea);
    INSERT INTO scalars VALUES
      (1, true, -32768, -2147483648, -9223372036854775808, 1.5, -2.25, 'hello', 'v', 'ab', 'nm', 'x',
       'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\x00ff41'),
      (2, false, 32767, 2147483647, 9223372036854775807, 'Infinity', 'NaN', '', '', '', '', ' ',
       '00000000-0000-0000-0000-000000000000', ''),
      (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);)");
  EXPECT_EQ(duck_->types("SELECT * FROM " + scan("scalars")),
            (std::vector<std::string>{"INTEGER", "BOOLEAN", "SMALLINT", "INTEGER", "BIGINT", "FLOAT", "DOUBLE",
                                      "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "UUID", "BLOB"}));
  auto rows = duck_->rows("SELECT * FROM " + scan("scalars") + " ORDER BY id");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "true", "-32768", "-2147483648", "-9223372036854775808", "1.5",
                                               "-2.25", "hello", "v", "ab   ", "nm", "x",
                                               "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "\\x00\\xFFA"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "false", "32767", "2147483647", "9223372036854775807", "inf", "nan",
                                               "", "", "     ", "", " ", "00000000-0000-0000-0000-000000000000", ""}));
  std::vector<std::string> nulls(14, "NULL");
  nulls[0] = "3";
  EXPECT_EQ(rows[2], nulls);
}

TEST_F(PgTypesTest, NumericKeepsPrecisionUpToThirtyEightDigitsElseDouble) {
  create(R"(
    CREATE TABLE nums (id int, n12 numeric(12,2), n38 numeric(38,10), n4 numeric(4,4), free numeric,
                       wide numeric(50,5), neg_scale numeric(5,-2));
    INSERT INTO nums VALUES
      (1, 1234567890.12, 1234567890123456789012345678.0123456789, 0.1234, 3.14159, 12345.5, 12345),
      (2, -0.05, -0.0000000001, -0.9999, -1e-20, -1, -99900),
      (3, 0, 0, 0, 'NaN', 'NaN', 0),
      (4, NULL, NULL, NULL, NULL, NULL, NULL);)");
  EXPECT_EQ(duck_->types("SELECT * FROM " + scan("nums")),
            (std::vector<std::string>{"INTEGER", "DECIMAL(12,2)", "DECIMAL(38,10)", "DECIMAL(4,4)", "DOUBLE", "DOUBLE",
                                      "DOUBLE"}));
  auto rows = duck_->rows("SELECT * FROM " + scan("nums") + " ORDER BY id");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "1234567890.12", "1234567890123456789012345678.0123456789",
                                               "0.1234", "3.14159", "12345.5", "12300.0"}));
  EXPECT_EQ(rows[1],
            (std::vector<std::string>{"2", "-0.05", "-0.0000000001", "-0.9999", "-1e-20", "-1.0", "-99900.0"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"3", "0.00", "0.0000000000", "0.0000", "nan", "nan", "0.0"}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"4", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"}));
  // Sums agree with PostgreSQL's own to the cent.
  EXPECT_EQ(duck_->value("SELECT sum(n12)::VARCHAR FROM " + scan("nums")),
            admin_->value("SELECT sum(n12)::text FROM " + sql::quote_identifier(schema_) + ".nums"));
}

TEST_F(PgTypesTest, DatesAndTimesIncludingInfinity) {
  create(R"(
    CREATE TABLE times (id int, d date, tm time, ts timestamp, tstz timestamptz, iv interval);
    INSERT INTO times VALUES
      (1, '2024-02-29', '13:45:56.123456', '2024-01-02 03:04:05.678901', '2024-01-02 03:04:05+02',
       '1 year 2 months 3 days 04:05:06.789'),
      (2, '1900-01-01', '00:00', '1969-12-31 23:59:59.999999', '1970-01-01 00:00:00+00', '-1 day -00:00:01'),
      (3, 'infinity', '24:00', 'infinity', 'infinity', '0'),
      (4, '-infinity', NULL, '-infinity', '-infinity', NULL),
      (5, '0044-03-15 BC', NULL, '4713-01-01 00:00 BC', NULL, NULL);)");
  EXPECT_EQ(duck_->types("SELECT * FROM " + scan("times")),
            (std::vector<std::string>{"INTEGER", "DATE", "TIME", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "INTERVAL"}));
  auto rows = duck_->rows("SELECT * FROM " + scan("times") + " ORDER BY id");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "2024-02-29", "13:45:56.123456", "2024-01-02 03:04:05.678901",
                                               "2024-01-02 01:04:05+00", "1 year 2 months 3 days 04:05:06.789"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "1900-01-01", "00:00:00", "1969-12-31 23:59:59.999999",
                                               "1970-01-01 00:00:00+00", "-1 day -00:00:01"}));
  // DuckDB prints an infinite TIMESTAMPTZ with the zone offset.
  EXPECT_EQ(rows[2], (std::vector<std::string>{"3", "infinity", "24:00:00", "infinity", "infinity", "00:00:00"}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"4", "-infinity", "NULL", "-infinity", "-infinity", "NULL"}));
  EXPECT_EQ(rows[4],
            (std::vector<std::string>{"5", "0044-03-15 (BC)", "NULL", "4713-01-01 (BC) 00:00:00", "NULL", "NULL"}));
  EXPECT_EQ(duck_->value("SELECT count(*) FROM " + scan("times") + " WHERE d = 'infinity'::DATE"), "1");
}

TEST_F(PgTypesTest, JsonEnumsDomainsAndUnicodeAreText) {
  create(R"(
    CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
    CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
    CREATE TABLE docs (id int, j json, jb jsonb, e mood, p positive, t text);
    INSERT INTO docs VALUES
      (1, '{"a": 1}', '{"b": [1, 2], "a": "ü"}', 'happy', 7, 'héllo 世界 🦆'),
      (2, NULL, NULL, NULL, NULL, NULL);)");
  EXPECT_EQ(duck_->types("SELECT * FROM " + scan("docs")),
            (std::vector<std::string>{"INTEGER", "VARCHAR", "VARCHAR", "VARCHAR", "INTEGER", "VARCHAR"}));
  auto rows = duck_->rows("SELECT * FROM " + scan("docs") + " ORDER BY id");
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "{\"a\": 1}", "{\"a\": \"ü\", \"b\": [1, 2]}", "happy", "7",
                                               "héllo 世界 🦆"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "NULL", "NULL", "NULL", "NULL", "NULL"}));
  EXPECT_EQ(duck_->value("SELECT length(t) FROM " + scan("docs") + " WHERE id = 1"), "10");
}

TEST_F(PgTypesTest, ArraysBecomeListsWithNullElements) {
  create(R"(
    CREATE TYPE color AS ENUM ('red', 'green');
    CREATE TABLE arrays (id int, ia int[], ta text[], na numeric(10,2)[], da date[], ea color[], ba boolean[],
                         fa float8[], ua uuid[], ina inet[]);
    INSERT INTO arrays VALUES
      (1, '{1,NULL,3}', '{"a b",NULL,"ü"}', '{1.50,-2.25}', '{2024-01-01,infinity}', '{red,green}', '{t,f}',
       '{1.5}', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', '{10.0.0.1,::1}'),
      (2, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}'),
      (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);)");
  EXPECT_EQ(duck_->types("SELECT * FROM " + scan("arrays")),
            (std::vector<std::string>{"INTEGER", "INTEGER[]", "VARCHAR[]", "DECIMAL(10,2)[]", "DATE[]", "VARCHAR[]",
                                      "BOOLEAN[]", "DOUBLE[]", "UUID[]", "VARCHAR[]"}));
  auto rows = duck_->rows("SELECT * FROM " + scan("arrays") + " ORDER BY id");
  ASSERT_EQ(rows.size(), 3u);
  // inet[] is cast to text[]: text(inet) always shows the netmask. Nested text is quoted only where DuckDB
  // quotes it (here the colons of ::1).
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "[1, NULL, 3]", "[a b, NULL, ü]", "[1.50, -2.25]",
                                               "[2024-01-01, infinity]", "[red, green]", "[true, false]", "[1.5]",
                                               "[a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11]", "[10.0.0.1/32, '::1/128']"}));
  std::vector<std::string> empty(10, "[]");
  empty[0] = "2";
  EXPECT_EQ(rows[1], empty);
  EXPECT_EQ(rows[2][1], "NULL");
  EXPECT_EQ(duck_->value("SELECT sum(x) FROM (SELECT unnest(ia) AS x FROM " + scan("arrays") + ")"), "4");
}

TEST_F(PgTypesTest, MultiDimensionalArraysAreAClearError) {
  create("CREATE TABLE grid (m int[]); INSERT INTO grid VALUES ('{{1,2},{3,4}}');");
  try {
    duck_->rows("SELECT * FROM " + scan("grid"));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("2-dimensional array"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'m'"), std::string::npos) << e.what();
  }
}

TEST_F(PgTypesTest, OtherTypesAreReadAsTheirTextForm) {
  create(R"(
    CREATE TABLE others (id int, ip inet, tz timetz, pt point, r int4range, x xml, m money, bits bit(4));
    INSERT INTO others VALUES (1, '192.168.0.1/24', '04:05:06+02', '(1,2)', '[1,5)', '<a>b</a>', 12.5, B'1010'),
                              (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL);)");
  EXPECT_EQ(duck_->types("SELECT * FROM " + scan("others")),
            (std::vector<std::string>{"INTEGER", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR",
                                      "VARCHAR"}));
  auto rows = duck_->rows("SELECT * FROM " + scan("others") + " ORDER BY id");
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "192.168.0.1/24", "04:05:06+02", "(1,2)", "[1,5)", "<a>b</a>",
                                               "$12.50", "1010"}));
  EXPECT_EQ(rows[1][1], "NULL");
}

TEST_F(PgTypesTest, CatalogReportsDuckDbAndRemoteTypes) {
  create("CREATE TABLE cat (a numeric(12,2), b int[], c inet); CREATE VIEW v AS SELECT a FROM cat;");
  std::vector<workspace::RemoteTable> tables = source_->tables();
  const workspace::RemoteTable* cat = nullptr;
  const workspace::RemoteTable* view = nullptr;
  for (const auto& t : tables) {
    if (t.schema == schema_ && t.name == "cat") cat = &t;
    if (t.schema == schema_ && t.name == "v") view = &t;
  }
  ASSERT_TRUE(cat && view);
  EXPECT_FALSE(cat->is_view);
  EXPECT_TRUE(view->is_view);
  ASSERT_EQ(cat->columns.size(), 3u);
  EXPECT_EQ(cat->columns[0].type.name(), "DECIMAL(12,2)");
  EXPECT_EQ(cat->columns[0].remote_type, "numeric(12,2)");
  EXPECT_EQ(cat->columns[1].type.name(), "INTEGER[]");
  EXPECT_EQ(cat->columns[1].remote_type, "integer[]");
  EXPECT_EQ(cat->columns[2].type.name(), "VARCHAR");
  EXPECT_EQ(cat->columns[2].remote_type, "inet");
}

}  // namespace
}  // namespace pond::test::pg
