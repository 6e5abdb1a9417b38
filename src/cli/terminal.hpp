#pragma once
// What the CLI needs to know about the terminal it writes to.

#include <cstddef>

namespace pond::cli {

bool stdin_is_terminal();
bool stdout_is_terminal();
// Columns of the terminal on stdout: $COLUMNS when set, else the tty's size, else 0 (unknown).
// Always 0 when stdout is not a terminal.
size_t terminal_width();

}  // namespace pond::cli
