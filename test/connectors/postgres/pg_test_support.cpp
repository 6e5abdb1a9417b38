#include "pg_test_support.hpp"

#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "engine/sql_text.hpp"
#include "first_line.hpp"

namespace pond::test::pg {
namespace {

ServerInfo read_server(const std::string& dir) {
  ServerInfo info{dir,
                  ::pond::test::read_first_line(dir + "/host"),
                  ::pond::test::read_first_line(dir + "/port"),
                  ::pond::test::read_first_line(dir + "/user"),
                  ::pond::test::read_first_line(dir + "/password"),
                  ::pond::test::read_first_line(dir + "/database")};
  if (info.port.empty()) {
    throw std::runtime_error("no PostgreSQL test server in " + dir +
                             ": run the tests through ctest (fixture pg_server) or scripts/pg-test-server.sh start " +
                             dir);
  }
  return info;
}

std::string script() {
  const char* env = std::getenv("POND_PG_TEST_SCRIPT");
  return env ? env : POND_PG_TEST_SCRIPT;
}

class ScanFunction : public engine::TableFunction {
 public:
  explicit ScanFunction(std::shared_ptr<workspace::RemoteSource> source) : source_(std::move(source)) {}
  std::string name() const override { return "pg_scan"; }
  size_t argument_count() const override { return 2; }
  std::unique_ptr<engine::BoundScan> bind(const engine::BindInput& input) override {
    return source_->scan_table(input.arguments.at(0).to_string(), input.arguments.at(1).to_string());
  }

 private:
  std::shared_ptr<workspace::RemoteSource> source_;
};

class QueryFunction : public engine::TableFunction {
 public:
  explicit QueryFunction(std::shared_ptr<workspace::RemoteSource> source) : source_(std::move(source)) {}
  std::string name() const override { return "pg_query"; }
  size_t argument_count() const override { return 1; }
  std::unique_ptr<engine::BoundScan> bind(const engine::BindInput& input) override {
    return source_->run_query(input.arguments.at(0).to_string());
  }

 private:
  std::shared_ptr<workspace::RemoteSource> source_;
};

}  // namespace

ServerInfo fixture_server() {
  const char* env = std::getenv("POND_PG_TEST_DIR");
  return read_server(env ? env : POND_PG_TEST_DIR);
}

std::string scratch_dir(const std::string& name) {
  const char* env = std::getenv("POND_PG_TEST_DIR");
  return std::string(env ? env : POND_PG_TEST_DIR) + "-" + name;
}

ServerInfo start_server(const std::string& dir) {
  std::string command = script() + " start " + dir + " >/dev/null";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("cannot start a test server: " + command);
  return read_server(dir);
}

void stop_server(const std::string& dir) {
  std::string command = script() + " stop " + dir + " >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("cannot stop the test server: " + command);
}

workspace::ConnectionSettings settings_for(const ServerInfo& server, std::map<std::string, std::string> options,
                                           const std::string& alias) {
  workspace::ConnectionSettings settings;
  settings.alias = alias;
  settings.location = "host=" + server.host + " port=" + server.port + " dbname=" + server.database;
  settings.options = std::move(options);
  settings.secret = {{"user", server.user}, {"password", server.password}};
  return settings;
}

Admin::Admin(const ServerInfo& server) {
  workspace::ConnectionSettings settings = settings_for(server, {}, "admin");
  settings.read_only = false;
  connection_ = std::make_unique<connectors::postgres::PgConnection>(connectors::postgres::PgConnection::open(
      std::make_shared<const connectors::postgres::PgSettings>(connectors::postgres::PgSettings::from(settings))));
}

void Admin::exec(const std::string& sql) { connection_->exec(sql); }

std::string Admin::value(const std::string& sql) { return std::string(connection_->exec(sql).value(0, 0)); }

Duck::Duck(std::shared_ptr<workspace::RemoteSource> source) : connection_(database_.connect()) {
  functions_.push_back(std::make_unique<ScanFunction>(source));
  functions_.push_back(std::make_unique<QueryFunction>(source));
  for (auto& function : functions_) engine::register_table_function(connection_, *function);
  connection_.query("SET TimeZone = 'UTC'");
}

Duck::~Duck() = default;

std::vector<std::vector<std::string>> Duck::rows(const std::string& sql) {
  std::vector<std::vector<std::string>> out;
  for (const auto& row : connection_.query(sql).fetch_all()) {
    std::vector<std::string> texts;
    for (const engine::Value& v : row) texts.push_back(v.is_null() ? "NULL" : v.to_string());
    out.push_back(std::move(texts));
  }
  return out;
}

std::string Duck::value(const std::string& sql) {
  auto all = rows(sql);
  if (all.empty() || all[0].empty()) throw std::runtime_error("no value from: " + sql);
  return all[0][0];
}

std::vector<std::string> Duck::types(const std::string& sql) {
  std::vector<std::string> out;
  engine::Result result = connection_.query(sql);
  for (const engine::Column& column : result.columns()) out.push_back(column.type_name);
  return out;
}

TempPath::TempPath() {
  std::string pattern = (std::filesystem::temp_directory_path() / "pond-pg-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempPath::~TempPath() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void PgTest::SetUp() {
  server_ = fixture_server();
  admin_ = std::make_unique<Admin>(server_);
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  schema_ = std::string("t_") + info->name();
  std::transform(schema_.begin(), schema_.end(), schema_.begin(), [](unsigned char c) { return std::tolower(c); });
  schema_ = schema_.substr(0, 63);
  admin_->exec("DROP SCHEMA IF EXISTS " + sql::quote_identifier(schema_) + " CASCADE");
  admin_->exec("CREATE SCHEMA " + sql::quote_identifier(schema_));
  source_ = open_source();
  duck_ = std::make_unique<Duck>(source_);
}

void PgTest::TearDown() {
  duck_.reset();
  source_.reset();
  if (admin_) admin_->exec("DROP SCHEMA IF EXISTS " + sql::quote_identifier(schema_) + " CASCADE");
}

std::shared_ptr<connectors::postgres::PostgresSource> PgTest::open_source(std::map<std::string, std::string> options) {
  return std::make_shared<connectors::postgres::PostgresSource>(
      connectors::postgres::PgSettings::from(settings_for(server_, std::move(options))));
}

std::string scan_sql(const std::string& schema, const std::string& table) {
  return "pg_scan(" + sql::quote_literal(schema) + ", " + sql::quote_literal(table) + ")";
}

}  // namespace pond::test::pg
