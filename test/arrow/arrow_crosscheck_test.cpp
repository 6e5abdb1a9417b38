// Arrow IPC streams written by engine::ArrowStreamWriter, decoded by a reader Pond did not write
// (the npm package apache-arrow, through decode_arrow_stream.cjs): the Arrow type of every
// column is checked against the mapping Pond documents, and every value against what DuckDB
// itself returns for the same query (both sides reduced to one canonical JSON form).

#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/arrow_stream.hpp"
#include "engine/connection.hpp"
#include "engine/database.hpp"
#include "engine/sql_text.hpp"

namespace pond::engine {
namespace {

using Json = nlohmann::ordered_json;
using sql::quote_identifier;
using sql::quote_literal;

struct Decoded {
  Json fields;
  int64_t batches = 0;
  Json rows;
};

std::string run_command(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  status = pclose(pipe);
  return out;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// SQL that reduces `expr`, whose Arrow type (as apache-arrow decoded it) is `type`, to the
// canonical form decode_arrow_stream.cjs prints.
std::string canonical_sql(const std::string& expr, const Json& type, int depth = 0) {
  const std::string id = type.at("typeId");
  const std::string e = "(" + expr + ")";
  const std::string var = "x" + std::to_string(depth);
  if (id == "Null") return e;
  if (id == "Bool" || id == "Int" || id == "Utf8" || id == "LargeUtf8" || id == "Dictionary") return e + "::VARCHAR";
  if (id == "Float") return "'f:' || " + e + "::DOUBLE::VARCHAR";
  if (id == "Decimal") return "replace(" + e + "::VARCHAR, '.', '')::HUGEINT::VARCHAR";
  if (id == "Binary" || id == "LargeBinary") return "lower(hex(" + e + "))";
  if (id == "FixedSizeBinary") {
    const Json& metadata = type.at("metadata");
    std::string name = metadata.value("ARROW:extension:name", "");
    if (name == "arrow.uuid") return "replace(" + e + "::VARCHAR, '-', '')";
    std::string details = metadata.value("ARROW:extension:metadata", "");
    if (details.find("hugeint") != std::string::npos) return e + "::VARCHAR";
    ADD_FAILURE() << "no canonical form for " << type.dump();
  }
  if (id == "Date") return "(" + e + " - DATE '1970-01-01')::VARCHAR";
  if (id == "Time") return "epoch_us(" + e + "::TIME)::VARCHAR";
  if (id == "Timestamp") {
    static const char* kEpoch[] = {"epoch", "epoch_ms", "epoch_us", "epoch_ns"};
    return std::string(kEpoch[type.at("unit").get<int>()]) + "(" + e + ")::BIGINT::VARCHAR";
  }
  if (id == "Interval") {
    return "(datepart('year', " + e + ") * 12 + datepart('month', " + e + "))::VARCHAR || ':' || datepart('day', " + e +
           ")::VARCHAR || ':' || ((datepart('hour', " + e + ") * 3600000000 + datepart('minute', " + e +
           ") * 60000000 + datepart('microseconds', " + e + ")) * 1000)::VARCHAR";
  }
  if (id == "List" || id == "LargeList" || id == "FixedSizeList")
    return "list_transform(" + e + ", " + var + " -> " + canonical_sql(var, type.at("children")[0], depth + 1) + ")";
  if (id == "Struct") {
    std::string fields;
    for (const Json& child : type.at("children")) {
      std::string name = child.at("name");
      if (!fields.empty()) fields += ", ";
      fields += quote_identifier(name) +
                " := " + canonical_sql("struct_extract(" + e + ", " + quote_literal(name) + ")", child, depth + 1);
    }
    return "CASE WHEN " + e + " IS NULL THEN NULL ELSE struct_pack(" + fields + ") END";
  }
  if (id == "Map") {
    const Json& entries = type.at("children")[0].at("children");
    return "list_transform(map_entries(" + e + "), " + var +
           " -> struct_pack(\"key\" := " + canonical_sql(var + ".key", entries[0], depth + 1) +
           ", \"value\" := " + canonical_sql(var + ".value", entries[1], depth + 1) + "))";
  }
  if (id == "Union") {
    std::string cases;
    for (const Json& member : type.at("children")) {
      std::string tag = quote_literal(member.at("name").get<std::string>());
      std::string value = canonical_sql("union_extract(" + e + ", " + tag + ")", member, depth + 1);
      cases += " WHEN union_tag(" + e + ") = " + tag + " AND " + value + " IS NOT NULL THEN struct_pack(tag := " + tag +
               ", \"value\" := " + value + ")";
    }
    return "CASE" + cases + " ELSE NULL END";
  }
  ADD_FAILURE() << "no canonical form for " << type.dump();
  return "NULL";
}

bool same_value(const Json& expected, const Json& actual) {
  if (expected.is_string() && actual.is_string()) {
    const std::string& a = expected.get_ref<const std::string&>();
    const std::string& b = actual.get_ref<const std::string&>();
    if (a.starts_with("f:") && b.starts_with("f:")) {
      double x = std::strtod(a.c_str() + 2, nullptr);
      double y = std::strtod(b.c_str() + 2, nullptr);
      return x == y || (std::isnan(x) && std::isnan(y));
    }
    return a == b;
  }
  if (expected.type() != actual.type() || expected.size() != actual.size()) return false;
  if (expected.is_array()) {
    for (size_t i = 0; i < expected.size(); ++i)
      if (!same_value(expected[i], actual[i])) return false;
    return true;
  }
  if (expected.is_object()) {
    for (auto it = expected.begin(); it != expected.end(); ++it)
      if (!actual.contains(it.key()) || !same_value(it.value(), actual.at(it.key()))) return false;
    return true;
  }
  return expected == actual;
}

class ArrowCrossCheckTest : public ::testing::Test {
 protected:
  Database db_;
  Connection connection_ = db_.connect();
  int64_t chunks_written_ = 0;

  void SetUp() override { std::filesystem::create_directories(POND_ARROW_OUT_DIR); }

  // Writes the stream of `sql` to <build>/test/arrow/streams/<name>.arrows and decodes it with apache-arrow.
  Decoded write_and_decode(const std::string& name, const std::string& sql) {
    std::string path = std::string(POND_ARROW_OUT_DIR) + "/" + name + ".arrows";
    {
      Result result = connection_.query(sql, ExecMode::streaming);
      ArrowStreamWriter writer(result);
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << writer.schema_message();
      chunks_written_ = 0;
      while (auto chunk = result.next_chunk()) {
        out << writer.record_batch(*chunk);
        ++chunks_written_;
      }
      out << ArrowStreamWriter::end_of_stream();
    }
    int status = -1;
    std::string output = run_command(std::string(POND_NODE) + " " + shell_quote(POND_ARROW_DECODER) + " " +
                                         shell_quote(POND_APACHE_ARROW_DIR) + " " + shell_quote(path),
                                     status);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "apache-arrow failed to decode " << path;
    Decoded decoded;
    if (output.empty()) return decoded;
    Json json = Json::parse(output);
    decoded.fields = json.at("fields");
    decoded.batches = json.at("batches");
    decoded.rows = json.at("rows");
    return decoded;
  }

  // What DuckDB returns for `sql` (ordered by its first column), in the canonical form.
  Json expected_rows(const std::string& sql, const Json& fields) {
    std::string projection;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i) projection += ", ";
      char key[16];
      snprintf(key, sizeof key, "c%04zu", i);
      projection += std::string(key) +
                    " := " + canonical_sql("q." + quote_identifier(fields[i].at("name").get<std::string>()), fields[i]);
    }
    std::string first = quote_identifier(fields[0].at("name").get<std::string>());
    Result result = connection_.query("SELECT to_json(struct_pack(" + projection + "))::VARCHAR FROM (" + sql +
                                      ") q ORDER BY q." + first);
    Json rows = Json::array();
    for (const auto& row : result.fetch_all()) {
      Json object = Json::parse(row.at(0).to_string());
      Json values = Json::array();
      for (auto& [key, value] : object.items()) values.push_back(value);
      rows.push_back(values);
    }
    return rows;
  }

