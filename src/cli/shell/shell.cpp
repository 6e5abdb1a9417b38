#include "cli/shell/shell.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <iostream>

#include "cli/exit_codes.hpp"
#include "cli/interrupt_watcher.hpp"
#include "cli/shell/line_reader.hpp"
#include "engine/error.hpp"
#include "workspace/statement_splitter.hpp"

#ifndef POND_VERSION
#define POND_VERSION "unknown"
#endif

namespace pond::cli {
namespace {

constexpr const char* kPrompt = "pond> ";
constexpr const char* kContinuationPrompt = "   ...> ";

bool blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::string_view trimmed(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  size_t last = text.find_last_not_of(" \t\r\n;");
  return text.substr(first, last == std::string_view::npos ? 0 : last - first + 1);
}

// Statements that may carry credentials are kept out of the history file.
bool may_hold_secret(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper.find("SECRET") != std::string::npos || upper.find("PASSWORD") != std::string::npos;
}

// A pipe the interrupt watcher writes to when Ctrl-C arrives at the prompt.
class PromptPipe {
 public:
  PromptPipe() {
    if (pipe2(fds_, O_CLOEXEC | O_NONBLOCK) != 0)
      throw Error(ErrorKind::internal, std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  PromptPipe(const PromptPipe&) = delete;
  PromptPipe& operator=(const PromptPipe&) = delete;
  ~PromptPipe() {
    close(fds_[0]);
    close(fds_[1]);
  }
  int read_end() const { return fds_[0]; }
  void notify() const {
    const char byte = 'i';
    if (write(fds_[1], &byte, 1) < 0) {
      // Full: the prompt has an interrupt pending already.
    }
  }

 private:
  int fds_[2] = {-1, -1};
};

}  // namespace

Shell::Shell(SqlBackend& backend, const OutputOptions& output) : backend_(backend), runner_(backend, std::cout) {
  runner_.output() = output;
}

int Shell::run_interactive() {
  PromptPipe prompt_pipe;
  std::atomic<bool> running{false};
  InterruptWatcher watcher([&] {
    if (running) {
      runner_.cancel();
    } else {
      prompt_pipe.notify();
    }
  });
  LineReader reader(LineReader::default_history_file(), prompt_pipe.read_end());
  std::cout << "pond " << POND_VERSION << " - " << backend_.description()
            << "\nStatements end with ';'. Enter .help for the dot commands, .quit to leave.\n"
            << std::flush;
  std::string buffer;
  for (;;) {
    std::cout.flush();
    LineReader::Input input = reader.read(buffer.empty() ? kPrompt : kContinuationPrompt);
    if (input.status == LineReader::Status::end_of_input) {
      std::cout << '\n';
      break;
    }
    if (input.status == LineReader::Status::interrupted) {
      buffer.clear();
      continue;
    }
    if (buffer.empty() && blank(input.text)) continue;
    try {
      if (buffer.empty() && trimmed(input.text).starts_with('.')) {
        reader.remember(input.text);
        if (run_dot_command(input.text) == Next::quit) break;
        continue;
      }
      buffer += input.text;
      buffer += '\n';
      if (workspace::statement_incomplete(buffer)) continue;
      std::string script = std::move(buffer);
      buffer.clear();
      if (!may_hold_secret(script)) reader.remember(script.substr(0, script.size() - 1));
      runner_.start_new_output();
      runner_.reset_cancel();
      running = true;
      runner_.run(script);
      running = false;
    } catch (const std::exception& error) {
      running = false;
      std::cout.flush();
      report_error(error);
    }
  }
  return kExitOk;
}

int Shell::run_script(std::istream& in) {
  InterruptWatcher watcher([this] { runner_.cancel(); });
  std::string buffer;
  size_t buffer_line = 0;
  size_t line_number = 0;
  std::string line;
  try {
    while (std::getline(in, line)) {
      ++line_number;
      if (buffer.empty() && blank(line)) continue;
      if (buffer.empty() && trimmed(line).starts_with('.')) {
        try {
          if (run_dot_command(line) == Next::quit) return kExitOk;
        } catch (const Error& error) {
          throw Error(error.kind(), "line " + std::to_string(line_number) + ": " + error.what());
        }
        continue;
      }
      if (buffer.empty()) buffer_line = line_number;
      buffer += line;
      buffer += '\n';
      if (workspace::statement_incomplete(buffer)) continue;
      runner_.run(buffer, /*always_name_statement=*/true, buffer_line);
      buffer.clear();
    }
    if (!blank(buffer)) runner_.run(buffer, true, buffer_line);
  } catch (const std::exception& error) {
    std::cout.flush();
    return report_error(error);
  }
  std::cout.flush();
  return kExitOk;
}

}  // namespace pond::cli
