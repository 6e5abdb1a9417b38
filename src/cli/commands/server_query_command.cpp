// `pond query --server URL`: the statements run on a `pond serve` server through its
// executeQuery endpoint; the rows print exactly as `pond query` prints local ones.

#include <iostream>

#include "cli/commands/commands.hpp"
#include "cli/interrupt_watcher.hpp"
#include "cli/remote/server_backend.hpp"
#include "cli/statement_runner.hpp"

namespace pond::cli {

int run_query_on_server(const QueryArgs& args) {
  OutputOptions output = make_output_options(args.output);
  ServerBackend backend(ServerClient(args.server, read_client_token(args.token_file)));
  StatementRunner runner(backend, std::cout);
  runner.output() = output;
  InterruptWatcher watcher([&runner] { runner.cancel(); });  // Ctrl-C: cancelQuery on the server
  runner.run(args.sql);
  return 0;
}

}  // namespace pond::cli
