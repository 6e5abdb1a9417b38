#pragma once
// InterruptWatcher — turns Ctrl-C (SIGINT) into a call of `on_interrupt` on a watcher thread.
// The signal handler only writes one byte to a self-pipe; the watcher thread (a std::jthread)
// reads it and calls the callback, which may do anything a normal thread may (for instance
// Workspace::interrupt()). While it exists, SIGINT no longer ends the process; the destructor
// restores the previous handler. At most one watcher exists at a time.

#include <signal.h>

#include <functional>
#include <thread>

namespace pond::cli {

class InterruptWatcher {
 public:
  explicit InterruptWatcher(std::function<void()> on_interrupt);
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;
  ~InterruptWatcher();

 private:
  void watch(std::stop_token stop);

  std::function<void()> on_interrupt_;
  int pipe_[2] = {-1, -1};
  struct sigaction previous_ {};
  std::jthread thread_;
};

}  // namespace pond::cli
