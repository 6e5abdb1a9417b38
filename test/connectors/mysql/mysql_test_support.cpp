#include "mysql_test_support.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <mutex>

#include "connectors/mysql/mysql_utils.hpp"
#include "first_line.hpp"

namespace pond::connectors::mysql::test {
namespace {

TestServer read_server(const std::string& dir) {
  TestServer server;
  server.dir = dir;
  server.port = static_cast<unsigned>(std::stoul(::pond::test::read_first_line(dir + "/port")));
  server.user = ::pond::test::read_first_line(dir + "/user");
  server.password = ::pond::test::read_first_line(dir + "/password");
  return server;
}

}  // namespace

std::optional<TestServer> TestServer::from_environment() {
  const char* dir = std::getenv("POND_MARIADB_DIR");
  if (!dir || !*dir) return std::nullopt;
  return read_server(dir);
}

TestServer TestServer::start(const std::string& dir) {
  std::string command = std::string(POND_MARIADB_SCRIPT) + " start '" + dir + "' >/dev/null";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("cannot start a MariaDB server in " + dir);
  return read_server(dir);
}

void TestServer::stop(const std::string& dir) {
  std::string command = std::string(POND_MARIADB_SCRIPT) + " stop '" + dir + "'";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("cannot stop the MariaDB server in " + dir);
}

workspace::ConnectionSettings settings_for(const TestServer& server, const std::string& database,
                                           const std::string& alias) {
  workspace::ConnectionSettings settings;
  settings.alias = alias;
  settings.location = "host=127.0.0.1 port=" + std::to_string(server.port) + " user=" + server.user;
  if (!database.empty()) settings.location += " database='" + database + "'";
  settings.secret["password"] = server.password;
  return settings;
}

// The errors the connector threw inside DuckDB queries: DuckDB turns them into text, so the
// adapter below keeps the original.
struct DuckWithSource::ErrorLog {
  std::mutex mutex;
  std::optional<Error> last;
  std::function<void()> after_chunk;

  template <typename F>
  auto record(F&& f) {
    try {
      return f();
    } catch (const Error& error) {
      std::lock_guard lock(mutex);
      last = error;
      throw;
    }
  }
};

namespace {

using ErrorLog = DuckWithSource::ErrorLog;

class RecordingLocal final : public engine::LocalScan {
 public:
  RecordingLocal(std::unique_ptr<engine::LocalScan> inner, std::shared_ptr<ErrorLog> log)
      : inner_(std::move(inner)), log_(std::move(log)) {}
  size_t scan(engine::OutputChunk& out) override {
    size_t rows = log_->record([&] { return inner_->scan(out); });
    if (log_->after_chunk) log_->after_chunk();
    return rows;
  }

 private:
  std::unique_ptr<engine::LocalScan> inner_;
  std::shared_ptr<ErrorLog> log_;
};

class RecordingGlobal final : public engine::GlobalScan {
 public:
  RecordingGlobal(std::unique_ptr<engine::GlobalScan> inner, std::shared_ptr<ErrorLog> log)
      : inner_(std::move(inner)), log_(std::move(log)) {}
  size_t max_threads() const override { return inner_->max_threads(); }
  std::unique_ptr<engine::LocalScan> init_local() override {
    return std::make_unique<RecordingLocal>(log_->record([&] { return inner_->init_local(); }), log_);
  }

 private:
  std::unique_ptr<engine::GlobalScan> inner_;
  std::shared_ptr<ErrorLog> log_;
};

class RecordingBound final : public engine::BoundScan {
 public:
  RecordingBound(std::unique_ptr<engine::BoundScan> inner, std::shared_ptr<ErrorLog> log)
      : inner_(std::move(inner)), log_(std::move(log)) {}
  const std::vector<engine::OutputColumn>& columns() const override { return inner_->columns(); }
  std::optional<uint64_t> estimated_rows() const override { return inner_->estimated_rows(); }
  std::unique_ptr<engine::GlobalScan> init(const std::vector<size_t>& projection) override {
    return std::make_unique<RecordingGlobal>(log_->record([&] { return inner_->init(projection); }), log_);
  }

