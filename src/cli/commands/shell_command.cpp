// `pond shell` (and `pond` without a command): interactive on a terminal, else runs stdin.

#include <iostream>

#include "cli/commands/commands.hpp"
#include "cli/shell/shell.hpp"
#include "cli/terminal.hpp"

namespace pond::cli {

int run_shell(const GlobalOptions& global, const ShellArgs& args) {
  const OutputOptions output = make_output_options(args.output);
  auto workspace = open_workspace(global);
  Shell shell(*workspace, output);
  return stdin_is_terminal() ? shell.run_interactive() : shell.run_script(std::cin);
}

}  // namespace pond::cli