  void expect_same_rows(const std::string& sql, const Decoded& decoded) {
    Json expected = expected_rows(sql, decoded.fields);
    ASSERT_EQ(expected.size(), decoded.rows.size()) << "row count";
    int reported = 0;
    for (size_t r = 0; r < expected.size() && reported < 20; ++r) {
      for (size_t c = 0; c < expected[r].size(); ++c) {
        if (!same_value(expected[r][c], decoded.rows[r][c])) {
          ADD_FAILURE() << "row " << r << ", column " << decoded.fields[c].at("name") << ": DuckDB "
                        << expected[r][c].dump() << ", apache-arrow " << decoded.rows[r][c].dump();
          ++reported;
        }
      }
    }
  }
};

struct TypedColumn {
  const char* name;
  const char* expression;  // of i (0..rows-1)
  const char* arrow_type;  // as apache-arrow prints it
  const char* cast = "";   // applied after NULLs are mixed in (DuckDB's CASE cannot return ARRAY)
};

// Every type the connectors produce and DuckDB commonly yields; NULL in every column on rows
// where i % 7 = 3, plus NULLs nested inside lists, structs and maps.
const std::vector<TypedColumn> kEveryType = {
    {"c_boolean", "i % 3 = 0", "Bool"},
    {"c_tinyint", "(i % 256 - 128)::TINYINT", "Int8"},
    {"c_smallint", "(i * 9 - 32768)::SMALLINT", "Int16"},
    {"c_integer", "CASE i WHEN 1 THEN -2147483648 WHEN 2 THEN 2147483647 ELSE i * 100003 - 350000000 END::INTEGER",
     "Int32"},
    {"c_bigint",
     "CASE i WHEN 1 THEN -9223372036854775808 WHEN 2 THEN 9223372036854775807 ELSE (i - 3500) * 1000000007 END::BIGINT",
     "Int64"},
    {"c_utinyint", "(i % 256)::UTINYINT", "Uint8"},
    {"c_usmallint", "(i * 9)::USMALLINT", "Uint16"},
    {"c_uinteger", "(i * 600000)::UINTEGER", "Uint32"},
    {"c_ubigint", "CASE i WHEN 2 THEN 18446744073709551615 ELSE i::UBIGINT * 2500000000000000 END::UBIGINT", "Uint64"},
    {"c_hugeint",
     "CASE i WHEN 1 THEN -99999999999999999999999999999999999999 ELSE (i - 3500)::HUGEINT * "
     "10000000000000000000000000000000 "
     "END::HUGEINT",
     "Decimal[38e0]"},
    {"c_uhugeint", "i::UHUGEINT * 40000000000000000000000000000000000", "FixedSizeBinary[16]"},
    {"c_float", "CASE i WHEN 1 THEN 'nan' WHEN 2 THEN 'inf' WHEN 4 THEN '-inf' ELSE i / 7 END::FLOAT", "Float32"},
    {"c_double", "CASE i WHEN 1 THEN 'nan' WHEN 2 THEN '-inf' ELSE (i - 3500) / 3 * 1e10 END::DOUBLE", "Float64"},
    {"c_decimal_4_1", "((i % 1999 - 999) / 10)::DECIMAL(4,1)", "Decimal[4e+1]"},
    {"c_decimal_9_4", "(i * 1.2345 - 4000)::DECIMAL(9,4)", "Decimal[9e+4]"},
    {"c_decimal_18_6", "(i * 123456.789012 - 100000000)::DECIMAL(18,6)", "Decimal[18e+6]"},
    {"c_decimal_38_10", "((i - 3500) * 98765432109876543210.0123456789)::DECIMAL(38,10)", "Decimal[38e+10]"},
    {"c_varchar", "CASE WHEN i % 11 = 0 THEN '' ELSE repeat('ab', i % 20) || 'ü€😀' || i END", "Utf8"},
    {"c_blob", "unhex(printf('%08x', i)) || '\\x00\\xFF'::BLOB", "Binary"},
    {"c_date", "DATE '1970-01-01' + (i * 37 - 100000)::INTEGER", "Date32<DAY>"},
    {"c_time", "TIME '00:00:00' + to_microseconds(i * 12345678)", "Time64<MICROSECOND>"},
    {"c_timetz", "('12:34:56.789+0' || (i % 5))::TIMETZ", "Time64<MICROSECOND>"},
    {"c_timestamp", "TIMESTAMP '1960-01-01' + to_microseconds(i * 1234567891234)", "Timestamp<MICROSECOND>"},
    {"c_timestamp_s", "(TIMESTAMP '1950-01-01' + to_seconds(i * 86401))::TIMESTAMP_S", "Timestamp<SECOND>"},
    {"c_timestamp_ms", "(TIMESTAMP '1990-01-01' + to_milliseconds(i * 1234567))::TIMESTAMP_MS",
     "Timestamp<MILLISECOND>"},
    {"c_timestamp_ns", "make_timestamp_ns(i * 1000000123457 - 500000000000000000)", "Timestamp<NANOSECOND>"},
    {"c_timestamptz", "TIMESTAMPTZ '2020-06-01 12:00:00+02' + to_hours(i)", "Timestamp<MICROSECOND, Europe/Berlin>"},
    {"c_interval", "to_months(i % 25 - 12) + to_days(i % 40 - 20) + to_microseconds(i * 987654321 - 3000000000)",
     "Interval<MONTH_DAY_NANO>"},
    {"c_uuid", "md5(i::VARCHAR)::UUID", "Utf8"},
    {"c_enum", "(['sad', 'ok', 'happy'])[i % 3 + 1]::mood", "Dictionary<Uint8, Utf8>"},
    {"c_json", "json_object('i', i, 's', 'x' || i)", "Utf8"},
    {"c_list", "CASE WHEN i % 5 = 0 THEN [] ELSE [i, NULL, i * 2] END", "List<Int64>"},
    {"c_list_of_lists", "[[i::VARCHAR, NULL], NULL, []]", "List<List<Utf8>>"},
    {"c_struct", "{'a': i::INTEGER, 'b': CASE WHEN i % 4 = 0 THEN NULL ELSE 'x' || i END, 'c': [i / 2]}",
     "Struct<{a:Int32, b:Utf8, c:List<Float64>}>"},
    {"c_map", "MAP {'k' || i: i, 'z': NULL::BIGINT}", "Map<{key:Utf8, value:Int64}>"},
    {"c_array", "[i, i + 1, NULL]", "FixedSizeList[3]<Int32>", "::INTEGER[3]"},
    {"c_union",
     "CASE WHEN i % 2 = 0 THEN union_value(num := i::INTEGER)::UNION(num INTEGER, str VARCHAR) "
     "ELSE union_value(str := 's' || i)::UNION(num INTEGER, str VARCHAR) END",
     "Union<Int32 | Utf8>"},
};

TEST_F(ArrowCrossCheckTest, EveryTypeDecodesToDuckDBsValuesAcrossFourBatches) {
  connection_.query("SET TimeZone = 'Europe/Berlin'");
  connection_.query("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
  std::string select = "SELECT i AS id";
  for (const TypedColumn& c : kEveryType)
    select +=
        ", (CASE WHEN i % 7 = 3 THEN NULL ELSE (" + std::string(c.expression) + ") END)" + c.cast + " AS " + c.name;
  connection_.query("CREATE TABLE every_type AS " + select + ", NULL AS c_null FROM range(7000) t(i)");

  const std::string sql = "SELECT * FROM every_type ORDER BY id";
  Decoded decoded = write_and_decode("every_type", sql);
  EXPECT_EQ(decoded.batches, chunks_written_);
  EXPECT_GE(decoded.batches, 4) << "7000 rows are at least 4 chunks of 2048";
  ASSERT_EQ(decoded.fields.size(), kEveryType.size() + 2);
  EXPECT_EQ(decoded.fields[0].at("type"), "Int64");
  for (size_t i = 0; i < kEveryType.size(); ++i) {
    EXPECT_EQ(decoded.fields[i + 1].at("name"), kEveryType[i].name);
    EXPECT_EQ(decoded.fields[i + 1].at("type"), kEveryType[i].arrow_type) << kEveryType[i].name;
    EXPECT_TRUE(decoded.fields[i + 1].at("nullable").get<bool>());
  }
  EXPECT_EQ(decoded.fields.back().at("type"), "Int32") << "a NULL column is an all-null INTEGER";
  const Json& json = decoded.fields[kEveryType.size() - 6];
  ASSERT_EQ(json.at("name"), "c_json");
  EXPECT_EQ(json.at("metadata").value("ARROW:extension:name", ""), "arrow.json");
  const Json& uhugeint = decoded.fields[11];
  ASSERT_EQ(uhugeint.at("name"), "c_uhugeint");
  EXPECT_EQ(uhugeint.at("metadata").value("ARROW:extension:name", ""), "arrow.opaque");
  expect_same_rows(sql, decoded);
}

TEST_F(ArrowCrossCheckTest, EmptyResultDecodesToTheSchemaAndNoRows) {
  Decoded decoded = write_and_decode("empty", "SELECT 1 AS id, 'x' AS s, [1] AS l WHERE false");
  EXPECT_EQ(decoded.batches, 0);
  EXPECT_TRUE(decoded.rows.empty());
  ASSERT_EQ(decoded.fields.size(), 3u);
  EXPECT_EQ(decoded.fields[1].at("type"), "Utf8");
  EXPECT_EQ(decoded.fields[2].at("type"), "List<Int32>");
}

TEST_F(ArrowCrossCheckTest, LosslessConversionWritesUuidAndHugeintAsExtensionTypes) {
  connection_.query("SET arrow_lossless_conversion = true");
  const std::string sql =
      "SELECT i AS id, md5(i::VARCHAR)::UUID AS u, (i - 1500)::HUGEINT * 1000000000000000000000000 AS h "
      "FROM range(3000) t(i) ORDER BY id";
  Decoded decoded = write_and_decode("lossless", sql);
  ASSERT_EQ(decoded.fields.size(), 3u);
  EXPECT_EQ(decoded.fields[1].at("type"), "FixedSizeBinary[16]");
  EXPECT_EQ(decoded.fields[1].at("metadata").value("ARROW:extension:name", ""), "arrow.uuid");
  EXPECT_EQ(decoded.fields[2].at("type"), "FixedSizeBinary[16]");
  expect_same_rows(sql, decoded);
}

TEST_F(ArrowCrossCheckTest, StringViewsDecodeAsLargeUtf8) {
  connection_.query("SET arrow_output_version = '1.5'");
  connection_.query("SET produce_arrow_string_view = true");
  const std::string sql =
      "SELECT i AS id, CASE WHEN i % 5 = 0 THEN NULL ELSE repeat('long text ', i % 7) || i END AS s, "
      "[repeat('y', i % 30)] AS l FROM range(5000) t(i) ORDER BY id";
  Decoded decoded = write_and_decode("string_views", sql);
  EXPECT_EQ(decoded.fields[1].at("type"), "LargeUtf8");
  EXPECT_EQ(decoded.fields[2].at("type"), "List<LargeUtf8>");
  expect_same_rows(sql, decoded);
}

TEST_F(ArrowCrossCheckTest, NestedJsonKeepsItsExtensionName) {
  const std::string sql = "SELECT 1 AS id, ['{\"a\": 1}'::JSON, NULL] AS l, {'j': '[1]'::JSON} AS s";
  Decoded decoded = write_and_decode("nested_json", sql);
  ASSERT_EQ(decoded.fields.size(), 3u);
  EXPECT_EQ(decoded.fields[1].at("children")[0].at("metadata").value("ARROW:extension:name", ""), "arrow.json");
  EXPECT_EQ(decoded.fields[2].at("children")[0].at("metadata").value("ARROW:extension:name", ""), "arrow.json");
  expect_same_rows(sql, decoded);
}

TEST_F(ArrowCrossCheckTest, HostileNamesAndAHugeValueSurvive) {
  const std::string sql =
      "SELECT 1 AS \"id\", 'x' AS \"we\"\"ird; DROP TABLE t; --\", 2 AS \"ü€ 😀\", "
      "{'a.b': 1, 'x\"y': 2} AS \"s\", repeat('z', 8000000) AS \"big\"";
  Decoded decoded = write_and_decode("hostile", sql);
  ASSERT_EQ(decoded.fields.size(), 5u);
  EXPECT_EQ(decoded.fields[1].at("name"), "we\"ird; DROP TABLE t; --");
  EXPECT_EQ(decoded.fields[2].at("name"), "ü€ 😀");
  EXPECT_EQ(decoded.fields[3].at("type"), "Struct<{a.b:Int32, x\"y:Int32}>");
  expect_same_rows(sql, decoded);
}

TEST_F(ArrowCrossCheckTest, BitAndBignumKeepDuckDBsOpaqueTypes) {
  Decoded decoded =
      write_and_decode("opaque", "SELECT 1 AS id, '10110'::BIT AS b, 123456789012345678901234567890::BIGNUM AS n");
  ASSERT_EQ(decoded.fields.size(), 3u);
  EXPECT_EQ(decoded.fields[1].at("type"), "Binary");
  EXPECT_EQ(decoded.fields[2].at("type"), "Binary");
  EXPECT_EQ(decoded.fields[2].at("metadata").value("ARROW:extension:metadata", ""),
            "{\"type_name\":\"bignum\",\"vendor_name\":\"DuckDB\"}");
  ASSERT_EQ(decoded.rows.size(), 1u);
  EXPECT_TRUE(decoded.rows[0][1].is_string()) << "the BIT value arrives as bytes";
}

}  // namespace
}  // namespace pond::engine
