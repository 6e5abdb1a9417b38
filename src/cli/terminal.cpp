#include "cli/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace pond::cli {

bool stdin_is_terminal() { return isatty(STDIN_FILENO) == 1; }
bool stdout_is_terminal() { return isatty(STDOUT_FILENO) == 1; }

size_t terminal_width() {
  if (!stdout_is_terminal()) return 0;
  if (const char* env = std::getenv("COLUMNS")) {
    std::string_view text(env);
    size_t columns = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), columns);
    if (ec == std::errc() && ptr == text.data() + text.size() && columns > 0) return columns;
  }
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 0;
}

}  // namespace pond::cli
