// `pond shell` (and `pond` without a command): interactive on a terminal, else runs stdin;
// on the workspace, or with --server on a running `pond serve`.

#include <iostream>

#include "cli/commands/commands.hpp"
#include "cli/remote/server_backend.hpp"
#include "cli/shell/shell.hpp"
#include "cli/terminal.hpp"
#include "engine/error.hpp"

namespace pond::cli {

int run_shell(const GlobalOptions& global, const ShellArgs& args) {
  const OutputOptions output = make_output_options(args.output);
  if (!args.server.empty()) {
    ServerBackend backend(ServerClient(args.server, read_client_token(args.token_file)));
    backend.check();
    Shell shell(backend, output);
    return stdin_is_terminal() ? shell.run_interactive() : shell.run_script(std::cin);
  }
  if (!args.token_file.empty()) throw Error(ErrorKind::usage, "--token-file needs --server URL");
  auto workspace = open_workspace(global);
  WorkspaceBackend backend(*workspace);
  Shell shell(backend, output);
  return stdin_is_terminal() ? shell.run_interactive() : shell.run_script(std::cin);
}

}  // namespace pond::cli
