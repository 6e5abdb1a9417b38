#pragma once
// SqlBackend — where the CLI's statements run: the open workspace (WorkspaceBackend, below) or
// a running `pond serve` (ServerBackend, cli/remote/server_backend.hpp). StatementRunner and
// the shell run statements and print row sets through it without knowing which. A backend is
// used by one thread, except interrupt(), which the interrupt watcher calls from its own.

#include <functional>
#include <span>
#include <string>

#include "cli/output/row_writer.hpp"
#include "engine/value.hpp"
#include "workspace/workspace.hpp"

namespace pond::cli {

class SqlBackend {
 public:
  // Called once per row set, before its columns are known; returns the writer to fill.
  using OpenWriter = std::function<RowWriter&()>;

  virtual ~SqlBackend() = default;

  // "workspace PATH" or "server URL", for the shell's banner.
  virtual std::string description() const = 0;
  // Runs one statement with `params` bound to its placeholders. When it returns rows, calls
  // `open` once and streams the row set through the writer (begin, rows, end). Throws
  // pond::Error with the failure's kind.
  virtual void execute(const std::string& statement, std::span<const engine::Param> params, const OpenWriter& open) = 0;
  // The registered sources as one row set: alias, kind, location, read_only, status, tables.
  virtual void list_sources(const OpenWriter& open) = 0;
  // Stops the statement running now (it fails with ErrorKind::cancelled). Thread-safe.
  virtual void interrupt() = 0;
};

// Statements run on an open workspace; does not own it.
class WorkspaceBackend final : public SqlBackend {
 public:
  explicit WorkspaceBackend(workspace::Workspace& workspace) : workspace_(workspace) {}

  std::string description() const override { return "workspace " + workspace_.path(); }
  void execute(const std::string& statement, std::span<const engine::Param> params, const OpenWriter& open) override;
  void list_sources(const OpenWriter& open) override;
  void interrupt() override { workspace_.interrupt(); }

 private:
  workspace::Workspace& workspace_;
};

}  // namespace pond::cli
