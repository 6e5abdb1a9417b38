#pragma once
// PgLocalScan — one thread's part of a scan: takes statements (ctid ranges) from the shared
// ScanState, runs each on its own connection (inside the shared snapshot when there is one)
// and decodes the rows straight into DuckDB's chunks, one row in memory at a time. Registered
// with the source's ActiveStatements while it holds a connection, so cancel() reaches it.
// A scan that finished returns its connection to the pool; one abandoned mid-statement closes
// it. Used by one thread.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/postgres/pg_binary_reader.hpp"
#include "connectors/postgres/pg_copy_decoder.hpp"
#include "connectors/postgres/pg_scan_state.hpp"

namespace pond::connectors::postgres {

class PgLocalScan : public engine::LocalScan {
 public:
  explicit PgLocalScan(std::shared_ptr<ScanState> state);
  PgLocalScan(const PgLocalScan&) = delete;
  PgLocalScan& operator=(const PgLocalScan&) = delete;
  ~PgLocalScan() override;

  size_t scan(engine::OutputChunk& out) override;
  // From the prefetch thread's owner: cancels the running statement (PQcancel). Thread-safe.
  void stop() override;
  // Claims the next ctid range; scan() then reads only that range (ordered prefetch).
  bool next_task() override;

 private:
  bool start_next_task();
  void start_task(const std::string& task);
  bool read_row(engine::OutputChunk& out, size_t row);
  bool read_copy_row(engine::OutputChunk& out, size_t row);
  bool read_result_row(engine::OutputChunk& out, size_t row);
  void write_result_fields(engine::OutputChunk& out, size_t row, const PgResult& result);
  void write_nulls(engine::OutputChunk& out, size_t row);
  void finish();
  void check_cancelled() const;
  Error translate(const Error& error) const;
  [[noreturn]] void fail_value(size_t field, const MalformedValue& error) const;

  std::shared_ptr<ScanState> state_;
  const std::string what_;  // "cannot scan alias.schema.table", for messages
  std::optional<PgConnection> connection_;
  std::unique_ptr<ActiveStatements::Ticket> ticket_;  // declared after the connection: goes first
  std::mutex ticket_mutex_;                           // guards ticket_ being set or reset against stop()
  std::atomic<bool> stopped_{false};
  bool in_transaction_ = false;
  bool streaming_ = false;
  bool done_ = false;
  bool tasked_ = false;                 // ranges come through next_task()
  std::optional<std::string> claimed_;  // claimed by next_task(), started by scan()
  CopyRowDecoder decoder_;              // COPY rows, straight into the chunk scan() fills
};

}  // namespace pond::connectors::postgres
