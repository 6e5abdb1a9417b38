#pragma once
// LineReader — reads lines from the terminal with libedit (editing, history kept in a file).
// Ctrl-C at the prompt arrives as a byte on `interrupt_fd` (see InterruptWatcher) and ends the
// current line as Status::interrupted, so the shell can clear what was typed. Only one
// LineReader may exist at a time (libedit's readline interface is global); one thread.

#include <string>

namespace pond::cli {

class LineReader {
 public:
  enum class Status { line, interrupted, end_of_input };
  struct Input {
    Status status = Status::end_of_input;
    std::string text;
  };

  // `history_file` empty: no history is read or written.
  LineReader(std::string history_file, int interrupt_fd);
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  ~LineReader();

  Input read(const std::string& prompt);
  void remember(const std::string& entry);

  // $POND_HISTORY when set (empty: no history), else ~/.pond_history.
  static std::string default_history_file();

 private:
  std::string history_file_;
};

}  // namespace pond::cli
