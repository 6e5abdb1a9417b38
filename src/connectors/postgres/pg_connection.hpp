#pragma once
// PgConnection — owns one libpq connection (PQfinish on destruction); move-only, used by one
// thread at a time. Every failure throws pond::Error worded by the source's PgSettings: the
// kind follows the SQLSTATE (57014 → cancelled, undefined table/schema → not_found, SQL and
// data errors → invalid_input, anything else, a lost connection included → connector).
//
// PgCancel is the handle another thread uses to cancel what the connection runs now.

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connectors/postgres/pg_result.hpp"
#include "connectors/postgres/pg_settings.hpp"

namespace pond::connectors::postgres {

class PgCancel {
 public:
  explicit PgCancel(PGcancel* cancel) : cancel_(cancel) {}
  PgCancel(PgCancel&& other) noexcept : cancel_(std::exchange(other.cancel_, nullptr)) {}
  PgCancel& operator=(PgCancel&& other) noexcept;
  PgCancel(const PgCancel&) = delete;
  PgCancel& operator=(const PgCancel&) = delete;
  ~PgCancel();

  // Asks the server to cancel the connection's running statement. Best effort; thread-safe.
  void send() const;

 private:
  PGcancel* cancel_ = nullptr;
};

class PgConnection {
 public:
  // Connects (within the connect_timeout). Wrong password, unknown database or user and an
  // unreachable server each throw pond::Error(connector) with their own message.
  static PgConnection open(std::shared_ptr<const PgSettings> settings);

  PgConnection(PgConnection&& other) noexcept;
  PgConnection& operator=(PgConnection&& other) noexcept;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection();

  const PgSettings& settings() const { return *settings_; }
  PGconn* handle() const { return conn_; }

  // Runs one statement (text parameters $1..$n, nullopt for NULL); `context` says what for in
  // error messages.
  PgResult exec(const std::string& sql, const std::string& context = "");
  PgResult exec(const std::string& sql, const std::vector<std::optional<std::string>>& params,
                const std::string& context = "");
  // Prepares `sql` as the unnamed statement (not run) and returns its description.
  PgResult describe(const std::string& sql, const std::string& context);
  // True when the server accepts `sql` as a statement (prepared, not run).
  bool accepts(const std::string& sql);

  // COPY ... TO STDOUT: start it, then read one CopyData message (one row) at a time. The
  // view stays valid until the next call; std::nullopt once the COPY has ended cleanly.
  void start_copy(const std::string& sql, const std::string& context);
  std::optional<std::string_view> next_copy_row(const std::string& context);

  // A query whose rows arrive one PGresult each (single-row mode), in binary or text format.
  void send_single_row_query(const std::string& sql, bool binary, const std::string& context);
  // The next result of the sent query (throws on an error result); empty when there is none.
  PgResult next_result(const std::string& context);

  // Connected, idle, outside a transaction, no unread input: safe to hand to another scan.
  bool reusable();
  PgCancel cancel_handle() const { return PgCancel(PQgetCancel(conn_)); }

  [[noreturn]] void fail(const PgResult& result, const std::string& context) const;

 private:
  PgConnection(PGconn* conn, std::shared_ptr<const PgSettings> settings);
  [[noreturn]] void fail_connection(const std::string& context) const;
  void free_copy_row();
  void drain();

  PGconn* conn_ = nullptr;
  std::shared_ptr<const PgSettings> settings_;
  char* copy_row_ = nullptr;
};

}  // namespace pond::connectors::postgres
