#include "connectors/postgres/pg_connection.hpp"

#include <utility>

namespace pond::connectors::postgres {
namespace {

// libpq's messages span lines and indent with tabs; one line reads better inside ours.
std::string first_lines(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\t') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

struct ConnectFailure {
  std::string what;
  Retry retry = Retry::may_help;
};

bool contains(const std::string& text, const char* needle) { return text.find(needle) != std::string::npos; }

// libpq's text says which step failed; turn the common ones into advice. libpq gives no
// SQLSTATE for a failed connection, so the server's (English) FATAL text is matched: 28P01
// "password authentication failed", 28000 "role ... does not exist" / "no pg_hba.conf entry",
// 3D000 "database ... does not exist", 42501 "permission denied for database". Those stay
// wrong until the secret or the server's settings change: Retry::futile, never retried.
ConnectFailure connect_failure(const PgSettings& settings, const std::string& libpq_message) {
  const std::string& m = libpq_message;
  std::string user = "the user";
  std::string dbname = settings.server().substr(settings.server().rfind('/') + 1);
  for (const auto& [key, value] : settings.params()) {
    if (key == "user") user = "'" + value + "'";
  }
  ConnectFailure f{"", Retry::futile};
  if (contains(m, "authentication failed")) {
    f.what = "authentication failed for user " + user + "; check the password in the source's secret";
  } else if (contains(m, "no password supplied")) {
    f.what = "the server wants a password and none was given; add it to the source's secret";
  } else if (contains(m, "database \"") && contains(m, "does not exist")) {
    f.what = "database '" + dbname + "' does not exist on the server; check dbname";
  } else if (contains(m, "role \"") && contains(m, "does not exist")) {
    f.what = "user " + user + " does not exist on the server; check user";
  } else if (contains(m, "pg_hba.conf")) {
    f.what = "the server's pg_hba.conf refuses user " + user + " from this host; ask its administrator";
  } else if (contains(m, "permission denied for database")) {
    f.what = "user " + user + " may not connect to database '" + dbname + "'; grant CONNECT or use another user";
  } else if (contains(m, "timeout expired")) {
    f = {"the server did not answer within connect_timeout=" + std::to_string(settings.options().connect_timeout_s) +
             " s; is it running and reachable?",
         Retry::may_help};
  } else if (contains(m, "Connection refused") || contains(m, "could not connect") ||
             contains(m, "could not translate host name") || contains(m, "No such file or directory")) {
    f = {"cannot reach the server; is it running and accepting connections?", Retry::may_help};
  } else {
    f = {"cannot connect", Retry::may_help};
  }
  f.what += " (" + first_lines(m) + ")";
  return f;
}

ErrorKind kind_of(const std::string& sqlstate) {
  if (sqlstate == "57014") return ErrorKind::cancelled;
  if (sqlstate == "42P01" || sqlstate == "3F000" || sqlstate == "3D000") return ErrorKind::not_found;
  std::string_view cls = std::string_view(sqlstate).substr(0, 2);
  if (cls == "42" || cls == "22" || cls == "25" || cls == "0A" || cls == "21") return ErrorKind::invalid_input;
  return ErrorKind::connector;
}

void ignore_notice(void*, const char*) {}

}  // namespace

PgCancel& PgCancel::operator=(PgCancel&& other) noexcept {
  if (this != &other) {
    if (cancel_) PQfreeCancel(cancel_);
    cancel_ = std::exchange(other.cancel_, nullptr);
  }
  return *this;
}

PgCancel::~PgCancel() {
  if (cancel_) PQfreeCancel(cancel_);
}

void PgCancel::send() const {
  char error[256];
  if (cancel_) PQcancel(cancel_, error, sizeof error);
}

PgConnection PgConnection::open(std::shared_ptr<const PgSettings> settings) {
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  for (const auto& [key, value] : settings->params()) {
    keywords.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keywords.data(), values.data(), 0);
  if (!conn) throw settings->error(ErrorKind::connector, "cannot connect: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    ConnectFailure failure = connect_failure(*settings, message);
    throw settings->error(ErrorKind::connector, failure.what, failure.retry);
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  return PgConnection(conn, std::move(settings));
}

PgConnection::PgConnection(PGconn* conn, std::shared_ptr<const PgSettings> settings)
    : conn_(conn), settings_(std::move(settings)) {}

PgConnection::PgConnection(PgConnection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)),
      settings_(std::move(other.settings_)),
      copy_row_(std::exchange(other.copy_row_, nullptr)) {}

PgConnection& PgConnection::operator=(PgConnection&& other) noexcept {
  if (this != &other) {
    free_copy_row();
    if (conn_) PQfinish(conn_);
    conn_ = std::exchange(other.conn_, nullptr);
    settings_ = std::move(other.settings_);
    copy_row_ = std::exchange(other.copy_row_, nullptr);
  }
  return *this;
}

PgConnection::~PgConnection() {
  free_copy_row();
  if (conn_) PQfinish(conn_);
}

void PgConnection::free_copy_row() {
  if (copy_row_) PQfreemem(copy_row_);
  copy_row_ = nullptr;
}

void PgConnection::drain() {
  while (PGresult* r = PQgetResult(conn_)) PQclear(r);
}

void PgConnection::fail(const PgResult& result, const std::string& context) const {
  std::string prefix = context.empty() ? "" : context + ": ";
  if (PQstatus(conn_) == CONNECTION_BAD) {
    std::string message = result ? result.message() : first_lines(PQerrorMessage(conn_));
    throw settings_->error(ErrorKind::connector, prefix + "lost the connection to the server (" + message + ")");
  }
  if (!result) fail_connection(context);
  throw settings_->error(kind_of(result.sqlstate()), prefix + result.message());
}

void PgConnection::fail_connection(const std::string& context) const {
  std::string prefix = context.empty() ? "" : context + ": ";
  std::string message = first_lines(PQerrorMessage(conn_));
  if (PQstatus(conn_) == CONNECTION_BAD) {
    throw settings_->error(ErrorKind::connector, prefix + "lost the connection to the server (" + message + ")");
  }
  throw settings_->error(ErrorKind::connector, prefix + message);
}

PgResult PgConnection::exec(const std::string& sql, const std::string& context) {
  PgResult result(PQexec(conn_, sql.c_str()));
  if (result.failed()) fail(result, context);
  return result;
}

PgResult PgConnection::exec(const std::string& sql, const std::vector<std::optional<std::string>>& params,
                            const std::string& context) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PgResult result(
      PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
  if (result.failed()) fail(result, context);
  return result;
}

PgResult PgConnection::describe(const std::string& sql, const std::string& context) {
  PgResult prepared(PQprepare(conn_, "", sql.c_str(), 0, nullptr));
  if (prepared.failed()) fail(prepared, context);
  PgResult description(PQdescribePrepared(conn_, ""));
  if (description.failed()) fail(description, context);
  return description;
}

bool PgConnection::accepts(const std::string& sql) {
  PgResult prepared(PQprepare(conn_, "", sql.c_str(), 0, nullptr));
  if (PQstatus(conn_) == CONNECTION_BAD) fail(prepared, "");
  return !prepared.failed();
}

void PgConnection::start_copy(const std::string& sql, const std::string& context) {
  PgResult result(PQexec(conn_, sql.c_str()));
  if (result.status() == PGRES_COPY_OUT) return;
  if (result.failed()) fail(result, context);
  drain();
  throw settings_->error(ErrorKind::internal, context + ": the server did not start a COPY TO STDOUT");
}

std::optional<std::string_view> PgConnection::next_copy_row(const std::string& context) {
  free_copy_row();
  int length = PQgetCopyData(conn_, &copy_row_, 0);
  if (length > 0) return std::string_view(copy_row_, static_cast<size_t>(length));
  PgResult result(PQgetResult(conn_));
  if (length == -1 && !result.failed()) {
    drain();
    return std::nullopt;
  }
  if (result && result.failed()) {
    drain();
    fail(result, context);
  }
  fail_connection(context);
}

void PgConnection::send_single_row_query(const std::string& sql, bool binary, const std::string& context) {
  if (!PQsendQueryParams(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, binary ? 1 : 0)) {
    fail_connection(context);
  }
  if (!PQsetSingleRowMode(conn_)) fail_connection(context);
}

PgResult PgConnection::next_result(const std::string& context) {
  PgResult result(PQgetResult(conn_));
  if (result && result.failed()) {
    drain();
    fail(result, context);
  }
  if (!result && PQstatus(conn_) == CONNECTION_BAD) fail_connection(context);
  return result;
}

bool PgConnection::reusable() {
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) return false;
  // A server that shut down sent a FATAL message and then closed the socket: the first read
  // takes the message, only a second one sees the end of the stream. Neither blocks (libpq's
  // socket is non-blocking).
  for (int read = 0; read < 2; ++read) {
    if (!PQconsumeInput(conn_) || PQstatus(conn_) != CONNECTION_OK) return false;
  }
  return !PQisBusy(conn_) && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

}  // namespace pond::connectors::postgres
