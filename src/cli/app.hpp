#pragma once
// The `pond` command line: parses arguments, runs the chosen command, and turns every error
// into "pond: error: ..." on stderr and an exit code (see exit_codes.hpp).

namespace pond::cli {

int run_app(int argc, char** argv);

}  // namespace pond::cli
