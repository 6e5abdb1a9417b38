#pragma once
// ServerBackend — runs the CLI's statements on a running `pond serve` (`pond query --server`,
// `pond shell --server`): one executeQuery call per statement, with a query id picked here so
// that interrupt() (Ctrl-C) can cancel it with cancelQuery; the registered sources come from
// listConnections. Rows arrive as JSON and are handed to the same writers as local results
// as they arrive (AnswerReader), so the client holds one piece of the answer at a time.
// One thread runs statements; interrupt() may be called from another.

#include <atomic>
#include <mutex>
#include <string>

#include "cli/remote/server_client.hpp"
#include "cli/sql_backend.hpp"

namespace pond::cli {

class ServerBackend final : public SqlBackend {
 public:
  explicit ServerBackend(ServerClient client) : client_(std::move(client)) {}

  // One listConnections call: throws when the server cannot be reached, is not a pond server
  // or refuses the token, so that the shell says so before the first statement.
  void check();

  std::string description() const override { return "server " + client_.url(); }
  void execute(const std::string& statement, std::span<const engine::Param> params, const OpenWriter& open) override;
  void list_sources(const OpenWriter& open) override;
  void interrupt() override;

 private:
  ServerClient client_;
  std::mutex mutex_;
  std::string running_query_id_;          // guarded by mutex_; empty between statements
  std::atomic<bool> interrupted_{false};  // Ctrl-C during the running statement
};

}  // namespace pond::cli
