#include "cli/shell/line_reader.hpp"

#include <editline/readline.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "engine/error.hpp"

namespace pond::cli {
namespace {

int g_interrupt_fd = -1;
bool g_interrupted = false;

int read_byte() {
  unsigned char byte = 0;
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, &byte, 1);
    if (n == 1) return byte;
    if (n == 0) return EOF;
    if (errno != EINTR) return EOF;
  }
}

// libedit's getc hook: waits for a key or an interrupt. Returns one Unicode code point (libedit
// stores what this returns as one wide character), '\n' to end the line on Ctrl-C, EOF at end.
int read_key(FILE*) {
  for (;;) {
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {g_interrupt_fd, POLLIN, 0}};
    if (poll(fds, g_interrupt_fd >= 0 ? 2 : 1, -1) < 0) {
      if (errno == EINTR) continue;
      return EOF;
    }
    if (g_interrupt_fd >= 0 && (fds[1].revents & POLLIN)) {
      char buffer[64];
      while (::read(g_interrupt_fd, buffer, sizeof buffer) > 0) {
      }
      g_interrupted = true;
      return '\n';
    }
    if (fds[0].revents == 0) continue;
    int lead = read_byte();
    if (lead == EOF || lead < 0x80) return lead;
    const int extra = (lead >> 5) == 0x6 ? 1 : (lead >> 4) == 0xE ? 2 : (lead >> 3) == 0x1E ? 3 : 0;
    int code_point = lead & (0x3F >> extra);
    for (int i = 0; i < extra; ++i) {
      int next = read_byte();
      if (next == EOF) return EOF;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    return code_point;
  }
}

}  // namespace

std::string LineReader::default_history_file() {
  if (const char* env = std::getenv("POND_HISTORY")) return env;
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    return std::string(home) + "/.pond_history";
  return {};
}

LineReader::LineReader(std::string history_file, int interrupt_fd) : history_file_(std::move(history_file)) {
  if (g_interrupt_fd != -1) throw Error(ErrorKind::internal, "only one LineReader may exist at a time");
  g_interrupt_fd = interrupt_fd;
  // Wide characters need a UTF-8 locale; "C" cannot represent them.
  const char* locale = std::setlocale(LC_CTYPE, "");
  if (locale == nullptr || std::strcmp(locale, "C") == 0 || std::strcmp(locale, "POSIX") == 0)
    std::setlocale(LC_CTYPE, "C.UTF-8");
  rl_catch_signals = 0;  // Ctrl-C is the InterruptWatcher's; libedit must not take SIGINT
  rl_getc_function = read_key;
  rl_initialize();
  using_history();
  stifle_history(2000);
  if (!history_file_.empty()) read_history(history_file_.c_str());
}

LineReader::~LineReader() {
  if (!history_file_.empty() && write_history(history_file_.c_str()) == 0) {
    chmod(history_file_.c_str(), S_IRUSR | S_IWUSR);  // statements may name private data
  }
  g_interrupt_fd = -1;
}

LineReader::Input LineReader::read(const std::string& prompt) {
  g_interrupted = false;
  char* line = readline(prompt.c_str());
  Input input;
  if (g_interrupted) {
    input.status = Status::interrupted;
  } else if (line != nullptr) {
    input.status = Status::line;
    input.text = line;
  }
  std::free(line);
  return input;
}

void LineReader::remember(const std::string& entry) { add_history(entry.c_str()); }

}  // namespace pond::cli