 private:
  std::unique_ptr<engine::BoundScan> inner_;
  std::shared_ptr<ErrorLog> log_;
};

// mysql_scan(schema, table) or mysql_query(sql) over one source.
class SourceFunction final : public engine::TableFunction {
 public:
  SourceFunction(workspace::RemoteSource& source, bool query, std::shared_ptr<ErrorLog> log)
      : source_(source), query_(query), log_(std::move(log)) {}
  std::string name() const override { return query_ ? "mysql_query" : "mysql_scan"; }
  size_t argument_count() const override { return query_ ? 1 : 2; }
  std::unique_ptr<engine::BoundScan> bind(const engine::BindInput& input) override {
    auto bound = log_->record([&] {
      // Each scan belongs to the DuckDB connection that runs it, as pond_scan/pond_query do.
      if (query_) return source_.run_query(input.arguments.at(0).to_string(), input.connection_id);
      return source_.scan_table(input.arguments.at(0).to_string(), input.arguments.at(1).to_string(),
                                input.connection_id);
    });
    return std::make_unique<RecordingBound>(std::move(bound), log_);
  }

 private:
  workspace::RemoteSource& source_;
  bool query_;
  std::shared_ptr<ErrorLog> log_;
};

}  // namespace

DuckWithSource::DuckWithSource(workspace::RemoteSource& source)
    : connection_(database_.connect()), errors_(std::make_shared<ErrorLog>()) {
  functions_.push_back(std::make_unique<SourceFunction>(source, false, errors_));
  functions_.push_back(std::make_unique<SourceFunction>(source, true, errors_));
  for (auto& function : functions_) engine::register_table_function(connection_, *function);
}

DuckWithSource::~DuckWithSource() = default;

std::vector<std::vector<std::string>> DuckWithSource::rows(const std::string& sql) {
  std::vector<std::vector<std::string>> out;
  for (const auto& row : connection_.query(sql).fetch_all()) {
    auto& cells = out.emplace_back();
    for (const engine::Value& value : row) cells.push_back(value.is_null() ? "NULL" : value.to_string());
  }
  return out;
}

std::string DuckWithSource::value(const std::string& sql) {
  auto all = rows(sql);
  if (all.size() != 1 || all[0].size() != 1) {
    throw std::runtime_error("expected one value from: " + sql + " (got " + std::to_string(all.size()) + " rows)");
  }
  return all[0][0];
}

std::optional<Error> DuckWithSource::last_connector_error() const {
  std::lock_guard lock(errors_->mutex);
  return errors_->last;
}

void DuckWithSource::after_each_chunk(std::function<void()> hook) { errors_->after_chunk = std::move(hook); }

void MysqlTest::SetUp() {
  auto server = TestServer::from_environment();
  if (!server) GTEST_SKIP() << "POND_MARIADB_DIR is not set; run through ctest (it starts the server)";
  server_ = *server;
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  database_ = std::string("t_") + info->test_suite_name() + "_" + info->name();
  for (char& c : database_) c = static_cast<char>(std::isalnum(static_cast<unsigned char>(c)) ? std::tolower(c) : '_');
  database_ = database_.substr(0, 64);
  workspace::ConnectionSettings admin = settings_for(server_, "", "admin");
  admin.read_only = false;  // sources are read-only; the test fills the database
  admin_ = MysqlConnection::open(MysqlSettings::parse(admin));
  admin_.execute("DROP DATABASE IF EXISTS " + quote_identifier(database_));
  admin_.execute("CREATE DATABASE " + quote_identifier(database_) + " CHARACTER SET utf8mb4");
  admin_.execute("USE " + quote_identifier(database_));
}

void MysqlTest::TearDown() {
  if (admin_.valid() && !admin_.broken()) admin_.execute("DROP DATABASE IF EXISTS " + quote_identifier(database_));
}

void MysqlTest::sql(const std::string& statement) { admin_.execute(statement); }

std::unique_ptr<MysqlSource> MysqlTest::open_source(const std::map<std::string, std::string>& options) {
  workspace::ConnectionSettings settings = settings_for(server_, database_);
  settings.options = options;
  return MysqlSource::open(settings);
}

}  // namespace pond::connectors::mysql::test
